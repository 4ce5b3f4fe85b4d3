package io.longtail.detection.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class RoiAlignTest {

  @Test
  void alignedPoolingOfALinearRampIsExact() {
    try (NDManager m = NDManager.newBaseManager()) {
      // f(y, x) = x on an 8x8 map; aligned ROIAlign samples at pixel centres, so the mean over a
      // bin of the box [2, 6] in x is the bin centre minus 0.5.
      float[] ramp = new float[64];
      for (int i = 0; i < 64; i++) {
        ramp[i] = i % 8;
      }
      NDArray features = m.create(ramp, new Shape(1, 1, 8, 8));
      NDArray rois = m.create(new float[] {0, 2, 2, 6, 6}, new Shape(1, 5));
      NDArray pooled = DetectionOps.forEngineOf(features).roiAlign(features, rois, 2, 1f, 2);
      assertThat(pooled.getShape()).isEqualTo(new Shape(1, 1, 2, 2));
      // Bins span x in [2, 4] and [4, 6]: centres 3 and 5, minus the 0.5 offset.
      assertThat(pooled.toFloatArray())
          .containsExactly(new float[] {2.5f, 4.5f, 2.5f, 4.5f}, within(1e-5f));
    }
  }

  @Test
  void gradientsFlowToTheFeatures() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray features = m.ones(new Shape(2, 3, 16, 16));
      features.setRequiresGradient(true);
      NDArray rois = m.create(new float[] {1, 0, 0, 16, 16, 0, 4, 4, 8, 8}, new Shape(2, 5));
      try (GradientCollector gc = m.getEngine().newGradientCollector()) {
        NDArray pooled = DetectionOps.forEngineOf(features).roiAlign(features, rois, 7, 0.5f, 0);
        gc.backward(pooled.sum());
      }
      NDArray grad = features.getGradient();
      // Image 1 gets the whole-map ROI, image 0 the small one: both receive gradient 49*3 in total
      // per ROI (sum of bilinear weights), only within their own image.
      assertThat(grad.get(0).sum().getFloat()).isCloseTo(147f, within(1e-2f));
      assertThat(grad.get(1).sum().getFloat()).isCloseTo(147f, within(1e-2f));
    }
  }
}
