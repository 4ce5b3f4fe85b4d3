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
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CausalNormClassifierTest {

  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
    manager.getEngine().setRandomSeed(7);
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private CausalNormClassifier detectionClassifier(int foreground, int dim) {
    CausalNormClassifier c =
        CausalNormClassifier.builder()
            .setNumClasses(foreground + 1)
            .setFeatureDim(dim)
            .optNumHeads(2)
            .optMu(0.5f)
            .optBackgroundIndex(foreground)
            .build();
    c.initialize(manager, DataType.FLOAT32, new Shape(1, dim));
    return c;
  }

  private void train(CausalNormClassifier c, NDArray x, int... labels) {
    ParameterStore ps = new ParameterStore(manager, false);
    c.forward(ps, new NDList(x), new NDList(manager.create(labels)), null).close();
  }

  @Test
  void movingFeatureAveragesForegroundRowsOnly() {
    CausalNormClassifier c = detectionClassifier(3, 4);
    NDArray x = manager.create(new float[][] {{1, 2, 3, 4}, {3, 2, 1, 0}, {100, 100, 100, 100}});
    train(c, x, 0, 2, 3); // row 2 is background (index 3)
    assertThat(c.movingFeature().toFloatArray()).containsExactly(2f, 2f, 2f, 2f);
    train(c, x, 1, 1, -1); // ignore rows (-1) are skipped too
    // e = 0.5 * 2 + mean(rows 0, 1) = 1 + 2
    assertThat(c.movingFeature().toFloatArray()).containsExactly(3f, 3f, 3f, 3f);
  }

  @Test
  void allBackgroundBatchLeavesMovingFeatureUnchanged() {
    CausalNormClassifier c = detectionClassifier(3, 4);
    train(c, manager.create(new float[][] {{1, 1, 1, 1}}), 0);
    float[] before = c.movingFeature().toFloatArray();
    train(c, manager.create(new float[][] {{5, 6, 7, 8}, {9, 9, 9, 9}}), 3, 3);
    assertThat(c.movingFeature().toFloatArray()).containsExactly(before);
  }

  @Test
  void movingFeatureHasNoGradientAndInferenceForwardLeavesItAlone() {
    CausalNormClassifier c = detectionClassifier(3, 4);
    assertThat(c.getParameters().get("movingFeature").requiresGradient()).isFalse();
    c.forward(new ParameterStore(manager, false), new NDList(manager.ones(new Shape(2, 4))), true)
        .close();
    assertThat(c.movingFeature().toFloatArray()).containsOnly(0f);
  }

  @Test
  void zeroFeatureRowsGiveFiniteOutputs() {
    CausalNormClassifier c = detectionClassifier(5, 8);
    NDArray zeros = manager.zeros(new Shape(3, 8));
    // Before any training the moving feature is zero as well.
    for (NDArray out :
        new NDArray[] {
          c.logits(zeros), c.tdeLogits(zeros, 2f), c.backgroundExemptedScores(zeros, 2f)
        }) {
      for (float v : out.toFloatArray()) {
        assertThat(Float.isFinite(v)).isTrue();
      }
    }
    train(c, manager.randomNormal(new Shape(4, 8)).abs(), 0, 1, 2, 3);
    for (float v : c.backgroundExemptedScores(zeros, 2f).toFloatArray()) {
      assertThat(Float.isFinite(v)).isTrue();
    }
  }

  @Test
  void alphaZeroGivesPlainLogits() {
    CausalNormClassifier c = detectionClassifier(5, 8);
    train(c, manager.randomNormal(new Shape(6, 8)).abs(), 0, 1, 2, 3, 4, 5);
    NDArray x = manager.randomNormal(new Shape(4, 8));
    assertThat(c.tdeLogits(x, 0f).toFloatArray())
        .containsExactly(c.logits(x).toFloatArray(), within(1e-6f));
  }

  @Test
  void backgroundExemptionKeepsForegroundBackgroundRatio() {
    CausalNormClassifier c = detectionClassifier(5, 8);
    train(c, manager.randomNormal(new Shape(6, 8)).abs(), 0, 0, 0, 1, 2, 5);
    NDArray x = manager.randomNormal(new Shape(4, 8)).abs();
    float[][] plain = rows(c.scores(x, InferenceMode.PLAIN, 0f));
    float[][] exempt = rows(c.scores(x, InferenceMode.BACKGROUND_EXEMPT, 2f));
    float[][] tde = rows(c.scores(x, InferenceMode.TDE, 2f));
    for (int i = 0; i < plain.length; i++) {
      assertThat(exempt[i][5]).isCloseTo(plain[i][5], within(1e-6f));
      float fg = 0;
      for (int k = 0; k < 5; k++) {
        fg += exempt[i][k];
        // Foreground split follows the TDE probabilities.
        assertThat(exempt[i][k] / (1 - exempt[i][5]))
            .isCloseTo(tde[i][k] / (1 - tde[i][5]), within(1e-4f));
      }
      assertThat(fg + exempt[i][5]).isCloseTo(1f, within(1e-5f));
    }
  }

  @Test
  void saveLoadRoundTripReproducesTdeOutputsExactly() throws Exception {
    CausalNormClassifier c = detectionClassifier(5, 8);
    train(c, manager.randomNormal(new Shape(6, 8)).abs(), 0, 1, 2, 3, 4, 5);
    NDArray x = manager.randomNormal(new Shape(4, 8));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    c.saveParameters(new DataOutputStream(bytes));

    CausalNormClassifier loaded = detectionClassifier(5, 8);
    loaded.loadParameters(
        manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    assertThat(loaded.movingFeature().toFloatArray())
        .containsExactly(c.movingFeature().toFloatArray());
    assertThat(loaded.tdeLogits(x, 1.5f).toFloatArray())
        .containsExactly(c.tdeLogits(x, 1.5f).toFloatArray());
    assertThat(loaded.backgroundExemptedScores(x, 1.5f).toFloatArray())
        .containsExactly(c.backgroundExemptedScores(x, 1.5f).toFloatArray());
  }

  @Test
  void loadingIntoDifferentShapeNamesBoth() throws Exception {
    CausalNormClassifier c = detectionClassifier(5, 8);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    c.saveParameters(new DataOutputStream(bytes));
    CausalNormClassifier other = detectionClassifier(6, 8);
    assertThatThrownBy(
            () ->
                other.loadParameters(
                    manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))))
        .hasMessageContaining("C=6")
        .hasMessageContaining("C=7");
  }

  @Test
  void suggestedAlphaMakesMeanCosineOne() {
    CausalNormClassifier c = detectionClassifier(3, 4);
    train(c, manager.create(new float[][] {{1, 0, 1, 0}}), 0);
    NDArray held = manager.create(new float[][] {{1, 1, 1, 1}, {1, 0, 0, 1}});
    // Heads: e chunks (1,0),(1,0); rows' cosines: (1/sqrt2, 1/sqrt2), (1, 0).
    float meanCos = (float) ((2 / Math.sqrt(2) + 1) / 4);
    assertThat(c.suggestAlpha(held)).isCloseTo(1 / meanCos, within(1e-5f));
  }

  @Test
  void builderNamesInvalidSettings() {
    assertThatThrownBy(
            () ->
                CausalNormClassifier.builder()
                    .setNumClasses(3)
                    .setFeatureDim(10)
                    .optNumHeads(4)
                    .build())
        .hasMessage("numHeads must be >= 1 and divide featureDim=10, got 4");
    assertThatThrownBy(
            () ->
                CausalNormClassifier.builder()
                    .setNumClasses(3)
                    .setFeatureDim(8)
                    .optBackgroundIndex(0)
                    .build())
        .hasMessageContaining("backgroundIndex must be numClasses - 1 = 2")
        .hasMessageContaining("got 0");
    assertThatThrownBy(() -> CausalNormClassifier.builder().setFeatureDim(8).build())
        .hasMessage("numClasses must be >= 1, got -1");
    assertThatThrownBy(
            () ->
                CausalNormClassifier.builder()
                    .setNumClasses(3)
                    .setFeatureDim(8)
                    .optMu(1.5f)
                    .build())
        .hasMessage("mu must be in [0, 1], got 1.5");
  }

  @Test
  void classificationClassifierRefusesBackgroundExemption() {
    CausalNormClassifier c =
        CausalNormClassifier.builder().setNumClasses(3).setFeatureDim(4).build();
    c.initialize(manager, DataType.FLOAT32, new Shape(1, 4));
    assertThatThrownBy(
            () -> c.scores(manager.ones(new Shape(1, 4)), InferenceMode.BACKGROUND_EXEMPT, 1f))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("background");
  }

  @Test
  void baselinesShareTheInterfaceAndRefuseTde() {
    FeatureClassifier linear = new LinearClassifier(4, 6);
    FeatureClassifier cosine = new CosineClassifier(4, 6, 16f);
    for (FeatureClassifier c : new FeatureClassifier[] {linear, cosine}) {
      c.initialize(manager, DataType.FLOAT32, new Shape(1, 6));
      NDArray x = manager.randomNormal(new Shape(3, 6));
      NDArray p = c.scores(x, InferenceMode.PLAIN, 0f);
      assertThat(p.getShape()).isEqualTo(new Shape(3, 4));
      assertThat(p.sum(new int[] {1}).toFloatArray())
          .containsExactly(new float[] {1f, 1f, 1f}, within(1e-5f));
      assertThatThrownBy(() -> c.scores(x, InferenceMode.TDE, 1f))
          .hasMessageContaining("needs a causal-norm classifier");
      for (float v : c.logits(manager.zeros(new Shape(2, 6))).toFloatArray()) {
        assertThat(Float.isFinite(v)).isTrue();
      }
    }
    // Cosine logits are bounded by the scale.
    NDArray x = manager.randomNormal(new Shape(5, 6));
    assertThat(cosine.logits(x).abs().max().getFloat()).isLessThanOrEqualTo(16.0001f);
  }

  private static float[][] rows(NDArray a) {
    int n = (int) a.getShape().get(0);
    int c = (int) a.getShape().get(1);
    float[] flat = a.toFloatArray();
    float[][] out = new float[n][c];
    for (int i = 0; i < n; i++) {
      System.arraycopy(flat, i * c, out[i], 0, c);
    }
    return out;
  }
}
