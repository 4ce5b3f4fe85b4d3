package io.longtail.detection.roiheads;

import static org.assertj.core.api.Assertions.assertThat;

import io.longtail.datasets.pipeline.ImageTargets;
import io.longtail.detection.modeling.BalancedSampler;
import io.longtail.detection.modeling.BoxCoder;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RoiSamplingTest {

  static ImageTargets targets(float[] boxes, int[] labels, boolean[] crowd) {
    return new ImageTargets(
        1L,
        "x.png",
        100,
        100,
        100,
        100,
        1,
        1,
        false,
        boxes,
        labels,
        crowd,
        Arrays.asList(new io.longtail.datasets.pipeline.InstanceMask[labels.length]));
  }

  @Test
  void labelsForegroundByIouAppendsGroundTruthAndSkipsCrowd() {
    ImageTargets t =
        targets(
            new float[] {10, 10, 50, 50, 60, 60, 90, 90},
            new int[] {3, 7},
            new boolean[] {false, true});
    float[] proposals = {
      12, 12, 50, 50, // IoU ~0.9 with gt 0: foreground class 3
      0, 0, 8, 8, // background
      60, 60, 90, 90, // on the crowd box only: background
    };
    RoiSampling.Sampled s =
        RoiSampling.sample(
            List.of(proposals),
            List.of(t),
            0.5f,
            new BalancedSampler(512, 0.25f),
            BoxCoder.roiHead(),
            10,
            new Random(1));
    // Candidates: 3 proposals + 1 appended non-crowd gt box; 2 foreground, 2 background.
    assertThat(s.size()).isEqualTo(4);
    assertThat(s.labels()).containsExactly(3, 3, 10, 10);
    assertThat(s.foregroundRows()).containsExactly(0, 1);
    assertThat(s.regressionTargets()).hasSize(8);
    // The appended gt box regresses to itself: zero deltas.
    assertThat(Arrays.copyOfRange(s.regressionTargets(), 4, 8)).containsOnly(0f);
  }

  @Test
  void imagesWithoutGroundTruthGiveOnlyBackground() {
    ImageTargets empty = targets(new float[0], new int[0], new boolean[0]);
    RoiSampling.Sampled s =
        RoiSampling.sample(
            List.of(new float[] {0, 0, 10, 10, 5, 5, 20, 20}),
            List.of(empty),
            0.5f,
            new BalancedSampler(512, 0.25f),
            BoxCoder.roiHead(),
            4,
            new Random(1));
    assertThat(s.labels()).containsExactly(4, 4);
    assertThat(s.foregroundRows()).isEmpty();
  }
}
