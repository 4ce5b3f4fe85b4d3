package io.longtail.datasets.eval;

/** IoU between the detections and the ground truth of one image and one category. */
interface Geometry {

  /**
   * Prepares detections {@code dtRows[dtFrom, dtTo)} (rows of {@link EvalDetections}) of image
   * {@code image}, all of one category: decodes what the IoU needs and, where areas come from the
   * masks, fills {@link EvalContext#dtArea} (and mask boxes) for these rows. Each row belongs to
   * one category, so tasks of different categories never write the same entry.
   */
  ImageDetections detections(int image, int[] dtRows, int dtFrom, int dtTo);

  /** Detections of one image and category, ready for IoU. */
  interface ImageDetections {

    /**
     * IoU with ground truth {@code gtRows[gtFrom, gtTo)} (rows of {@link EvalGroundTruth}) of the
     * same image; no crowd rule (lvis-api passes {@code iscrowd = 0}).
     *
     * @return {@code iou[d][g]}; a value below 0.5 for pairs that can never match
     */
    double[][] iou(int[] gtRows, int gtFrom, int gtTo);
  }
}
