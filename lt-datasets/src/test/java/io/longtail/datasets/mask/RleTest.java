package io.longtail.datasets.mask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RleTest {

  @Test
  void knownCountsEncodeToHandComputedString() {
    // counts 5, 40, 3, 38 on a 2 x 43 image:
    //   5  -> '0' + 5 = '5'
    //   40 -> low 5 bits 8 with the "more" bit 0x20: '0' + 40 = 'X'; then 1: '1'
    //   3  -> '3'
    //   38 is the 4th count, stored as 38 - 40 = -2: low 5 bits 30 (sign bit 0x10 set, rest
    //   of the value -1, so no more groups): '0' + 30 = 'N'
    Rle rle = Rle.fromCounts(new int[] {5, 40, 3, 38}, 2, 43);
    assertThat(rle.toCompressedString()).isEqualTo("5X13N");
    assertThat(Rle.fromString("5X13N", 2, 43)).isEqualTo(rle);
    assertThat(Rle.fromString("5X13N", 2, 43).counts()).containsExactly(5, 40, 3, 38);
  }

  @Test
  void randomCountsSurviveStringRoundTrip() {
    Random random = new Random(42);
    for (int trial = 0; trial < 500; trial++) {
      int h = 1 + random.nextInt(600);
      int w = 1 + random.nextInt(600);
      int[] counts = randomCounts(random, h * w, 1 + random.nextInt(60));
      Rle rle = Rle.fromCounts(counts, h, w);
      String s = rle.toCompressedString();
      Rle back = Rle.fromString(s, h, w);
      assertThat(back).isEqualTo(rle);
      assertThat(back.counts()).containsExactly(counts);
      assertThat(back.toCompressedString()).isEqualTo(s);
    }
  }

  @Test
  void areaSumsForegroundRunsAndCountsAreCopied() {
    int[] counts = {0, 3, 4, 2, 1};
    Rle rle = Rle.fromCounts(counts, 2, 5);
    assertThat(rle.area()).isEqualTo(5);
    assertThat(rle.runCount()).isEqualTo(5);
    counts[1] = 99;
    rle.counts()[2] = 99;
    assertThat(rle.counts()).containsExactly(0, 3, 4, 2, 1);
  }

  @Test
  void emptyMaskHasZeroAreaAndZeroBox() {
    Rle rle = Rle.fromCounts(new int[] {12}, 3, 4);
    assertThat(rle.area()).isZero();
    assertThat(rle.bbox()).containsExactly(0, 0, 0, 0);
    assertThat(rle.toCompressedString()).isEqualTo("<");
  }

  @Test
  void equalityIsByValue() {
    assertThat(Rle.fromCounts(new int[] {1, 2, 3}, 2, 3))
        .isEqualTo(Rle.fromCounts(new int[] {1, 2, 3}, 2, 3))
        .hasSameHashCodeAs(Rle.fromCounts(new int[] {1, 2, 3}, 2, 3))
        .isNotEqualTo(Rle.fromCounts(new int[] {1, 2, 3}, 3, 2))
        .isNotEqualTo(Rle.fromCounts(new int[] {1, 3, 2}, 2, 3));
  }

  @Test
  void countsThatDoNotCoverTheImageAreRejected() {
    assertThatThrownBy(() -> Rle.fromCounts(new int[] {1, 2}, 2, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 * 3 = 6")
        .hasMessageContaining("of 3");
    assertThatThrownBy(() -> Rle.fromCounts(new int[] {4, -1, 3}, 2, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("counts[1] = -1");
    assertThatThrownBy(() -> Rle.fromCounts(new int[] {6}, -2, -3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("height must be >= 0, got -2");
  }

  @Test
  void malformedStringsAreRejectedNamingTheProblem() {
    assertThatThrownBy(() -> Rle.fromString("5X1 3N", 2, 43))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("character ' ' at index 3")
        .hasMessageContaining("5X1 3N");
    assertThatThrownBy(() -> Rle.fromString("5X13Np", 2, 43))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("character 'p' at index 5");
    // 'X' carries the continuation bit: the value is cut off.
    assertThatThrownBy(() -> Rle.fromString("5X", 2, 43))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ends inside a value");
    // A valid encoding whose counts do not cover 2 x 40 pixels.
    assertThatThrownBy(() -> Rle.fromString("5X13N", 2, 40))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("malformed RLE string")
        .hasMessageContaining("5X13N");
    // 'N' as a first value is -2: a negative count.
    assertThatThrownBy(() -> Rle.fromString("N", 2, 43))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("decodes to -2");
  }

  static int[] randomCounts(Random random, int total, int runs) {
    int[] cuts = new int[runs - 1];
    for (int i = 0; i < cuts.length; i++) {
      cuts[i] = random.nextInt(total + 1);
    }
    Arrays.sort(cuts);
    int[] counts = new int[runs];
    int previous = 0;
    for (int i = 0; i < cuts.length; i++) {
      counts[i] = cuts[i] - previous;
      previous = cuts[i];
    }
    counts[runs - 1] = total - previous;
    return counts;
  }
}
