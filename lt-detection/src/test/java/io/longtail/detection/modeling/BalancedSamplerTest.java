package io.longtail.detection.modeling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BalancedSamplerTest {

  @Test
  void takesTheTargetFractionOfPositivesWhenAvailable() {
    int[] labels = new int[2000];
    Arrays.fill(labels, 0, 300, 1); // 300 positives
    Arrays.fill(labels, 300, 400, -1); // 100 ignored
    BalancedSampler.Sample s = new BalancedSampler(512, 0.25f).sample(labels, new Random(1));
    assertThat(s.positives()).hasSize(128);
    assertThat(s.negatives()).hasSize(384);
    assertThat(Arrays.stream(s.positives()).allMatch(i -> labels[i] == 1)).isTrue();
    assertThat(Arrays.stream(s.negatives()).allMatch(i -> labels[i] == 0)).isTrue();
    assertThat(Arrays.stream(s.all()).distinct().count()).isEqualTo(512);
  }

  @Test
  void negativesFillTheBatchWhenPositivesAreFew() {
    int[] labels = new int[1000];
    labels[5] = 1;
    labels[7] = 1;
    BalancedSampler.Sample s = new BalancedSampler(256, 0.5f).sample(labels, new Random(1));
    assertThat(s.positives()).containsExactly(5, 7);
    assertThat(s.negatives()).hasSize(254);
  }

  @Test
  void neverExceedsWhatExists() {
    int[] labels = {1, 0, -1, 0};
    BalancedSampler.Sample s = new BalancedSampler(256, 0.5f).sample(labels, new Random(1));
    assertThat(s.positives()).containsExactly(0);
    assertThat(s.negatives()).containsExactly(1, 3);
  }

  @Test
  void sameSeedSameSampleAndDifferentSeedsCoverUniformly() {
    int[] labels = new int[100];
    Arrays.fill(labels, 0, 50, 1);
    BalancedSampler sampler = new BalancedSampler(10, 0.5f);
    assertThat(sampler.sample(labels, new Random(9)).all())
        .containsExactly(sampler.sample(labels, new Random(9)).all());
    int[] hits = new int[50];
    Random r = new Random(2);
    for (int t = 0; t < 5000; t++) {
      for (int i : sampler.sample(labels, r).positives()) {
        hits[i]++;
      }
    }
    // Each positive is chosen with probability 5/50: 500 expected, sd about 21.
    assertThat(Arrays.stream(hits).allMatch(h -> h > 400 && h < 600))
        .as(Arrays.toString(hits))
        .isTrue();
  }
}
