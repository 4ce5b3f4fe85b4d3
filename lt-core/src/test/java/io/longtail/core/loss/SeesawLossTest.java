package io.longtail.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SeesawLossTest {

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
  void mitigationByHand() {
    // Counts (1, 4), p = 1, q = 0, logits 0. Row of class 1 (N = 4): class 0 has fewer samples,
    // M = (1/4)^1, logits (ln 1/4, 0) -> p_1 = 1 / 1.25 -> ln 1.25. Row of class 0 (N = 1): the
    // other class is more frequent, M = 1 -> ln 2. Mean: (ln 1.25 + ln 2) / 2 = ln(2.5) / 2.
    NDArray loss =
        SeesawLoss.seesawCrossEntropy(
            m(new double[][] {{0, 0}, {0, 0}}),
            manager.create(new int[] {1, 0}),
            new double[] {1, 4},
            1,
            0,
            0.01);
    GradCheck.assertSame("mitigation", loss.getDouble(), Math.log(2.5) / 2);
  }

  @Test
  void compensationByHand() {
    // Logits (ln 3, 0), label 1, q = 1: s = (3/4, 1/4), s_0 / s_1 = 3 > 1 -> C = 3; logits
    // become (ln 9, 0) -> p_1 = 1/10 -> ln 10. The factor is detached: dL/dz = softmax(z') - t =
    // (9/10, -9/10).
    NDArray logits = m(new double[][] {{Math.log(3), 0}});
    logits.setRequiresGradient(true);
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray loss =
          SeesawLoss.seesawCrossEntropy(
              logits, manager.create(new int[] {1}), new double[] {5, 5}, 0, 1, 0.01);
      GradCheck.assertSame("compensation", loss.getDouble(), Math.log(10));
      gc.backward(loss);
    }
    assertThat(logits.getGradient().toDoubleArray())
        .containsExactly(new double[] {0.9, -0.9}, org.assertj.core.data.Offset.offset(1e-15));
  }

  @Test
  void pAndQZeroIsCrossEntropy() {
    NDArray logits = manager.create(GradCheck.random(12, 20, 4), new Shape(5, 4));
    NDArray labels = manager.create(new int[] {0, 1, 2, 3, -1});
    GradCheck.assertSame(
        "p = q = 0",
        SeesawLoss.seesawCrossEntropy(logits, labels, new double[] {1000, 50, 3, 0}, 0, 0, 0.01)
            .getDouble(),
        CrossEntropyLoss.crossEntropy(logits, labels).getDouble());
  }

  @Test
  void mitigationGradientMatchesFiniteDifferences() {
    // With q = 0 the factors are constants, so the loss is an ordinary function of the logits.
    NDArray labels = manager.create(new int[] {0, 1, 2, 2});
    GradCheck.check(
        "seesaw p",
        manager,
        GradCheck.random(13, 12, 3),
        new Shape(4, 3),
        z -> SeesawLoss.seesawCrossEntropy(z, labels, new double[] {300, 20, 2}, 0.8, 0, 0.01));
  }

  @Test
  void trainingForwardCountsTheBatchBeforeTheLossAndLossValueDoesNot() {
    SeesawLoss loss = SeesawLoss.Config.builder(3).optP(0.8).optQ(0).build().create();
    NDArray logits = manager.create(GradCheck.random(14, 12, 2), new Shape(4, 3));
    NDArray labels = manager.create(new int[] {2, 2, 0, -1});
    double value = loss.evaluate(new NDList(labels), new NDList(logits)).getDouble();
    assertThat(loss.cumulativeSamples()).containsExactly(1, 0, 2, 0);
    // The same as the pure function with the updated counts.
    GradCheck.assertSame(
        "after update",
        value,
        SeesawLoss.seesawCrossEntropy(logits, labels, new double[] {1, 0, 2}, 0.8, 0, 0.01)
            .getDouble());
    loss.lossValue(new NDList(labels), new NDList(logits)).close();
    loss.addAccumulator("train");
    loss.updateAccumulators(new String[] {"train"}, new NDList(labels), new NDList(logits));
    assertThat(loss.cumulativeSamples()).containsExactly(1, 0, 2, 0);
    assertThat((double) loss.getAccumulator("train"))
        .isCloseTo(value, org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void stateSurvivesSaveAndLoad() throws IOException {
    SeesawLoss loss = SeesawLoss.Config.builder(3).build().create();
    loss.restoreCumulativeSamples(new long[] {7, 0, 3, 11});
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    loss.saveState(new DataOutputStream(bytes));
    SeesawLoss restored = SeesawLoss.Config.builder(3).build().create();
    restored.loadState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    assertThat(restored.cumulativeSamples()).containsExactly(7, 0, 3, 11);
    SeesawLoss other = SeesawLoss.Config.builder(4).build().create();
    assertThatThrownBy(
            () ->
                other.loadState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("4 counts")
        .hasMessageContaining("needs 5");
    assertThatThrownBy(() -> loss.restoreCumulativeSamples(new long[] {1, 2, 3}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("numClasses + 1 = 4");
  }

  @Test
  void objectnessBranchByHandAndScores() {
    // K = 2, logits (class 0, class 1, object, background), p = q = 0.
    // Row 0, label 0: class CE over (0, 0) = ln 2; objectness softmax(0, ln 3) = (1/4, 3/4),
    // target "object" -> ln 4. Row 1, background (label 2): class columns skipped; objectness
    // softmax(ln 3, 0) = (3/4, 1/4), target "background" -> ln 4. Total (ln 2 + 2 ln 4) / 2.
    SeesawLoss loss =
        SeesawLoss.Config.builder(2)
            .optP(0)
            .optQ(0)
            .optBranches(SeesawLoss.Branches.CLASSES_AND_OBJECTNESS)
            .build()
            .create();
    NDArray logits = m(new double[][] {{0, 0, 0, Math.log(3)}, {5, 7, Math.log(3), 0}});
    NDArray labels = manager.create(new int[] {0, 2});
    GradCheck.assertSame(
        "objectness",
        loss.evaluate(new NDList(labels), new NDList(logits)).getDouble(),
        2.5 * Math.log(2));
    assertThat(loss.cumulativeSamples()).containsExactly(1, 0, 1);
    // Scores: softmax(classes) * P(object), then P(background). Row 0: (1/8, 1/8, 3/4).
    assertThat(SeesawLoss.scores(logits).toDoubleArray())
        .startsWith(new double[] {0.125, 0.125, 0.75}, org.assertj.core.data.Offset.offset(1e-15));
  }

  @Test
  void objectnessGradientMatchesFiniteDifferences() {
    SeesawLoss loss =
        SeesawLoss.Config.builder(3)
            .optQ(0)
            .optBranches(SeesawLoss.Branches.CLASSES_AND_OBJECTNESS)
            .build()
            .create();
    loss.restoreCumulativeSamples(new long[] {50, 4, 9, 200});
    NDArray labels = manager.create(new int[] {0, 3, 1, -1});
    GradCheck.check(
        "seesaw objectness",
        manager,
        GradCheck.random(15, 20, 3),
        new Shape(4, 5),
        z -> loss.lossValue(new NDList(labels), new NDList(z)));
  }

  @Test
  void rejectsWrongColumnsAndSettings() {
    SeesawLoss loss = SeesawLoss.Config.builder(3).build().create();
    assertThatThrownBy(
            () ->
                loss.evaluate(
                    new NDList(manager.create(new int[] {0})),
                    new NDList(manager.zeros(new Shape(1, 5)))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3 columns");
    assertThatThrownBy(() -> SeesawLoss.Config.builder(3).optEps(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("eps must be positive and finite, got 0.0");
  }
}
