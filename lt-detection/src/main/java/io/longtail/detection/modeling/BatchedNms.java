package io.longtail.detection.modeling;

import io.longtail.detection.structures.Boxes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Class-aware greedy non-maximum suppression: within each class, a box is dropped when it overlaps
 * a higher-scoring kept box of the same class by more than the IoU threshold; boxes of different
 * classes never suppress each other. Runs on plain arrays after score filtering, so its cost is
 * that of the candidates, never of {@code boxes x classes}.
 */
public final class BatchedNms {
  private BatchedNms() {}

  /**
   * Indices of the kept boxes, by decreasing score (ties by index), at most {@code maxKept}.
   *
   * @param boxes {@code 4N} box coordinates
   * @param scores {@code N} scores
   * @param classes {@code N} class indices (use one class for class-agnostic NMS)
   * @param iouThreshold boxes with IoU strictly above it are suppressed
   * @param maxKept cap on the result size ({@code Integer.MAX_VALUE} for none)
   * @return kept indices
   */
  public static int[] apply(
      float[] boxes, float[] scores, int[] classes, float iouThreshold, int maxKept) {
    int n = Boxes.count(boxes);
    if (scores.length != n || classes.length != n) {
      throw new IllegalArgumentException(
          "boxes, scores and classes must have the same count, got "
              + n
              + ", "
              + scores.length
              + ", "
              + classes.length);
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order, (a, b) -> scores[a] != scores[b] ? Float.compare(scores[b], scores[a]) : a - b);
    Map<Integer, List<Integer>> keptByClass = new HashMap<>();
    int[] kept = new int[Math.min(n, maxKept)];
    int count = 0;
    for (int idx : order) {
      if (count >= kept.length) {
        break;
      }
      List<Integer> same = keptByClass.computeIfAbsent(classes[idx], c -> new ArrayList<>());
      boolean suppressed = false;
      for (int k : same) {
        if (Boxes.iou(boxes, idx, boxes, k) > iouThreshold) {
          suppressed = true;
          break;
        }
      }
      if (!suppressed) {
        same.add(idx);
        kept[count++] = idx;
      }
    }
    return Arrays.copyOf(kept, count);
  }
}
