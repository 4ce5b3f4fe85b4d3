package io.longtail.datasets.mask;

/**
 * Intersection over union of axis-aligned boxes {@code [x, y, w, h]} with the COCO crowd rule,
 * exactly as pycocotools {@code iou} on boxes ({@code bbIou} in {@code maskApi.c}).
 */
public final class BoxIou {

  private BoxIou() {}

  /**
   * IoU of every detection box with every ground-truth box.
   *
   * <p>For a ground truth marked crowd the value is {@code intersection / area(detection)} instead
   * of {@code intersection / union}. Boxes that do not overlap with a positive width and height
   * give 0. The arithmetic (order of operations included) is pycocotools', so results are equal to
   * the last bit.
   *
   * @param dt detection boxes, {@code dt.length} rows of {@code [x, y, w, h]}
   * @param gt ground-truth boxes, {@code gt.length} rows of {@code [x, y, w, h]}
   * @param gtCrowd iscrowd flag of each ground truth, length {@code gt.length}
   * @return a {@code dt.length x gt.length} matrix, {@code iou[d][g]}
   * @throws IllegalArgumentException if a box does not have 4 values or {@code gtCrowd} has the
   *     wrong length
   */
  public static double[][] iou(double[][] dt, double[][] gt, boolean[] gtCrowd) {
    checkBoxes("dt", dt);
    checkBoxes("gt", gt);
    checkCrowd(gtCrowd, gt.length);
    double[][] o = new double[dt.length][gt.length];
    for (int g = 0; g < gt.length; g++) {
      double[] gb = gt[g];
      for (int d = 0; d < dt.length; d++) {
        o[d][g] = boxIou(dt[d], gb, gtCrowd[g]);
      }
    }
    return o;
  }

  /** bbIou for one pair; shared with {@link MaskIou} for its early exit. */
  static double boxIou(double[] d, double[] g, boolean crowd) {
    return boxIou(d[0], d[1], d[2], d[3], g[0], g[1], g[2], g[3], crowd);
  }

  static double boxIou(
      double dx,
      double dy,
      double dw,
      double dh,
      double gx,
      double gy,
      double gw,
      double gh,
      boolean crowd) {
    double w = Math.min(dw + dx, gw + gx) - Math.max(dx, gx);
    if (w <= 0) {
      return 0;
    }
    double h = Math.min(dh + dy, gh + gy) - Math.max(dy, gy);
    if (h <= 0) {
      return 0;
    }
    double i = w * h;
    double da = dw * dh;
    double u = crowd ? da : da + gw * gh - i;
    return i / u;
  }

  static void checkCrowd(boolean[] gtCrowd, int gtCount) {
    if (gtCrowd == null) {
      throw new IllegalArgumentException("gtCrowd must not be null (one flag per ground truth)");
    }
    if (gtCrowd.length != gtCount) {
      throw new IllegalArgumentException(
          "gtCrowd must have one flag per ground truth ("
              + gtCount
              + "), got length "
              + gtCrowd.length);
    }
  }

  private static void checkBoxes(String name, double[][] boxes) {
    if (boxes == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    for (int i = 0; i < boxes.length; i++) {
      if (boxes[i] == null || boxes[i].length != 4) {
        throw new IllegalArgumentException(
            name
                + "["
                + i
                + "] must be a box [x, y, w, h] of 4 values, got "
                + (boxes[i] == null ? "null" : boxes[i].length + " values"));
      }
    }
  }
}
