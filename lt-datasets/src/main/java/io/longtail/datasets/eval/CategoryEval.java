package io.longtail.datasets.eval;

/**
 * What is kept of one category's evaluation: per area range, the number of ground truth in the
 * range and, per IoU threshold, the sum of the 101 interpolated precisions and the final recall.
 * About 700 bytes, whatever the number of detections.
 */
final class CategoryEval {

  final int category;
  final int detectionCount;

  /** Ground truth in each area range; a range without is "-1" in lvis-api (left out of means). */
  final int[] groundTruthCount = new int[AreaRange.values().length];

  /** {@code [area][iou]}: sum over the recall points of the interpolated precision. */
  final double[][] precisionSum = new double[AreaRange.values().length][Thresholds.IOU_COUNT];

  /** {@code [area][iou]}: recall with all detections. */
  final double[][] recall = new double[AreaRange.values().length][Thresholds.IOU_COUNT];

  CategoryEval(int category, int detectionCount) {
    this.category = category;
    this.detectionCount = detectionCount;
  }

  /** Whether the area range has ground truth (lvis-api: entries above -1). */
  boolean valid(AreaRange area) {
    return groundTruthCount[area.ordinal()] > 0;
  }
}
