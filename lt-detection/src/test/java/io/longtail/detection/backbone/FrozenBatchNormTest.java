package io.longtail.detection.backbone;

import static io.longtail.detection.backbone.TestArrays.forward;
import static io.longtail.detection.backbone.TestArrays.gaussian;
import static io.longtail.detection.backbone.TestArrays.initialized;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class FrozenBatchNormTest {

  private static final Shape SHAPE = new Shape(2, 3, 4, 5);

  @Test
  void isTheIdentityAtInitialisation() {
    try (NDManager m = NDManager.newBaseManager()) {
      FrozenBatchNorm bn = initialized(new FrozenBatchNorm(3), m, SHAPE);
      NDArray x = gaussian(m, SHAPE, 1, 2f, 5f);
      NDArray y = forward(bn, m, false, x).singletonOrThrow();
      assertThat(y.getShape()).isEqualTo(SHAPE);
      assertThat(y.toFloatArray()).containsExactly(x.toFloatArray(), within(1e-5f));
    }
  }

  @Test
  void appliesTheStoredStatisticsPerChannel() {
    try (NDManager m = NDManager.newBaseManager()) {
      FrozenBatchNorm bn = initialized(new FrozenBatchNorm(3, 0.01f), m, SHAPE);
      float[] scale = {2f, -1f, 0.5f};
      float[] bias = {1f, 0f, -3f};
      float[] mean = {0.5f, -2f, 4f};
      float[] var = {4f, 0.25f, 9f};
      set(bn, "scale", scale);
      set(bn, "bias", bias);
      set(bn, "runningMean", mean);
      set(bn, "runningVar", var);
      NDArray x = gaussian(m, SHAPE, 2);
      float[] in = x.toFloatArray();
      float[] out = forward(bn, m, false, x).singletonOrThrow().toFloatArray();
      int plane = 4 * 5;
      for (int i = 0; i < in.length; i++) {
        int c = (i / plane) % 3;
        float expected =
            (float) ((in[i] - mean[c]) * scale[c] / Math.sqrt(var[c] + 0.01) + bias[c]);
        assertThat(out[i]).as("element %d", i).isCloseTo(expected, within(1e-5f));
      }
    }
  }

  @Test
  void trainsNothingButPassesGradientsToItsInput() {
    try (NDManager m = NDManager.newBaseManager()) {
      FrozenBatchNorm bn = initialized(new FrozenBatchNorm(3), m, SHAPE);
      set(bn, "runningVar", new float[] {4f, 4f, 4f});
      NDArray x = gaussian(m, SHAPE, 3);
      x.setRequiresGradient(true);
      try (GradientCollector gc = m.getEngine().newGradientCollector()) {
        gc.backward(forward(bn, m, true, x).singletonOrThrow().sum());
      }
      for (Parameter p : bn.getParameters().values()) {
        assertThat(p.requiresGradient()).as(p.getName()).isFalse();
        assertThat(p.getArray().hasGradient()).as(p.getName()).isFalse();
      }
      // dy/dx = 1 / sqrt(4 + eps)
      float[] expected = new float[(int) SHAPE.size()];
      java.util.Arrays.fill(expected, 0.5f);
      assertThat(x.getGradient().toFloatArray()).containsExactly(expected, within(1e-5f));
    }
  }

  @Test
  void rejectsNonPositiveChannels() {
    assertThatThrownBy(() -> new FrozenBatchNorm(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("channels must be positive, got 0");
  }

  private static void set(FrozenBatchNorm bn, String name, float[] values) {
    bn.getParameters().get(name).getArray().set(values);
  }
}
