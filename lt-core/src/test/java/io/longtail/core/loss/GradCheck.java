package io.longtail.core.loss;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.SplittableRandom;
import java.util.function.Function;

/** Finite-difference gradient checks in float64, and seeded random inputs, for the loss tests. */
final class GradCheck {

  private GradCheck() {}

  /** Uniform values in {@code [-scale, scale]} from a fixed seed. */
  static double[] random(long seed, int n, double scale) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = (2 * r.nextDouble() - 1) * scale;
    }
    return v;
  }

  /** The value of {@code f} at {@code x} (float64). */
  static double value(NDManager manager, double[] x, Shape shape, Function<NDArray, NDArray> f) {
    try (NDManager scope = manager.newSubManager()) {
      return f.apply(scope.create(x, shape)).getDouble();
    }
  }

  /** The autograd gradient of the scalar {@code f} at {@code x}. */
  static double[] autograd(
      NDManager manager, double[] x, Shape shape, Function<NDArray, NDArray> f) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray input = scope.create(x, shape);
      input.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        gc.backward(f.apply(input));
      }
      return input.getGradient().toDoubleArray();
    }
  }

  /** Central differences {@code (f(x + h e_i) - f(x - h e_i)) / 2h}. */
  static double[] numeric(
      NDManager manager, double[] x, Shape shape, Function<NDArray, NDArray> f, double h) {
    double[] g = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      double[] plus = x.clone();
      double[] minus = x.clone();
      plus[i] += h;
      minus[i] -= h;
      g[i] = (value(manager, plus, shape, f) - value(manager, minus, shape, f)) / (2 * h);
    }
    return g;
  }

  /**
   * Asserts that autograd and central differences ({@code h = 1e-6}) agree to {@code 1e-6} absolute
   * plus {@code 1e-5} relative, after scaling the numeric gradient by {@code numericScale}.
   */
  static void check(
      String what,
      NDManager manager,
      double[] x,
      Shape shape,
      Function<NDArray, NDArray> f,
      double numericScale) {
    double[] a = autograd(manager, x, shape, f);
    double[] n = numeric(manager, x, shape, f, 1e-6);
    assertThat(a).hasSameSizeAs(n);
    for (int i = 0; i < a.length; i++) {
      double expected = n[i] * numericScale;
      assertThat(Math.abs(a[i] - expected))
          .as("%s: autograd %s vs finite differences %s at %d", what, a[i], expected, i)
          .isLessThanOrEqualTo(1e-6 + 1e-5 * Math.abs(expected));
    }
  }

  /** {@link #check} with the numeric gradient as it is. */
  static void check(
      String what, NDManager manager, double[] x, Shape shape, Function<NDArray, NDArray> f) {
    check(what, manager, x, shape, f, 1);
  }

  /** Asserts that two scalars agree to 1e-12 relative (float64 identities). */
  static void assertSame(String what, double actual, double expected) {
    assertThat(Math.abs(actual - expected))
        .as("%s: %s vs %s", what, actual, expected)
        .isLessThanOrEqualTo(1e-12 * Math.max(1, Math.abs(expected)));
  }
}
