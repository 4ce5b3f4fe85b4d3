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

class ClassBalancedLossTest {

  private static final List<Long> COUNTS = List.of(500L, 40L, 7L);
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
  void weightsByHand() {
    // beta = 1/2, n = (1, 2): (1 - b)/(1 - b^n) = (1/2)/(1/2) = 1 and (1/2)/(3/4) = 2/3;
    // normalised to sum to C = 2: (1, 2/3) * 2 / (5/3) = (6/5, 4/5).
    double[] w = ClassBalancedLoss.classWeights(0.5, List.of(1L, 2L));
    assertThat(w)
        .containsExactly(new double[] {1.2, 0.8}, org.assertj.core.data.Offset.offset(1e-15));
    // Softmax CB, logits 0 (CE = ln 2 per row), both rows of class 0: (1.2 + 1.2) ln 2 / 2.
    NDArray logits = manager.zeros(new Shape(2, 2), ai.djl.ndarray.types.DataType.FLOAT64);
    NDArray loss =
        ClassBalancedLoss.classBalanced(
            logits,
            manager.create(new int[] {0, 0}),
            ClassBalancedLoss.Config.softmax(0.5, List.of(1L, 2L)));
    GradCheck.assertSame("CB softmax", loss.getDouble(), 1.2 * Math.log(2));
  }

  @Test
  void weightsSumToNumberOfClassesAndFavourRareClasses() {
    double[] w = ClassBalancedLoss.classWeights(0.999, COUNTS);
    assertThat(w[0] + w[1] + w[2]).isCloseTo(3, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(w[0]).isLessThan(w[1]);
    assertThat(w[1]).isLessThan(w[2]);
  }

  @Test
  void betaZeroIsThePlainLoss() {
    NDArray logits = manager.create(GradCheck.random(5, 18, 3), new Shape(6, 3));
    NDArray labels = manager.create(new int[] {0, 1, 2, 2, 1, 0});
    GradCheck.assertSame(
        "softmax",
        eval(ClassBalancedLoss.Config.softmax(0, COUNTS), labels, logits),
        CrossEntropyLoss.crossEntropy(logits, labels).getDouble());
    // Single-label rows: P = N, so the sigmoid/focal normalisation equals the row mean.
    GradCheck.assertSame(
        "sigmoid",
        eval(ClassBalancedLoss.Config.sigmoid(0, COUNTS), labels, logits),
        BinaryCrossEntropyLoss.binaryCrossEntropy(logits, labels).getDouble());
    GradCheck.assertSame(
        "focal",
        eval(ClassBalancedLoss.Config.focal(0, 2, COUNTS), labels, logits),
        FocalLoss.focal(logits, labels, FocalLoss.Config.of(2)).getDouble());
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    NDArray labels = manager.create(new int[] {0, 1, 2, 2, -1});
    for (ClassBalancedLoss.Config config :
        List.of(
            ClassBalancedLoss.Config.softmax(0.99, COUNTS),
            ClassBalancedLoss.Config.sigmoid(0.99, COUNTS),
            ClassBalancedLoss.Config.focal(0.99, 1.5, COUNTS))) {
      GradCheck.check(
          "CB " + config.base(),
          manager,
          GradCheck.random(6, 15, 3),
          new Shape(5, 3),
          z -> ClassBalancedLoss.classBalanced(z, labels, config));
    }
  }

  @Test
  void configRejectsBadSettings() {
    assertThatThrownBy(() -> ClassBalancedLoss.Config.softmax(1, COUNTS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("beta must be in [0, 1), got 1.0");
    assertThatThrownBy(() -> ClassBalancedLoss.Config.softmax(0.9, List.of(3L, 0L)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("samplesPerClass[1] must be >= 1, got 0");
    assertThatThrownBy(
            () -> new ClassBalancedLoss.Config(0.9, COUNTS, ClassBalancedLoss.Base.SOFTMAX, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gamma=2.0");
    NDArray logits = manager.zeros(new Shape(1, 2));
    assertThatThrownBy(
            () ->
                ClassBalancedLoss.classBalanced(
                    logits,
                    manager.create(new int[] {0}),
                    ClassBalancedLoss.Config.softmax(0.9, COUNTS)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3 columns");
  }

  private double eval(ClassBalancedLoss.Config config, NDArray labels, NDArray logits) {
    return config.create().evaluate(new NDList(labels), new NDList(logits)).getDouble();
  }
}
