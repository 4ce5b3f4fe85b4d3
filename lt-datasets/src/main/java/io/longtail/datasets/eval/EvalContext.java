package io.longtail.datasets.eval;

/** What every category evaluation reads: shared, read-only after construction. */
final class EvalContext {
  final EvalGroundTruth gt;
  final EvalDetections dt;

  /** Image index (into {@link EvalGroundTruth#imageIds}) of each detection row. */
  final int[] dtImage;

  /**
   * Area of each kept detection row: box {@code w * h}, or mask pixels (then filled by {@link
   * Geometry#detections} when the category is evaluated).
   */
  final double[] dtArea;

  final Geometry geometry;

  EvalContext(
      EvalGroundTruth gt, EvalDetections dt, int[] dtImage, double[] dtArea, Geometry geometry) {
    this.gt = gt;
    this.dt = dt;
    this.dtImage = dtImage;
    this.dtArea = dtArea;
    this.geometry = geometry;
  }
}
