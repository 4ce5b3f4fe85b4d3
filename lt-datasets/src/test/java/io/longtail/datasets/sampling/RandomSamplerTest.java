package io.longtail.datasets.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RandomSamplerTest {

  @Test
  void everyEpochIsASeededPermutation() {
    RandomSampler s = new RandomSampler(42);
    long[] e0 = s.epochIndices(100, 0);
    long[] sorted = e0.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < 100; i++) {
      assertThat(sorted[i]).isEqualTo(i);
    }
    assertThat(new RandomSampler(42).epochIndices(100, 0)).containsExactly(e0);
    assertThat(s.epochIndices(100, 1)).isNotEqualTo(e0);
    assertThat(new RandomSampler(43).epochIndices(100, 0)).isNotEqualTo(e0);
  }
}
