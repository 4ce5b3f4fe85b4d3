package io.longtail.detection.modeling;

import static org.assertj.core.api.Assertions.assertThat;

import io.longtail.detection.structures.Boxes;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BatchedNmsTest {

  @Test
  void matchesABruteForceReferenceOnRandomBoxes() {
    Random r = new Random(11);
    for (int trial = 0; trial < 20; trial++) {
      int n = 300;
      float[] boxes = new float[4 * n];
      float[] scores = new float[n];
      int[] classes = new int[n];
      for (int i = 0; i < n; i++) {
        float x = r.nextFloat() * 100;
        float y = r.nextFloat() * 100;
        boxes[4 * i] = x;
        boxes[4 * i + 1] = y;
        boxes[4 * i + 2] = x + 5 + r.nextFloat() * 40;
        boxes[4 * i + 3] = y + 5 + r.nextFloat() * 40;
        scores[i] = r.nextInt(50) / 50f; // many ties
        classes[i] = r.nextInt(4);
      }
      int[] kept = BatchedNms.apply(boxes, scores, classes, 0.5f, Integer.MAX_VALUE);
      assertThat(kept).containsExactly(bruteForce(boxes, scores, classes, 0.5f));
      int[] capped = BatchedNms.apply(boxes, scores, classes, 0.5f, 10);
      assertThat(capped).containsExactly(java.util.Arrays.copyOf(kept, 10));
    }
  }

  @Test
  void differentClassesDoNotSuppressEachOther() {
    float[] boxes = {0, 0, 10, 10, 0, 0, 10, 10, 0, 0, 10, 10};
    assertThat(
            BatchedNms.apply(boxes, new float[] {0.9f, 0.8f, 0.7f}, new int[] {0, 1, 0}, 0.5f, 100))
        .containsExactly(0, 1);
  }

  /**
   * Reference: repeatedly take the best remaining box and drop same-class boxes above the
   * threshold.
   */
  private static int[] bruteForce(float[] boxes, float[] scores, int[] classes, float threshold) {
    int n = scores.length;
    boolean[] removed = new boolean[n];
    List<Integer> kept = new ArrayList<>();
    while (true) {
      int best = -1;
      for (int i = 0; i < n; i++) {
        if (!removed[i] && (best < 0 || scores[i] > scores[best])) {
          best = i;
        }
      }
      if (best < 0) {
        break;
      }
      kept.add(best);
      removed[best] = true;
      for (int i = 0; i < n; i++) {
        if (!removed[i]
            && classes[i] == classes[best]
            && Boxes.iou(boxes, i, boxes, best) > threshold) {
          removed[i] = true;
        }
      }
    }
    return kept.stream().mapToInt(Integer::intValue).toArray();
  }
}
