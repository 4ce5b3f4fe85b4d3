package io.longtail.detection.rpn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.longtail.datasets.pipeline.ImageTargets;
import io.longtail.datasets.pipeline.InstanceMask;
import io.longtail.detection.config.RpnConfig;
import io.longtail.detection.structures.Boxes;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RpnTest {

  private static final int[] STRIDES = {4, 8, 16, 32, 64};

  private static List<int[]> featureSizes(int image) {
    return Arrays.stream(STRIDES).mapToObj(s -> new int[] {image / s, image / s}).toList();
  }

  @Test
  void zeroOutputsGiveLog2ObjectnessLossAndExactBoxLoss() {
    Rpn rpn = new Rpn(RpnConfig.defaults(), STRIDES);
    List<float[]> levels = rpn.anchorGenerator().anchors(featureSizes(128));
    float[] all = new float[levels.stream().mapToInt(a -> a.length).sum()];
    int o = 0;
    for (float[] a : levels) {
      System.arraycopy(a, 0, all, o, a.length);
      o += a.length;
    }
    int t = Boxes.count(all);
    ImageTargets target =
        new ImageTargets(
            1L,
            "a.png",
            128,
            128,
            128,
            128,
            1,
            1,
            false,
            new float[] {20, 30, 60, 90},
            new int[] {0},
            new boolean[] {false},
            Arrays.asList(new InstanceMask[1]));
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray logits = m.zeros(new Shape(1, t));
      NDArray deltas = m.zeros(new Shape(1, t, 4));
      Rpn.Losses losses = rpn.losses(logits, deltas, all, List.of(target), new Random(1));
      // 256 sampled anchors with logit 0: each costs log 2, normalised by 256.
      assertThat(losses.objectness().getFloat()).isCloseTo((float) Math.log(2), within(1e-5f));
      assertThat(losses.box().getFloat()).isGreaterThan(0f);

      // Proposals: with a high logit on the anchor best matching the gt and zero deltas, that
      // anchor comes first.
      float[] l = new float[t];
      int best = 0;
      for (int i = 0; i < t; i++) {
        if (Boxes.iou(all, i, new float[] {20, 30, 60, 90}, 0)
            > Boxes.iou(all, best, new float[] {20, 30, 60, 90}, 0)) {
          best = i;
        }
      }
      l[best] = 5f;
      List<float[]> proposals =
          rpn.proposals(
              m.create(l, new Shape(1, t)), deltas, levels, List.of(new int[] {128, 128}), false);
      float[] expected = Boxes.box(all, best);
      Boxes.clip(expected, 128, 128);
      assertThat(Arrays.copyOf(proposals.get(0), 4)).containsExactly(expected, within(1e-4f));
      assertThat(Boxes.count(proposals.get(0))).isLessThanOrEqualTo(1000);
    }
  }
}
