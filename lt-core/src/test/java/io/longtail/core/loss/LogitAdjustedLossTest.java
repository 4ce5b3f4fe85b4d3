package io.longtail.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LogitAdjustedLossTest {

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
  void byHand() {
    // Counts (1, 3): prior (1/4, 3/4). Logits (0, 0) + log prior -> softmax (1/4, 3/4);
    // label 0 -> ln 4.
    LogitAdjustedLoss.Config config = new LogitAdjustedLoss.Config(1, List.of(1L, 3L));
    NDArray logits = manager.zeros(new Shape(1, 2), ai.djl.ndarray.types.DataType.FLOAT64);
    double loss =
        config
            .create()
            .evaluate(new NDList(manager.create(new int[] {0})), new NDList(logits))
            .getDouble();
    GradCheck.assertSame("LA", loss, Math.log(4));
    // Post-hoc: (0, 0) - log prior = (ln 4, ln 4/3).
    assertThat(config.posthocAdjust(logits).toDoubleArray())
        .containsExactly(
            new double[] {Math.log(4), Math.log(4.0 / 3)},
            org.assertj.core.data.Offset.offset(1e-15));
  }

  @Test
  void uniformPriorIsCrossEntropy() {
    NDArray logits = manager.create(GradCheck.random(7, 20, 3), new Shape(5, 4));
    NDArray labels = manager.create(new int[] {0, 1, 2, 3, -1});
    double[] uniform = LogitAdjustedLoss.logPrior(List.of(5L, 5L, 5L, 5L));
    GradCheck.assertSame(
        "uniform prior",
        LogitAdjustedLoss.adjustedLoss(logits, labels, uniform, 1).getDouble(),
        CrossEntropyLoss.crossEntropy(logits, labels).getDouble());
    // Post-hoc with a uniform prior only shifts every logit by ln 4: same softmax.
    assertThat(LogitAdjustedLoss.posthocAdjust(logits, uniform, 1).softmax(1).toDoubleArray())
        .containsExactly(
            logits.softmax(1).toDoubleArray(), org.assertj.core.data.Offset.offset(1e-15));
  }

  @Test
  void tauZeroIsCrossEntropyAndGradientMatchesFiniteDifferences() {
    double[] prior = LogitAdjustedLoss.logPrior(List.of(100L, 10L, 3L, 1L));
    NDArray labels = manager.create(new int[] {0, 1, 2, 3, 3});
    NDArray logits = manager.create(GradCheck.random(8, 20, 3), new Shape(5, 4));
    GradCheck.assertSame(
        "tau = 0",
        LogitAdjustedLoss.adjustedLoss(logits, labels, prior, 0).getDouble(),
        CrossEntropyLoss.crossEntropy(logits, labels).getDouble());
    GradCheck.check(
        "LA",
        manager,
        GradCheck.random(8, 20, 3),
        new Shape(5, 4),
        z -> LogitAdjustedLoss.adjustedLoss(z, labels, prior, 1));
  }

  @Test
  void configRejectsZeroCountsAndNegativeTau() {
    assertThatThrownBy(() -> new LogitAdjustedLoss.Config(1, List.of(4L, 0L)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("classCounts[1] must be >= 1 (log prior), got 0");
    assertThatThrownBy(() -> new LogitAdjustedLoss.Config(-0.5, List.of(4L)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tau")
        .hasMessageContaining("-0.5");
  }
}
