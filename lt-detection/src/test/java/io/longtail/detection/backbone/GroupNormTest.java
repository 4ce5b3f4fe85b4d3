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
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class GroupNormTest {

  private static final Shape SHAPE = new Shape(2, 8, 3, 5);

  @Test
  void clipsTheGroupsToADivisorOfTheChannels() {
    assertThat(GroupNorm.clipGroups(32, 256)).isEqualTo(32);
    assertThat(GroupNorm.clipGroups(32, 8)).isEqualTo(8);
    assertThat(GroupNorm.clipGroups(32, 48)).isEqualTo(24);
    assertThat(GroupNorm.clipGroups(3, 8)).isEqualTo(2);
    assertThat(new GroupNorm(16, 32).groups()).isEqualTo(16);
  }

  @Test
  void givesEveryGroupZeroMeanAndUnitVarianceBeforeTheAffine() {
    try (NDManager m = NDManager.newBaseManager()) {
      GroupNorm gn = initialized(new GroupNorm(8, 4), m, SHAPE);
      // Channels on very different scales: each group still comes out standardised.
      NDArray x = gaussian(m, SHAPE, 7, 3f, 10f).mul(m.arange(1f, 9f).reshape(1, 8, 1, 1));
      float[] y = forward(gn, m, false, x).singletonOrThrow().toFloatArray();
      int groupSize = 2 * 3 * 5; // 2 channels of 3x5 per group, contiguous in NCHW
      for (int start = 0; start < y.length; start += groupSize) {
        double sum = 0;
        double sumSq = 0;
        for (int i = start; i < start + groupSize; i++) {
          sum += y[i];
          sumSq += (double) y[i] * y[i];
        }
        double mean = sum / groupSize;
        double var = sumSq / groupSize - mean * mean;
        assertThat(mean).as("group starting at %d", start).isCloseTo(0, within(1e-5));
        assertThat(var).as("group starting at %d", start).isCloseTo(1, within(1e-4));
      }
    }
  }

  @Test
  void appliesAPerChannelAffineAfterNormalising() {
    try (NDManager m = NDManager.newBaseManager()) {
      GroupNorm gn = initialized(new GroupNorm(8, 2), m, SHAPE);
      float[] gamma = {1, 2, 3, 4, 5, 6, 7, 8};
      float[] beta = {-1, -2, -3, -4, 1, 2, 3, 4};
      gn.getParameters().get("gamma").getArray().set(gamma);
      gn.getParameters().get("beta").getArray().set(beta);
      NDArray x = gaussian(m, SHAPE, 8);
      float[] normed = GroupNorm.normalize(x, 2, GroupNorm.DEFAULT_EPS).toFloatArray();
      float[] y = forward(gn, m, false, x).singletonOrThrow().toFloatArray();
      int plane = 3 * 5;
      for (int i = 0; i < y.length; i++) {
        int c = (i / plane) % 8;
        assertThat(y[i]).isCloseTo(normed[i] * gamma[c] + beta[c], within(1e-5f));
      }
    }
  }

  @Test
  void runsUnderAutogradAndTrainsGammaAndBeta() {
    try (NDManager m = NDManager.newBaseManager()) {
      GroupNorm gn = initialized(new GroupNorm(8, 4), m, SHAPE);
      NDArray x = gaussian(m, SHAPE, 9);
      NDArray weights = gaussian(m, SHAPE, 10);
      try (GradientCollector gc = m.getEngine().newGradientCollector()) {
        NDArray y = forward(gn, m, true, x).singletonOrThrow();
        gc.backward(y.mul(weights).sum());
      }
      NDArray gammaGrad = gn.getParameters().get("gamma").getArray().getGradient();
      NDArray betaGrad = gn.getParameters().get("beta").getArray().getGradient();
      // d/dbeta_c of sum(w * y) is the sum of w over channel c.
      assertThat(betaGrad.toFloatArray())
          .containsExactly(weights.sum(new int[] {0, 2, 3}).toFloatArray(), within(1e-4f));
      assertThat(gammaGrad.abs().sum().getFloat()).isGreaterThan(0f);
    }
  }

  @Test
  void rejectsNonPositiveGroups() {
    assertThatThrownBy(() -> new GroupNorm(8, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("groups must be positive, got 0");
  }
}
