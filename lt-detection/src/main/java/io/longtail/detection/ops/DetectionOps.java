package io.longtail.detection.ops;

import ai.djl.ndarray.NDArray;

/**
 * Detection operators that DJL's engine-neutral API does not offer.
 *
 * <p>Non-maximum suppression is not here: it runs on plain arrays after score filtering ({@link
 * io.longtail.detection.modeling.BatchedNms}), because the engine's {@code box_nms} with no top-k
 * cap did not finish in 10 minutes on 1000 x 1203 boxes.
 */
public interface DetectionOps {

  /**
   * ROIAlign (He et al., Mask R-CNN) with {@code aligned = true} (pixel centres at half-integer
   * coordinates, detectron2's ROIAlignV2): differentiable with respect to {@code features}.
   *
   * @param features {@code (N, C, H, W)} feature map of one FPN level
   * @param rois {@code (R, 5)} rows {@code (batchIndex, x1, y1, x2, y2)} in input-image pixels
   * @param outputSize pooled height and width (7 for box heads, 14 for mask heads)
   * @param spatialScale {@code 1 / stride} of the level
   * @param samplingRatio sampling points per bin side ({@code 0}: adaptive, as detectron2)
   * @return {@code (R, C, outputSize, outputSize)}
   */
  NDArray roiAlign(
      NDArray features, NDArray rois, int outputSize, float spatialScale, int samplingRatio);

  /** The operators of the engine that owns {@code array}. */
  static DetectionOps forEngineOf(NDArray array) {
    String engine = array.getManager().getEngine().getEngineName();
    if (engine.equals("MXNet")) {
      return MxNetDetectionOps.INSTANCE;
    }
    throw new UnsupportedOperationException(
        "no detection operators for engine " + engine + "; supported: MXNet");
  }
}
