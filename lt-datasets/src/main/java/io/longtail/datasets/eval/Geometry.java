package io.longtail.datasets.eval;

/** IoU between the detections and the ground truth of one image and one category. */
interface Geometry {

  /**
   * IoU of detections {@code dtRows[dtFrom, dtTo)} (rows of {@link EvalDetections}) with ground
   * truth {@code gtRows[gtFrom, gtTo)} (rows of {@link EvalGroundTruth}), all of image {@code
   * image}; no crowd rule (lvis-api passes {@code iscrowd = 0}).
   *
   * @return {@code iou[d][g]}; a value below 0.5 for pairs that can never match
   */
  double[][] iou(int image, int[] dtRows, int dtFrom, int dtTo, int[] gtRows, int gtFrom, int gtTo);
}
