package io.longtail.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EqualizationLossTest {

  // Category 1 and 2 are rare for lambda = 0.01.
  private static final List<Double> FREQ = List.of(0.5, 0.001, 0.004);
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
    // K = 2, frequencies (0.5, 0.001), lambda 0.01: category 1 is rare. Logits 0 (BCE ln 2 each).
    // Row 0, label 0 (foreground): the negative of rare category 1 is suppressed -> ln 2.
    // Row 1, background (label 2): nothing suppressed -> 2 ln 2. Sum / 2 rows = 1.5 ln 2.
    EqualizationLoss.Config config = new EqualizationLoss.Config(0.01, List.of(0.5, 0.001));
    NDArray logits = manager.zeros(new Shape(2, 2), ai.djl.ndarray.types.DataType.FLOAT64);
    logits.setRequiresGradient(true);
    NDArray labels = manager.create(new int[] {0, 2});
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray loss = config.create().evaluate(new NDList(labels), new NDList(logits));
      GradCheck.assertSame("EQL", loss.getDouble(), 1.5 * Math.log(2));
      gc.backward(loss);
    }
    // dL/dz = w (sigmoid(z) - t) / 2: row 0 = (-1/4, 0), row 1 = (1/4, 1/4).
    assertThat(logits.getGradient().toDoubleArray())
        .containsExactly(
            new double[] {-0.25, 0, 0.25, 0.25}, org.assertj.core.data.Offset.offset(1e-15));
  }

  @Test
  void lambdaZeroIsBce() {
    NDArray logits = manager.create(GradCheck.random(9, 18, 4), new Shape(6, 3));
    NDArray labels = manager.create(new int[] {0, 1, 2, 3, 3, -1});
    GradCheck.assertSame(
        "lambda = 0",
        EqualizationLoss.eql(logits, labels, new EqualizationLoss.Config(0, FREQ).rareMask())
            .getDouble(),
        BinaryCrossEntropyLoss.binaryCrossEntropy(logits, labels).getDouble());
  }

  @Test
  void rareNegativesGetNoGradientFromForegroundRowsOnly() {
    double[] rare = new EqualizationLoss.Config(0.01, FREQ).rareMask();
    assertThat(rare).containsExactly(0, 1, 1);
    NDArray labels = manager.create(new int[] {0, 1, 3});
    double[] g =
        GradCheck.autograd(
            manager,
            GradCheck.random(10, 9, 2),
            new Shape(3, 3),
            z -> EqualizationLoss.eql(z, labels, rare));
    // Row 0 (class 0): rare negatives 1 and 2 suppressed. Row 1 (class 1, itself rare): its own
    // positive kept, rare negative 2 suppressed. Row 2 (background): nothing suppressed.
    assertThat(g[0]).isNotZero();
    assertThat(g[1]).isZero();
    assertThat(g[2]).isZero();
    assertThat(g[3]).isNotZero();
    assertThat(g[4]).isNotZero();
    assertThat(g[5]).isZero();
    assertThat(new double[] {g[6], g[7], g[8]}).doesNotContain(0.0);
  }

  @Test
  void gradientMatchesFiniteDifferences() {
    double[] rare = new EqualizationLoss.Config(0.01, FREQ).rareMask();
    NDArray labels = manager.create(new int[] {0, 1, 2, 3, -1});
    GradCheck.check(
        "EQL",
        manager,
        GradCheck.random(11, 15, 3),
        new Shape(5, 3),
        z -> EqualizationLoss.eql(z, labels, rare));
  }

  @Test
  void configRejectsBadFrequencies() {
    assertThatThrownBy(() -> new EqualizationLoss.Config(0.01, List.of(0.5, 1.5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("imageFrequency[1]")
        .hasMessageContaining("1.5");
    assertThatThrownBy(() -> new EqualizationLoss.Config(-1, FREQ))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lambda");
  }
}
