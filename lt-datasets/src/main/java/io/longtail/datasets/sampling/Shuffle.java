package io.longtail.datasets.sampling;

import java.util.SplittableRandom;

/** Fisher-Yates shuffles driven by an explicit generator. */
final class Shuffle {

  private Shuffle() {}

  /** Shuffles {@code a} in place. */
  static void all(int[] a, SplittableRandom rng) {
    for (int i = a.length - 1; i > 0; i--) {
      swap(a, i, rng.nextInt(i + 1));
    }
  }

  /** Shuffles {@code a} in place. */
  static void all(long[] a, SplittableRandom rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      long t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /** Puts a uniformly random {@code k}-subset, in random order, in {@code a[0..k)}. */
  static void partial(int[] a, int k, SplittableRandom rng) {
    for (int i = 0; i < k; i++) {
      swap(a, i, i + rng.nextInt(a.length - i));
    }
  }

  private static void swap(int[] a, int i, int j) {
    int t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
