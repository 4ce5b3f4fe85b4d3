package io.longtail.datasets.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BatchingTest {

  private static PreparedImage filled(int h, int w, float value) {
    float[] px = new float[3 * h * w];
    java.util.Arrays.fill(px, value);
    ImageTargets t =
        new ImageTargets(
            1, "x", h, w, h, w, 1, 1, false, new float[0], new int[0], new boolean[0], List.of());
    return new PreparedImage(px, t);
  }

  @Test
  void batchesArePaddedToMultiplesOf32WithZerosBottomRight() {
    List<PreparedImage> images = List.of(filled(50, 70, 1f), filled(64, 33, 2f));
    assertThat(Batching.paddedShape(images, 32)).containsExactly(2, 3, 64, 96);
    float[] data = Batching.pad(images, 32);
    assertThat(data).hasSize(2 * 3 * 64 * 96);
    // image 0, channel 2: inside (49, 69) is 1, (50, 0) and (0, 70) are padding.
    int base = (0 * 3 + 2) * 64 * 96;
    assertThat(data[base + 49 * 96 + 69]).isEqualTo(1f);
    assertThat(data[base + 50 * 96]).isZero();
    assertThat(data[base + 70]).isZero();
    int base1 = (1 * 3 + 0) * 64 * 96;
    assertThat(data[base1 + 63 * 96 + 32]).isEqualTo(2f);
    assertThat(data[base1 + 63 * 96 + 33]).isZero();
    double sum = 0;
    for (float v : data) {
      sum += v;
    }
    assertThat(sum).isEqualTo(3 * (50 * 70 * 1.0 + 64 * 33 * 2.0));
  }

  @Test
  void roundUpKeepsExactMultiples() {
    assertThat(Batching.roundUp(64, 32)).isEqualTo(64);
    assertThat(Batching.roundUp(65, 32)).isEqualTo(96);
    assertThat(Batching.roundUp(1, 32)).isEqualTo(32);
  }
}
