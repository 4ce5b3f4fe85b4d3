package io.longtail.detection.roiheads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.longtail.detection.modeling.BoxCoder;
import io.longtail.detection.structures.ImageDetections;
import org.junit.jupiter.api.Test;

class FastRcnnInferenceTest {

  private static final FastRcnnInference.Settings SETTINGS =
      new FastRcnnInference.Settings(0.05f, 0.5f, 300);

  @Test
  void thresholdsSuppressesPerClassAndRescales() {
    // Two overlapping ROIs, K = 2 classes + background; agnostic zero deltas keep the boxes.
    float[] proposals = {10, 10, 50, 50, 12, 12, 50, 50};
    float[] scores = {
      0.7f, 0.2f, 0.1f, // ROI 0
      0.6f, 0.01f, 0.39f, // ROI 1: class 1 below threshold
    };
    ImageDetections d =
        FastRcnnInference.detect(
            scores,
            new float[8],
            proposals,
            2,
            BoxCoder.roiHead(),
            new FastRcnnInference.ImageGeometry(5L, 100, 100, 2.0, 2.0),
            SETTINGS);
    // Class 0: ROI 1 suppressed by ROI 0 (IoU 0.9); class 1: ROI 0 only.
    assertThat(d.imageId()).isEqualTo(5L);
    assertThat(d.classes()).containsExactly(0, 1);
    assertThat(d.scores()).containsExactly(0.7f, 0.2f);
    // Boxes back in original pixels (scale 2).
    assertThat(d.boxes()).containsExactly(new float[] {5, 5, 25, 25, 5, 5, 25, 25}, within(1e-4f));
  }

  @Test
  void perClassDeltasDecodeTheirOwnClassAndClip() {
    float[] proposals = {10, 10, 50, 50};
    float[] deltas = {0, 0, 0, 0, 10, 0, 0, 0}; // class 1 shifts right by one box width
    float[] scores = {0.3f, 0.6f, 0.1f};
    ImageDetections d =
        FastRcnnInference.detect(
            scores,
            deltas,
            proposals,
            2,
            BoxCoder.roiHead(),
            new FastRcnnInference.ImageGeometry(1L, 100, 80, 1.0, 1.0),
            SETTINGS);
    assertThat(d.classes()).containsExactly(1, 0);
    // Class 1 box (50, 10, 90, 50) clipped to width 80.
    assertThat(d.boxes())
        .containsExactly(new float[] {50, 10, 80, 50, 10, 10, 50, 50}, within(1e-4f));
  }

  @Test
  void capsDetectionsPerImage() {
    int r = 50;
    float[] proposals = new float[4 * r];
    float[] scores = new float[r * 2];
    for (int i = 0; i < r; i++) {
      proposals[4 * i] = 3 * i;
      proposals[4 * i + 1] = 0;
      proposals[4 * i + 2] = 3 * i + 2;
      proposals[4 * i + 3] = 2;
      scores[2 * i] = 0.5f + i / 1000f;
    }
    ImageDetections d =
        FastRcnnInference.detect(
            scores,
            new float[4 * r],
            proposals,
            1,
            BoxCoder.roiHead(),
            new FastRcnnInference.ImageGeometry(1L, 10, 200, 1, 1),
            new FastRcnnInference.Settings(1e-4f, 0.5f, 7));
    assertThat(d.size()).isEqualTo(7);
    assertThat(d.scores()[0]).isCloseTo(0.549f, within(1e-6f));
  }
}
