package io.longtail.detection.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.training.GradientCollector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SgdOptimizerTest {
  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private Parameter parameter(String name, Parameter.Type type, float... values) {
    Parameter p =
        Parameter.builder().setName(name).setType(type).optArray(manager.create(values)).build();
    p.initialize(manager, DataType.FLOAT32); // attaches the gradient
    return p;
  }

  /** Runs forward + backward of {@code loss} over the parameter arrays, outside of any step. */
  private void backward(Function<ParameterList, NDArray> loss, ParameterList params) {
    try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
      gc.backward(loss.apply(params));
    }
  }

  private static NDArray array(ParameterList params, String name) {
    return params.get(name).getArray();
  }

  @Test
  void twoStepsMatchTheHandComputedPyTorchUpdate() {
    // loss = w . x, so grad = x = (0.5, 3) at every step.
    ParameterList params = new ParameterList();
    params.add("head_weight", parameter("weight", Parameter.Type.WEIGHT, 1f, -2f));
    NDArray x = manager.create(new float[] {0.5f, 3f});
    try (SgdOptimizer sgd =
        SgdOptimizer.builder()
            .setParameters(params)
            .optMomentum(0.9)
            .optWeightDecay(0.01)
            .build()) {
      backward(p -> array(p, "head_weight").mul(x).sum(), params);
      sgd.step(0.1);
      // d = x + 0.01 w = (0.51, 2.98); v = d; w -= 0.1 v.
      assertThat(array(params, "head_weight").toFloatArray())
          .containsExactly(new float[] {0.949f, -2.298f}, within(1e-6f));
      backward(p -> array(p, "head_weight").mul(x).sum(), params);
      sgd.step(0.05); // the rate changes; the momentum must not be rescaled
      // d = (0.50949, 2.97702); v = 0.9 (0.51, 2.98) + d = (0.96849, 5.65902); w -= 0.05 v.
      assertThat(array(params, "head_weight").toFloatArray())
          .containsExactly(new float[] {0.9005755f, -2.580951f}, within(1e-6f));
      assertThat(sgd.momentumBuffer("head_weight", manager).toFloatArray())
          .containsExactly(new float[] {0.96849f, 5.65902f}, within(1e-5f));
      assertThat(sgd.stepCount()).isEqualTo(2);
    }
  }

  @Test
  void followsTheClosedFormOnAQuadratic() {
    // f(w) = 0.5 sum a_i w_i^2: with c = a + wd the iterates obey
    // w_{t+1} = (1 + m - lr c) w_t - m w_{t-1}, w_1 = (1 - lr c) w_0, solved by
    // w_t = A l1^t + B l2^t with l1, l2 the roots of l^2 - (1 + m - lr c) l + m.
    float[] a = {2f, 5f, 9f};
    float[] w0 = {1f, -3f, 0.5f};
    double lr = 0.05;
    double m = 0.1;
    double wd = 0.02;
    ParameterList params = new ParameterList();
    params.add("w", parameter("w", Parameter.Type.WEIGHT, w0.clone()));
    NDArray halfA = manager.create(a).mul(0.5f);
    int steps = 40;
    try (SgdOptimizer sgd =
        SgdOptimizer.builder().setParameters(params).optMomentum(m).optWeightDecay(wd).build()) {
      for (int t = 0; t < steps; t++) {
        backward(p -> array(p, "w").square().mul(halfA).sum(), params);
        sgd.step(lr);
      }
    }
    float[] got = array(params, "w").toFloatArray();
    for (int i = 0; i < a.length; i++) {
      double c = a[i] + wd;
      double trace = 1 + m - lr * c;
      double disc = Math.sqrt(trace * trace - 4 * m);
      double l1 = (trace + disc) / 2;
      double l2 = (trace - disc) / 2;
      double w1 = (1 - lr * c) * w0[i];
      double coefA = (w1 - l2 * w0[i]) / (l1 - l2);
      double coefB = w0[i] - coefA;
      double expected = coefA * Math.pow(l1, steps) + coefB * Math.pow(l2, steps);
      assertThat((double) got[i]).as("coordinate %d", i).isCloseTo(expected, within(1e-5));
    }
  }

  @Test
  void noWeightDecayRuleExemptsNormAndBiasParameters() {
    ParameterList params = new ParameterList();
    params.add("conv_weight", parameter("weight", Parameter.Type.WEIGHT, 1f));
    params.add("conv_bias", parameter("bias", Parameter.Type.BIAS, 1f));
    params.add("norm_gamma", parameter("gamma", Parameter.Type.GAMMA, 1f));
    try (SgdOptimizer sgd =
        SgdOptimizer.builder()
            .setParameters(params)
            .optMomentum(0)
            .optWeightDecay(0.5)
            .optNoWeightDecay(SgdOptimizer.normAndBiasParameters())
            .build()) {
      assertThat(sgd.decays("conv_weight")).isTrue();
      assertThat(sgd.decays("conv_bias")).isFalse();
      assertThat(sgd.decays("norm_gamma")).isFalse();
      // Zero loss gradient: only the decay moves a parameter.
      backward(
          p ->
              array(p, "conv_weight")
                  .add(array(p, "conv_bias"))
                  .add(array(p, "norm_gamma"))
                  .mul(0f),
          params);
      sgd.step(0.1);
    }
    assertThat(array(params, "conv_weight").getFloat()).isCloseTo(0.95f, within(1e-7f));
    assertThat(array(params, "conv_bias").getFloat()).isEqualTo(1f);
    assertThat(array(params, "norm_gamma").getFloat()).isEqualTo(1f);
  }

  @Test
  void frozenParametersAreNeitherUpdatedNorListed() {
    ParameterList params = new ParameterList();
    params.add("w", parameter("w", Parameter.Type.WEIGHT, 1f));
    Parameter frozen = parameter("f", Parameter.Type.WEIGHT, 7f);
    frozen.freeze(true);
    params.add("frozen", frozen);
    try (SgdOptimizer sgd = SgdOptimizer.builder().setParameters(params).build()) {
      assertThat(sgd.parameterNames()).containsExactly("w");
    }
  }

  @Test
  void backwardOverwritesGradientsAndStepZeroesThem() {
    // Pins down the engine behaviour the optimizer relies on (MXNet grad_req = write).
    ParameterList params = new ParameterList();
    params.add("a", parameter("a", Parameter.Type.WEIGHT, 1f));
    params.add("b", parameter("b", Parameter.Type.WEIGHT, 1f));
    backward(p -> array(p, "a").mul(2f).add(array(p, "b").mul(3f)), params);
    backward(p -> array(p, "a").mul(5f), params);
    // A second backward overwrites "a"; "b", not in the second graph, keeps a stale gradient.
    assertThat(array(params, "a").getGradient().getFloat()).isEqualTo(5f);
    assertThat(array(params, "b").getGradient().getFloat()).isEqualTo(3f);
    try (SgdOptimizer sgd =
        SgdOptimizer.builder().setParameters(params).optMomentum(0).optWeightDecay(0).build()) {
      sgd.step(0.1);
      assertThat(array(params, "a").getGradient().getFloat()).isZero();
      assertThat(array(params, "b").getGradient().getFloat()).isZero();
      // The next iteration uses "a" only: "b" sees a zero gradient, not the stale 3.
      backward(p -> array(p, "a").mul(5f), params);
      sgd.step(0.1);
    }
    assertThat(array(params, "a").getFloat()).isCloseTo(0f, within(1e-6f));
    assertThat(array(params, "b").getFloat()).isCloseTo(0.7f, within(1e-6f));
  }

  @Test
  void zeroGradientsAlsoClearsNaN() {
    ParameterList params = new ParameterList();
    params.add("a", parameter("a", Parameter.Type.WEIGHT, 0f));
    backward(p -> array(p, "a").log(), params); // d/da log(a) at 0 is +inf
    try (SgdOptimizer sgd = SgdOptimizer.builder().setParameters(params).build()) {
      assertThat(sgd.gradNorm()).isInfinite();
      sgd.zeroGradients();
      assertThat(array(params, "a").getGradient().getFloat()).isZero();
    }
  }

  @Test
  void clipGradNormScalesToTheGlobalNormAndReturnsTheNormBefore() {
    ParameterList params = new ParameterList();
    params.add("a", parameter("a", Parameter.Type.WEIGHT, 0f, 0f));
    params.add("b", parameter("b", Parameter.Type.BIAS, 0f));
    NDArray ga = manager.create(new float[] {3f, 4f});
    backward(p -> array(p, "a").mul(ga).sum().add(array(p, "b").mul(12f).sum()), params);
    try (SgdOptimizer sgd = SgdOptimizer.builder().setParameters(params).build()) {
      assertThat(sgd.clipGradNorm(100)).isCloseTo(13.0, within(1e-6));
      assertThat(sgd.gradNorm()).as("below the limit: unchanged").isCloseTo(13.0, within(1e-6));
      assertThat(sgd.clipGradNorm(6.5)).isCloseTo(13.0, within(1e-6));
      double coef = 6.5 / (13 + 1e-6);
      assertThat(array(params, "a").getGradient().toFloatArray())
          .containsExactly(new float[] {(float) (3 * coef), (float) (4 * coef)}, within(1e-6f));
      assertThat(array(params, "b").getGradient().getFloat())
          .isCloseTo((float) (12 * coef), within(1e-6f));
      assertThat(sgd.gradNorm()).isCloseTo(6.5, within(1e-5));
    }
  }

  /** Two identical parameter sets: one trained 3 steps straight, one reloaded after 2. */
  @Test
  void savedStateResumesExactly() throws IOException {
    ParameterList straight = new ParameterList();
    straight.add("w", parameter("w", Parameter.Type.WEIGHT, 1f, 2f, -1f));
    straight.add("b", parameter("b", Parameter.Type.BIAS, 0.5f));
    ParameterList resumed = new ParameterList();
    resumed.add("w", parameter("w", Parameter.Type.WEIGHT, 1f, 2f, -1f));
    resumed.add("b", parameter("b", Parameter.Type.BIAS, 0.5f));
    Function<ParameterList, NDArray> loss =
        p -> array(p, "w").square().sum().mul(array(p, "b")).add(array(p, "b").exp());
    double[] lrs = {0.01, 0.02, 0.015};
    byte[] state;
    try (SgdOptimizer a = SgdOptimizer.builder().setParameters(straight).build()) {
      for (double lr : lrs) {
        backward(loss, straight);
        a.step(lr);
      }
    }
    try (SgdOptimizer b = SgdOptimizer.builder().setParameters(resumed).build()) {
      for (int i = 0; i < 2; i++) {
        backward(loss, resumed);
        b.step(lrs[i]);
      }
      state = save(b);
    }
    try (SgdOptimizer c = SgdOptimizer.builder().setParameters(resumed).build()) {
      c.loadState(new DataInputStream(new ByteArrayInputStream(state)));
      assertThat(c.stepCount()).isEqualTo(2);
      backward(loss, resumed);
      c.step(lrs[2]);
    }
    assertThat(array(resumed, "w").toFloatArray())
        .containsExactly(array(straight, "w").toFloatArray());
    assertThat(array(resumed, "b").toFloatArray())
        .containsExactly(array(straight, "b").toFloatArray());
  }

  @Test
  void loadingAStateOfAnotherModelNamesTheParameter() throws IOException {
    ParameterList params = new ParameterList();
    params.add("w", parameter("w", Parameter.Type.WEIGHT, 1f, 2f));
    params.add("b", parameter("b", Parameter.Type.BIAS, 0f));
    byte[] state;
    try (SgdOptimizer sgd = SgdOptimizer.builder().setParameters(params).build()) {
      backward(p -> array(p, "w").sum().add(array(p, "b").sum()), params);
      sgd.step(0.1);
      state = save(sgd);
    }
    ParameterList renamed = new ParameterList();
    renamed.add("w", parameter("w", Parameter.Type.WEIGHT, 1f, 2f));
    renamed.add("bias", parameter("b", Parameter.Type.BIAS, 0f));
    try (SgdOptimizer sgd = SgdOptimizer.builder().setParameters(renamed).build()) {
      assertThatThrownBy(() -> sgd.loadState(input(state)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("parameter b,")
          .hasMessageContaining("does not train");
    }
    ParameterList extra = new ParameterList();
    extra.add("w", parameter("w", Parameter.Type.WEIGHT, 1f, 2f));
    extra.add("b", parameter("b", Parameter.Type.BIAS, 0f));
    extra.add("c", parameter("c", Parameter.Type.BIAS, 0f));
    try (SgdOptimizer sgd = SgdOptimizer.builder().setParameters(extra).build()) {
      assertThatThrownBy(() -> sgd.loadState(input(state)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("no momentum buffer for parameter c");
    }
    ParameterList reshaped = new ParameterList();
    reshaped.add("w", parameter("w", Parameter.Type.WEIGHT, 1f, 2f, 3f));
    reshaped.add("b", parameter("b", Parameter.Type.BIAS, 0f));
    try (SgdOptimizer sgd = SgdOptimizer.builder().setParameters(reshaped).build()) {
      assertThatThrownBy(() -> sgd.loadState(input(state)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("parameter w has shape (2), the parameter has (3)");
      assertThat(sgd.stepCount()).as("a failed load changes nothing").isZero();
    }
  }

  @Test
  void truncatedOrForeignStateIsAnIoError() throws IOException {
    ParameterList params = new ParameterList();
    params.add("w", parameter("w", Parameter.Type.WEIGHT, 1f, 2f));
    byte[] state;
    try (SgdOptimizer sgd = SgdOptimizer.builder().setParameters(params).build()) {
      backward(p -> array(p, "w").sum(), params);
      sgd.step(0.1);
      state = save(sgd);
      byte[] cut = java.util.Arrays.copyOf(state, state.length - 3);
      assertThatThrownBy(() -> sgd.loadState(input(cut))).isInstanceOf(IOException.class);
      assertThatThrownBy(() -> sgd.loadState(input(new byte[] {1, 2, 3, 4, 5, 6, 7, 8})))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("not an SGD optimizer state");
    }
  }

  @Test
  void rejectsBadSettingsByName() {
    assertThatThrownBy(() -> SgdOptimizer.builder().optMomentum(1.0))
        .hasMessage("momentum must be in [0, 1), got 1.0");
    assertThatThrownBy(() -> SgdOptimizer.builder().optWeightDecay(-1))
        .hasMessage("weightDecay must be finite and >= 0, got -1.0");
    assertThatThrownBy(() -> SgdOptimizer.builder().build())
        .hasMessage("parameters must be set, got none");
    ParameterList params = new ParameterList();
    params.add("w", parameter("w", Parameter.Type.WEIGHT, 1f));
    try (SgdOptimizer sgd = SgdOptimizer.builder().setParameters(params).build()) {
      assertThatThrownBy(() -> sgd.step(Double.NaN))
          .hasMessage("lr must be finite and >= 0, got NaN");
    }
  }

  @Test
  void manyStepsDoNotGrowTheParametersManager() {
    ParameterList params = new ParameterList();
    params.add("w", parameter("w", Parameter.Type.WEIGHT, new float[64]));
    NDArray w = array(params, "w");
    try (SgdOptimizer sgd =
        SgdOptimizer.builder().setParameters(params).optWeightDecay(0.1).build()) {
      sgd.step(0.1); // creates the momentum buffer
      int before = manager.getManagedArrays().size();
      for (int i = 0; i < 20; i++) {
        sgd.clipGradNorm(1.0);
        sgd.step(0.1);
      }
      assertThat(manager.getManagedArrays()).hasSize(before);
      assertThat(w.getManager()).isSameAs(manager);
    }
  }

  private static byte[] save(SgdOptimizer sgd) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    sgd.saveState(new DataOutputStream(bytes));
    return bytes.toByteArray();
  }

  private static DataInputStream input(byte[] bytes) {
    return new DataInputStream(new ByteArrayInputStream(bytes));
  }
}
