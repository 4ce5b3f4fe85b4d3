package io.longtail.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Cross-entropy, BCE and focal loss: hand-computed cases, limits, gradients, input checks. */
class BaselineLossesTest {

  private static final double LN2 = Math.log(2);
  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private NDArray m(double[][] v) {
    return manager.create(v);
  }

  @Test
  void crossEntropyByHandAndIgnoredRows() {
    // Row 0: logits (0, ln 3) -> softmax (1/4, 3/4); label 1 -> -ln(3/4) = ln(4/3).
    // Row 1 is ignored (-1): the mean is over one row.
    NDArray logits = m(new double[][] {{0, Math.log(3)}, {5, -5}});
    NDArray labels = manager.create(new int[] {1, -1});
    GradCheck.assertSame(
        "CE", CrossEntropyLoss.crossEntropy(logits, labels).getDouble(), Math.log(4.0 / 3));
    // dL/dz = p - t for row 0 = (1/4, -1/4); ignored row: 0.
    logits.setRequiresGradient(true);
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      gc.backward(new CrossEntropyLoss().evaluate(new NDList(labels), new NDList(logits)));
    }
    assertThat(logits.getGradient().toDoubleArray())
        .containsExactly(
            new double[] {0.25, -0.25, 0, 0}, org.assertj.core.data.Offset.offset(1e-15));
  }

  @Test
  void crossEntropyGradientMatchesFiniteDifferences() {
    NDArray labels = manager.create(new int[] {0, 3, 2, 1, -1});
    GradCheck.check(
        "CE",
        manager,
        GradCheck.random(1, 20, 3),
        new Shape(5, 4),
        z -> CrossEntropyLoss.crossEntropy(z, labels));
  }

  @Test
  void crossEntropyRejectsLabelsOutOfRangeAndBadShapes() {
    NDArray logits = m(new double[][] {{0, 1}});
    assertThatThrownBy(() -> CrossEntropyLoss.crossEntropy(logits, manager.create(new int[] {2})))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[-1, 1]")
        .hasMessageContaining("2.0");
    assertThatThrownBy(
            () -> CrossEntropyLoss.crossEntropy(logits, manager.create(new int[] {0, 1})))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("labels must be class indices (N)");
  }

  @Test
  void bceByHandWithBackgroundRow() {
    // Row 0: label 0, logits (0, ln 3): -ln sigmoid(0) - ln(1 - sigmoid(ln 3)) = ln 2 + ln 4.
    // Row 1: background (label 2 = C), logits (ln 3, 0): ln 4 + ln 2. Mean ln 8; ignored row 2.
    NDArray logits = m(new double[][] {{0, Math.log(3)}, {Math.log(3), 0}, {9, 9}});
    NDArray labels = manager.create(new int[] {0, 2, -1});
    GradCheck.assertSame(
        "BCE", BinaryCrossEntropyLoss.binaryCrossEntropy(logits, labels).getDouble(), 3 * LN2);
  }

  @Test
  void bceMultiHotEqualsIndexLabelsAndStaysExactForLargeLogits() {
    NDArray logits = m(new double[][] {{2, -1, 0.5}, {-3, 4, 1}});
    double fromIndex =
        BinaryCrossEntropyLoss.binaryCrossEntropy(logits, manager.create(new int[] {0, 3}))
            .getDouble();
    double fromMultiHot =
        BinaryCrossEntropyLoss.binaryCrossEntropy(logits, m(new double[][] {{1, 0, 0}, {0, 0, 0}}))
            .getDouble();
    GradCheck.assertSame("multi-hot", fromMultiHot, fromIndex);
    // A confident correct positive: -ln sigmoid(40) = ln(1 + e^-40) ~ e^-40, not rounded to 0.
    double tiny =
        BinaryCrossEntropyLoss.binaryCrossEntropy(
                m(new double[][] {{40}}), manager.create(new int[] {0}))
            .getDouble();
    assertThat(tiny)
        .isCloseTo(Math.exp(-40), org.assertj.core.data.Percentage.withPercentage(1e-6));
  }

  @Test
  void bceGradientMatchesFiniteDifferences() {
    NDArray labels = manager.create(new int[] {0, 3, 2, -1});
    GradCheck.check(
        "BCE",
        manager,
        GradCheck.random(2, 12, 4),
        new Shape(4, 3),
        z -> BinaryCrossEntropyLoss.binaryCrossEntropy(z, labels));
  }

  @Test
  void focalByHand() {
    // One column, logit 0 (p = 1/2). Positive row: (1 - p)^2 ln 2 * alpha = 1/4 ln2 * 1/4;
    // background row (label 1 = C): p^2 ln 2 * (1 - alpha) = 1/4 ln2 * 3/4. Mean: ln2 / 8.
    NDArray logits = m(new double[][] {{0}, {0}});
    NDArray labels = manager.create(new int[] {0, 1});
    GradCheck.assertSame(
        "focal",
        FocalLoss.focal(logits, labels, FocalLoss.Config.of(2, 0.25)).getDouble(),
        LN2 / 8);
    // Without alpha: (1/4 ln2 + 1/4 ln2) / 2.
    GradCheck.assertSame(
        "focal, no alpha",
        FocalLoss.focal(logits, labels, FocalLoss.Config.of(2)).getDouble(),
        LN2 / 4);
  }

  @Test
  void focalWithGammaZeroIsBce() {
    NDArray logits = manager.create(GradCheck.random(3, 15, 5), new Shape(5, 3));
    NDArray labels = manager.create(new int[] {0, 1, 2, 3, -1});
    GradCheck.assertSame(
        "gamma = 0",
        new FocalLoss(FocalLoss.Config.of(0))
            .evaluate(new NDList(labels), new NDList(logits))
            .getDouble(),
        BinaryCrossEntropyLoss.binaryCrossEntropy(logits, labels).getDouble());
    // alpha = 1/2 halves every term.
    GradCheck.assertSame(
        "alpha = 1/2",
        FocalLoss.focal(logits, labels, FocalLoss.Config.of(0, 0.5)).getDouble(),
        BinaryCrossEntropyLoss.binaryCrossEntropy(logits, labels).getDouble() / 2);
  }

  @Test
  void focalGradientMatchesFiniteDifferences() {
    NDArray labels = manager.create(new int[] {0, 3, 2, 1});
    for (double gamma : new double[] {0.5, 2}) {
      GradCheck.check(
          "focal gamma=" + gamma,
          manager,
          GradCheck.random(4, 12, 4),
          new Shape(4, 3),
          z -> FocalLoss.focal(z, labels, FocalLoss.Config.of(gamma, 0.25)));
    }
  }

  @Test
  void focalConfigRejectsBadSettings() {
    assertThatThrownBy(() -> FocalLoss.Config.of(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gamma")
        .hasMessageContaining("-1.0");
    assertThatThrownBy(() -> FocalLoss.Config.of(2, 1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("alpha")
        .hasMessageContaining("1.5");
  }
}
