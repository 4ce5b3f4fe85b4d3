package io.longtail.detection.modeling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BoxCoderTest {

  @Test
  void encodeDecodeRoundTrip() {
    Random r = new Random(3);
    int n = 200;
    float[] refs = new float[4 * n];
    float[] targets = new float[4 * n];
    for (int i = 0; i < n; i++) {
      fill(refs, i, r);
      fill(targets, i, r);
    }
    for (BoxCoder coder : new BoxCoder[] {BoxCoder.rpn(), BoxCoder.roiHead()}) {
      float[] decoded = coder.decode(refs, coder.encode(refs, targets));
      assertThat(decoded).containsExactly(targets, within(1e-2f));
    }
  }

  @Test
  void encodesAHandComputedCase() {
    // ref: centre (5, 5), size 10x10; target: centre (7, 4), size 20x5.
    float[] d =
        BoxCoder.roiHead().encode(new float[] {0, 0, 10, 10}, new float[] {-3, 1.5f, 17, 6.5f});
    assertThat(d[0]).isCloseTo(10 * 2f / 10, within(1e-6f));
    assertThat(d[1]).isCloseTo(10 * -1f / 10, within(1e-6f));
    assertThat(d[2]).isCloseTo((float) (5 * Math.log(2)), within(1e-6f));
    assertThat(d[3]).isCloseTo((float) (5 * Math.log(0.5)), within(1e-6f));
  }

  @Test
  void decodeClampsHugeScales() {
    float[] box = BoxCoder.rpn().decode(new float[] {0, 0, 16, 16}, new float[] {0, 0, 100, 100});
    assertThat(box[2] - box[0]).isCloseTo(1000f, within(0.1f));
  }

  @Test
  void decodesOneClassOfPerClassDeltas() {
    float[] refs = {0, 0, 10, 10};
    float[] deltas = {9, 9, 9, 9, 0, 0, 0, 0}; // class 0 moves, class 1 keeps the box
    assertThat(BoxCoder.roiHead().decode(refs, deltas, 4, 8)).containsExactly(0, 0, 10, 10);
  }

  private static void fill(float[] boxes, int i, Random r) {
    float x = r.nextFloat() * 200;
    float y = r.nextFloat() * 200;
    boxes[4 * i] = x;
    boxes[4 * i + 1] = y;
    boxes[4 * i + 2] = x + 10 + r.nextFloat() * 90; // size ratios stay below the 62.5 clamp
    boxes[4 * i + 3] = y + 10 + r.nextFloat() * 90;
  }
}
