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

  /**
   * Asserts that the autograd gradient {@code g} of the scalar {@code f} agrees with central
   * differences ({@code h = 1e-6}) along four seeded random directions {@code v}: {@code g . v =
   * numericScale * (f(x + hv) - f(x - hv)) / 2h} to {@code 1e-7 + 1e-6 |g| |v|}. Random directions
   * catch a wrong element as surely as per-element differences, with 8 evaluations instead of
   * {@code 2n}. {@code numericScale} is 1 except where the reference detaches part of the loss from
   * the gradient on purpose.
   */
  static void check(
      String what,
      NDManager manager,
      double[] x,
      Shape shape,
      Function<NDArray, NDArray> f,
      double numericScale) {
    double[] g = autograd(manager, x, shape, f);
    assertThat(g).hasSize(x.length);
    double gNorm = norm(g);
    double h = 1e-6;
    for (int d = 0; d < 4; d++) {
      double[] v = random(1000 + d, x.length, 1);
      double[] plus = x.clone();
      double[] minus = x.clone();
      double dot = 0;
      for (int i = 0; i < x.length; i++) {
        plus[i] += h * v[i];
        minus[i] -= h * v[i];
        dot += g[i] * v[i];
      }
      double numeric =
          numericScale
              * (value(manager, plus, shape, f) - value(manager, minus, shape, f))
              / (2 * h);
      assertThat(Math.abs(dot - numeric))
          .as(
              "%s: directional derivative %d, autograd %s vs finite differences %s",
              what, d, dot, numeric)
          .isLessThanOrEqualTo(1e-7 + 1e-6 * gNorm * norm(v));
    }
    assertThat(gNorm).as("%s: gradient norm", what).isPositive();
  }

  private static double norm(double[] v) {
    double s = 0;
    for (double e : v) {
      s += e * e;
    }
    return Math.sqrt(s);
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
