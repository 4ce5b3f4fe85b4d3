package io.longtail.datasets.eval;

import io.longtail.datasets.mask.BoxIou;

/** Box IoU (pycocotools {@code bbIou}, no crowd) through {@link BoxIou}. */
final class BoxGeometry implements Geometry {

  private final double[] dtBoxes;
  private final double[] gtBoxes;

  /**
   * @param dtBoxes {@code [x, y, w, h]} of each detection row, flat
   * @param gtBoxes {@code [x, y, w, h]} of each ground-truth row, flat
   */
  BoxGeometry(double[] dtBoxes, double[] gtBoxes) {
    this.dtBoxes = dtBoxes;
    this.gtBoxes = gtBoxes;
  }

  @Override
  public double[][] iou(
      int image, int[] dtRows, int dtFrom, int dtTo, int[] gtRows, int gtFrom, int gtTo) {
    double[][] d = new double[dtTo - dtFrom][];
    for (int i = 0; i < d.length; i++) {
      int r = dtRows[dtFrom + i];
      d[i] =
          new double[] {dtBoxes[4 * r], dtBoxes[4 * r + 1], dtBoxes[4 * r + 2], dtBoxes[4 * r + 3]};
    }
    double[][] g = new double[gtTo - gtFrom][];
    for (int j = 0; j < g.length; j++) {
      int r = gtRows[gtFrom + j];
      g[j] =
          new double[] {gtBoxes[4 * r], gtBoxes[4 * r + 1], gtBoxes[4 * r + 2], gtBoxes[4 * r + 3]};
    }
    return BoxIou.iou(d, g, new boolean[g.length]);
  }
}
