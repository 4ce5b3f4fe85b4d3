package io.longtail.core.bbn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The adaptor, the two samplers, the network's mixing and the loss. */
class BbnTest {

  @Test
  void adaptorDecaysAsAParabolaFromOneToZero() {
    assertThat(CumulativeLearning.alpha(0, 10)).isEqualTo(1.0);
    assertThat(CumulativeLearning.alpha(5, 10)).isEqualTo(0.75);
    assertThat(CumulativeLearning.alpha(9, 10)).isCloseTo(0.19, within(1e-12));
    assertThat(CumulativeLearning.alpha(10, 10)).isEqualTo(0.0);
    assertThatThrownBy(() -> CumulativeLearning.alpha(11, 10))
        .hasMessage("epoch must be in [0, maxEpochs=10], got 11");
    assertThatThrownBy(() -> CumulativeLearning.alpha(0, 0))
        .hasMessage("maxEpochs must be >= 1, got 0");
  }

  /** Classes 0, 1, 3 with 8, 2 and 1 samples; class 2 has none. */
  static final int[] LABELS = {0, 0, 1, 0, 0, 3, 0, 1, 0, 0, 0};

  @Test
  void uniformSamplerVisitsEverySampleOncePerEpochFromTheSeed() {
    BbnSamplers s = new BbnSamplers(LABELS, 4, 7);
    int[] e0 = s.uniform(0);
    assertThat(Arrays.stream(e0).sorted().toArray())
        .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    assertThat(new BbnSamplers(LABELS, 4, 7).uniform(0)).containsExactly(e0);
    assertThat(s.uniform(1)).isNotEqualTo(e0);
    assertThat(new BbnSamplers(LABELS, 4, 8).uniform(0)).isNotEqualTo(e0);
  }

  @Test
  void reversedSamplerDrawsClassesInInverseProportionToTheirSize() {
    BbnSamplers s = new BbnSamplers(LABELS, 4, 7);
    // w = N_max / N_c = 1, 4, -, 8 for classes 0, 1, 3: p = 1/13, 4/13, 0, 8/13.
    assertThat(s.reversedClassProbability(0)).isCloseTo(1 / 13.0, within(1e-12));
    assertThat(s.reversedClassProbability(1)).isCloseTo(4 / 13.0, within(1e-12));
    assertThat(s.reversedClassProbability(2)).isCloseTo(0, within(1e-12));
    assertThat(s.reversedClassProbability(3)).isCloseTo(8 / 13.0, within(1e-12));
    int n = 26000;
    int[] drawn = new int[4];
    for (int i : s.reversed(3, n)) {
      drawn[LABELS[i]]++;
    }
    assertThat(drawn[2]).isZero();
    // Binomial standard deviation about 0.003 of n: 5 sigma bounds.
    assertThat(drawn[0] / (double) n).isCloseTo(1 / 13.0, within(0.009));
    assertThat(drawn[1] / (double) n).isCloseTo(4 / 13.0, within(0.015));
    assertThat(drawn[3] / (double) n).isCloseTo(8 / 13.0, within(0.015));
    assertThat(s.reversed(3, 50)).containsExactly(new BbnSamplers(LABELS, 4, 7).reversed(3, 50));
    assertThatThrownBy(() -> new BbnSamplers(new int[] {0, 4}, 4, 1))
        .hasMessage("labels[1] must be in [0, 4), got 4");
  }

  static BbnNetwork tiny(NDManager m) {
    Engine.getInstance().setRandomSeed(3);
    BbnNetwork net =
        BbnNetwork.builder()
            .setTrunk(
                new SequentialBlock()
                    .add(Linear.builder().setUnits(6).build())
                    .add(Activation::relu))
            .setBranches(
                new SequentialBlock().add(Linear.builder().setUnits(4).build()),
                new SequentialBlock().add(Linear.builder().setUnits(4).build()))
            .setNumClasses(3)
            .build();
    net.initialize(m, DataType.FLOAT32, new Shape(2, 5));
    return net;
  }

  @Test
  void atAlphaOneOnlyTheConventionalBranchLearns() {
    try (NDManager m = NDManager.newBaseManager()) {
      BbnNetwork net = tiny(m);
      ParameterStore ps = new ParameterStore(m, false);
      NDArray xc = m.randomNormal(new Shape(2, 5));
      NDArray xr = m.randomNormal(new Shape(2, 5));
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray z = net.forward(ps, new NDList(xc, xr, m.create(1f)), true).singletonOrThrow();
        gc.backward(BbnNetwork.loss(z, m.create(new int[] {0, 2}), m.create(new int[] {1, 1}), 1));
      }
      for (Pair<String, Parameter> p : net.getParameters()) {
        float g = p.getValue().getArray().getGradient().abs().sum().getFloat();
        if (p.getKey().contains("rebalancing")) {
          assertThat(g).as(p.getKey()).isZero();
        } else if (p.getKey().contains("conventional")) {
          assertThat(g).as(p.getKey()).isPositive();
        }
      }
    }
  }

  @Test
  void testForwardWeighsBothBranchesEquallyOnTheSameInputs() {
    try (NDManager m = NDManager.newBaseManager()) {
      BbnNetwork net = tiny(m);
      ParameterStore ps = new ParameterStore(m, false);
      NDArray x = m.randomNormal(new Shape(3, 5));
      float[] test = net.forward(ps, new NDList(x), false).singletonOrThrow().toFloatArray();
      float[] mixed =
          net.forward(ps, new NDList(x, x, m.create(0.5f)), false)
              .singletonOrThrow()
              .toFloatArray();
      assertThat(test).containsExactly(mixed, org.assertj.core.data.Offset.offset(1e-6f));
    }
  }

  @Test
  void lossMixesTheTwoCrossEntropiesByTheAdaptor() {
    try (NDManager m = NDManager.newBaseManager()) {
      // One row, logits (0, ln 3): softmax = (1/4, 3/4); float32 rounding is about 2e-6.
      NDArray z = m.create(new float[] {0, (float) Math.log(3)}, new Shape(1, 2));
      NDArray y0 = m.create(new int[] {0});
      NDArray y1 = m.create(new int[] {1});
      double ce0 = Math.log(4);
      double ce1 = Math.log(4.0 / 3);
      assertThat(BbnNetwork.loss(z, y0, y1, 1).getFloat()).isCloseTo((float) ce0, within(5e-6f));
      assertThat(BbnNetwork.loss(z, y0, y1, 0).getFloat()).isCloseTo((float) ce1, within(5e-6f));
      assertThat(BbnNetwork.loss(z, y0, y1, 0.25).getFloat())
          .isCloseTo((float) (0.25 * ce0 + 0.75 * ce1), within(5e-6f));
      assertThatThrownBy(() -> BbnNetwork.loss(z, y0, y1, 1.5))
          .hasMessage("alpha must be in [0, 1], got 1.5");
    }
  }
}
