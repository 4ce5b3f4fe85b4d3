package io.longtail.detection.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.util.PairList;

/**
 * {@link DetectionOps} on MXNet 1.9 operators ({@code _contrib_ROIAlign}, which DJL registers
 * without its {@code _contrib_} prefix).
 */
final class MxNetDetectionOps implements DetectionOps {

  static final MxNetDetectionOps INSTANCE = new MxNetDetectionOps();

  private MxNetDetectionOps() {}

  @Override
  public NDArray roiAlign(
      NDArray features, NDArray rois, int outputSize, float spatialScale, int samplingRatio) {
    if (features.getShape().dimension() != 4) {
      throw new IllegalArgumentException(
          "features must be (N, C, H, W), got " + features.getShape());
    }
    if (rois.getShape().dimension() != 2 || rois.getShape().get(1) != 5) {
      throw new IllegalArgumentException("rois must be (R, 5), got " + rois.getShape());
    }
    PairList<String, Object> params = new PairList<>();
    params.add("pooled_size", "(" + outputSize + ", " + outputSize + ")");
    params.add("spatial_scale", spatialScale);
    // MXNet's adaptive sampling is -1; ours (like detectron2) is 0.
    params.add("sample_ratio", samplingRatio <= 0 ? -1 : samplingRatio);
    params.add("aligned", true);
    return features
        .getManager()
        .invoke("ROIAlign", new NDList(features, rois), params)
        .singletonOrThrow();
  }
}
