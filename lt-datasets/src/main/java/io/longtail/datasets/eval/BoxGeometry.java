package io.longtail.datasets.eval;

import io.longtail.datasets.mask.BoxIou;
import io.longtail.datasets.mask.Rle;

/**
 * Box IoU (pycocotools {@code bbIou}, no crowd) through {@link BoxIou}. For mask-only results
 * (lvis-api then takes area and box from the mask) each mask is decoded once, when its image is
 * evaluated.
 */
final class BoxGeometry implements Geometry {

  private final double[] dtBoxes;
  private final double[] gtBoxes;
  private final EvalDetections masksOf;
  private final double[] dtArea;

  /**
   * @param dtBoxes {@code [x, y, w, h]} of each detection row, flat; written for mask-only rows
   * @param gtBoxes {@code [x, y, w, h]} of each ground-truth row, flat
   * @param masksOf the detections whose masks give area and missing boxes, or null when the boxes
   *     and areas are already known
   * @param dtArea the detection areas, filled here when {@code masksOf} is set
   */
  BoxGeometry(double[] dtBoxes, double[] gtBoxes, EvalDetections masksOf, double[] dtArea) {
    this.dtBoxes = dtBoxes;
    this.gtBoxes = gtBoxes;
    this.masksOf = masksOf;
    this.dtArea = dtArea;
  }

  @Override
  public ImageDetections detections(int image, int[] dtRows, int dtFrom, int dtTo) {
    double[][] d = new double[dtTo - dtFrom][];
    for (int i = 0; i < d.length; i++) {
      int r = dtRows[dtFrom + i];
      if (masksOf != null) {
        Rle rle = masksOf.mask(r);
        dtArea[r] = rle.area();
        if (!masksOf.hasBox(r)) {
          System.arraycopy(rle.bbox(), 0, dtBoxes, 4 * r, 4);
        }
      }
      d[i] =
          new double[] {dtBoxes[4 * r], dtBoxes[4 * r + 1], dtBoxes[4 * r + 2], dtBoxes[4 * r + 3]};
    }
    return (gtRows, gtFrom, gtTo) -> {
      double[][] g = new double[gtTo - gtFrom][];
      for (int j = 0; j < g.length; j++) {
        int r = gtRows[gtFrom + j];
        g[j] =
            new double[] {
              gtBoxes[4 * r], gtBoxes[4 * r + 1], gtBoxes[4 * r + 2], gtBoxes[4 * r + 3]
            };
      }
      return BoxIou.iou(d, g, new boolean[g.length]);
    };
  }
}
