package io.longtail.core.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TauNormTest {

  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
    manager.getEngine().setRandomSeed(11);
  }

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void normalisedWeightByHand() {
    // Rows (3, 4) and (0, 2): norms 5 and 2. tau = 1: unit rows; tau = 1/2: divided by sqrt.
    NDArray w = manager.create(new float[][] {{3, 4}, {0, 2}});
    assertThat(TauNorm.normalizedWeight(w, 1).toFloatArray())
        .containsExactly(new float[] {0.6f, 0.8f, 0, 1}, within(1e-6f));
    assertThat(TauNorm.normalizedWeight(w, 0.5f).toFloatArray())
        .containsExactly(
            new float[] {
              3 / (float) Math.sqrt(5), 4 / (float) Math.sqrt(5), 0, (float) Math.sqrt(2)
            },
            within(1e-6f));
    assertThat(TauNorm.normalizedWeight(w, 0).toFloatArray()).containsExactly(3, 4, 0, 2);
    // A zero row stays zero (no NaN).
    assertThat(TauNorm.normalizedWeight(manager.zeros(new Shape(1, 3)), 1).toFloatArray())
        .containsOnly(0f);
    assertThatThrownBy(() -> TauNorm.normalizedWeight(w, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tau must be >= 0 and finite, got -1.0");
  }

  private LinearClassifier trained() {
    LinearClassifier base = new LinearClassifier(4, 6);
    base.initialize(manager, DataType.FLOAT32, new Shape(1, 6));
    base.getParameters().get("bias").getArray().set(new float[] {0.1f, -0.2f, 0.3f, 0});
    return base;
  }

  @Test
  void tauZeroLeavesLogitsUnchangedAndWrapsTrainedWeightsAsTheyAre() {
    LinearClassifier base = trained();
    float[] weightBefore = base.getParameters().get("weight").getArray().toFloatArray();
    TauNormClassifier tauNorm = new TauNormClassifier(base, 0);
    tauNorm.initialize(manager, DataType.FLOAT32, new Shape(1, 6));
    assertThat(base.getParameters().get("weight").getArray().toFloatArray())
        .containsExactly(weightBefore);
    NDArray x = manager.randomNormal(new Shape(5, 6));
    assertThat(tauNorm.logits(x).toFloatArray())
        .containsExactly(base.logits(x).toFloatArray(), within(1e-6f));
    float[] forward =
        tauNorm
            .forward(new ParameterStore(manager, false), new NDList(x), false)
            .singletonOrThrow()
            .toFloatArray();
    assertThat(forward).containsExactly(base.logits(x).toFloatArray(), within(1e-6f));
  }

  @Test
  void tauOneUsesUnitNormRowsAndKeepsTheBias() {
    LinearClassifier base = trained();
    TauNormClassifier tauNorm = new TauNormClassifier(base, 1);
    NDArray x = manager.randomNormal(new Shape(3, 6));
    NDArray w = base.getParameters().get("weight").getArray();
    NDArray expected =
        x.matMul(w.div(w.norm(new int[] {1}, true)).transpose())
            .add(base.getParameters().get("bias").getArray());
    assertThat(tauNorm.logits(x).toFloatArray())
        .containsExactly(expected.toFloatArray(), within(1e-5f));
    assertThat(tauNorm.numClasses()).isEqualTo(4);
    assertThat(tauNorm.describe()).isEqualTo("tau-norm(linear(C=4, D=6), tau=1.0)");
  }
}
