package io.longtail.core.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LwsClassifierTest {

  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
    manager.getEngine().setRandomSeed(5);
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private LwsClassifier lws(LinearClassifier base) {
    LwsClassifier lws = new LwsClassifier(base);
    lws.initialize(manager, DataType.FLOAT32, new Shape(1, 6));
    return lws;
  }

  private LinearClassifier trained() {
    LinearClassifier base = new LinearClassifier(4, 6);
    base.initialize(manager, DataType.FLOAT32, new Shape(1, 6));
    base.getParameters().get("bias").getArray().set(new float[] {0.5f, -1, 0, 2});
    return base;
  }

  @Test
  void unitScalesReproduceTheWrappedClassifier() {
    LinearClassifier base = trained();
    LwsClassifier lws = lws(base);
    assertThat(lws.scales().toFloatArray()).containsOnly(1f);
    NDArray x = manager.randomNormal(new Shape(5, 6));
    assertThat(lws.logits(x).toFloatArray()).containsExactly(base.logits(x).toFloatArray());
    float[] forward =
        lws.forward(new ParameterStore(manager, false), new NDList(x), false)
            .singletonOrThrow()
            .toFloatArray();
    assertThat(forward).containsExactly(base.logits(x).toFloatArray());
  }

  @Test
  void scalesMultiplyWholeLogitsIncludingBias() {
    LinearClassifier base = trained();
    LwsClassifier lws = lws(base);
    lws.scales().set(new float[] {2, 0, 1, -1});
    NDArray x = manager.zeros(new Shape(1, 6));
    // x = 0: logits are the bias (0.5, -1, 0, 2) times the scales.
    assertThat(lws.logits(x).toFloatArray()).containsExactly(1f, -0f, 0f, -2f);
  }

  @Test
  void onlyTheScalesGetGradients() {
    LinearClassifier base = trained();
    LwsClassifier lws = lws(base);
    NDArray x = manager.randomNormal(new Shape(3, 6));
    ParameterStore ps = new ParameterStore(manager, false);
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray logits = lws.forward(ps, new NDList(x), true).singletonOrThrow();
      gc.backward(logits.sum());
    }
    assertThat(base.getParameters().get("weight").requiresGradient()).isFalse();
    assertThat(base.getParameters().get("bias").requiresGradient()).isFalse();
    assertThat(base.getParameters().get("weight").getArray().hasGradient()).isFalse();
    // d sum(f_c * y_nc) / d f_c = sum_n y_nc, the column sums of the wrapped logits.
    float[] expected = base.logits(x).sum(new int[] {0}).toFloatArray();
    assertThat(lws.scales().getGradient().toFloatArray()).containsExactly(expected, within(1e-5f));
  }
}
