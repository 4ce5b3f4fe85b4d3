package io.longtail.core.loss;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DistributionBalancedLossTest {

  private static final List<Double> FREQ = List.of(30.0, 70.0, 293.0, 8.0);
  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void cocoMltSettingsByHand() {
    // One class with n = 50 of N = 100: bias -ln(100/50 - 1) * 0.05 / 2 = 0. Logit 0.
    // Positive row: r = (1/50) / (1/50) = 1, w = sigmoid(10 (1 - 0.2)) + 0.1; BCE = ln 2,
    // p_t = 1/2: loss = 2 * (1/2)^2 * w * ln 2 = w ln 2 / 2.
    // Row without positive (label 1 = C): w = 1 + 0.1, divided by negScale 2 -> 0.55; the scaled
    // logit 2 * 0 = 0: loss = 2 * 1/4 * 0.55 * ln 2. Mean over the 2 x 1 elements.
    DistributionBalancedLoss.Config config =
        DistributionBalancedLoss.Config.builder(List.of(50.0), 100).build();
    double w = 1 / (1 + Math.exp(-8)) + 0.1;
    double expected = (w / 2 + 0.275) * Math.log(2) / 2;
    NDArray logits = manager.zeros(new Shape(2, 1), ai.djl.ndarray.types.DataType.FLOAT64);
    GradCheck.assertSame(
        "DB",
        config
            .create()
            .evaluate(new NDList(manager.create(new int[] {0, 1})), new NDList(logits))
            .getDouble(),
        expected);
  }

  @Test
  void withoutReweightingRegularisationAndFocusItIsMeanBce() {
    // mapBeta 0 and mapAlpha 1/2 give w = 1/2 + 1/2 = 1; negScale 1, initBias 0, gamma 0,
    // balance 1: the element-wise mean of BCE = (row-summed BCE mean) / C.
    DistributionBalancedLoss.Config plain =
        DistributionBalancedLoss.Config.builder(FREQ, 1000)
            .optFocalGamma(0)
            .optBalanceParam(1)
            .optNegScale(1)
            .optInitBias(0)
            .optMapping(0.5, 0, 0.2)
            .build();
    NDArray logits = manager.create(GradCheck.random(16, 12, 3), new Shape(3, 4));
    NDArray labels = manager.create(new double[][] {{1, 0, 1, 0}, {0, 0, 0, 1}, {0, 0, 0, 0}});
    GradCheck.assertSame(
        "plain",
        DistributionBalancedLoss.distributionBalanced(logits, labels, plain).getDouble(),
        BinaryCrossEntropyLoss.binaryCrossEntropy(logits, labels).getDouble() / 4);
  }

  @Test
  void initBiasShiftsTheLogitsByTheClassLogOdds() {
    // With the other parts off, initBias kappa and negScale 1 give BCE(z - kappa log(N/n - 1)).
    double kappa = 0.3;
    DistributionBalancedLoss.Config config =
        DistributionBalancedLoss.Config.builder(FREQ, 1000)
            .optFocalGamma(0)
            .optBalanceParam(1)
            .optNegScale(1)
            .optInitBias(kappa)
            .optMapping(0.5, 0, 0.2)
            .build();
    double[] z = GradCheck.random(17, 8, 2);
    double[] shifted = z.clone();
    for (int i = 0; i < z.length; i++) {
      shifted[i] -= kappa * Math.log(1000 / FREQ.get(i % 4) - 1);
    }
    NDArray labels = manager.create(new double[][] {{1, 0, 0, 1}, {0, 1, 0, 0}});
    GradCheck.assertSame(
        "bias",
        DistributionBalancedLoss.distributionBalanced(
                manager.create(z, new Shape(2, 4)), labels, config)
            .getDouble(),
        BinaryCrossEntropyLoss.binaryCrossEntropy(manager.create(shifted, new Shape(2, 4)), labels)
                .getDouble()
            / 4);
  }

  @Test
  void gradientMatchesFiniteDifferences() {
    DistributionBalancedLoss.Config config =
        DistributionBalancedLoss.Config.builder(FREQ, 1000).build();
    NDArray labels = manager.create(new double[][] {{1, 0, 1, 0}, {0, 0, 0, 1}, {0, 0, 0, 0}});
    GradCheck.check(
        "DB",
        manager,
        GradCheck.random(18, 12, 3),
        new Shape(3, 4),
        z -> DistributionBalancedLoss.distributionBalanced(z, labels, config));
  }

  @Test
  void configRejectsFrequenciesOutsideTheTrainingSet() {
    assertThatThrownBy(
            () -> DistributionBalancedLoss.Config.builder(List.of(5.0, 100.0), 100).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("classFrequency[1] must be in (0, trainSize=100.0)")
        .hasMessageContaining("got 100.0");
    assertThatThrownBy(
            () -> DistributionBalancedLoss.Config.builder(FREQ, 1000).optNegScale(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negScale must be positive and finite, got 0.0");
  }
}
