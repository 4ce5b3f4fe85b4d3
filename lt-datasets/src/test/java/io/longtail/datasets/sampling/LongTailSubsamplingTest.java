package io.longtail.datasets.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LongTailSubsamplingTest {

  @Test
  void cifar10LtCountsAtImbalance100MatchTheReference() {
    // CIFAR-10-LT (imbalance 100) has 12406 training images.
    int[] counts = LongTailSubsampling.counts(5000, 100, 10);
    assertThat(counts).containsExactly(5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50);
    assertThat(java.util.Arrays.stream(counts).sum()).isEqualTo(12406);
  }

  @Test
  void cifar100LtCountsEndAtTheImbalance() {
    int[] counts = LongTailSubsampling.counts(500, 100, 100);
    assertThat(counts[0]).isEqualTo(500);
    assertThat(counts[99]).isEqualTo(5);
    for (int i = 1; i < 100; i++) {
      assertThat(counts[i]).isLessThanOrEqualTo(counts[i - 1]);
    }
  }

  @Test
  void subsampleKeepsTheCountsOfEveryClassFromASeed() {
    int[] labels = new int[300];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = i % 3;
    }
    int[] counts = {100, 30, 10};
    int[] kept = LongTailSubsampling.subsample(labels, counts, 1);
    int[] per = new int[3];
    for (int i : kept) {
      per[labels[i]]++;
    }
    assertThat(per).containsExactly(100, 30, 10);
    assertThat(LongTailSubsampling.subsample(labels, counts, 1)).containsExactly(kept);
    assertThat(LongTailSubsampling.subsample(labels, counts, 2)).isNotEqualTo(kept);
    assertThatThrownBy(() -> LongTailSubsampling.subsample(labels, new int[] {101, 0, 0}, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("counts[0]");
  }

  @Test
  void profilesSpanExactlyTheImbalance() {
    for (LongTailProfile p : LongTailProfile.values()) {
      assertThat(p.fraction(0, 60, 100)).isEqualTo(1.0);
      assertThat(p.fraction(59, 60, 100)).isCloseTo(0.01, within(1e-12));
      assertThat(p.fraction(30, 60, 100)).isLessThan(p.fraction(29, 60, 100));
    }
    // Zipf has the heavier head: rank 1 drops faster than under the exponential profile.
    assertThat(LongTailProfile.ZIPF.fraction(1, 60, 100))
        .isLessThan(LongTailProfile.EXPONENTIAL.fraction(1, 60, 100));
    assertThatThrownBy(() -> LongTailProfile.EXPONENTIAL.fraction(0, 10, 0.5))
        .hasMessageContaining("imbalance must be finite and >= 1, got 0.5");
  }
}
