package io.longtail.datasets.sampling;

import ai.djl.training.dataset.RandomAccessDataset;
import java.util.Arrays;
import java.util.Iterator;

/** Shared checks of the samplers. */
final class Samplers {

  private Samplers() {}

  static void checkSize(RandomAccessDataset dataset, int expected) {
    if (dataset != null && dataset.size() != expected) {
      throw new IllegalArgumentException(
          "dataset must have one index per image of the sampler ("
              + expected
              + "), got size "
              + dataset.size());
    }
  }

  static Iterator<Long> iterator(long[] indices) {
    return Arrays.stream(indices).boxed().iterator();
  }
}
