package io.longtail.detection.modeling;

import java.util.Arrays;

/**
 * Assigns each prediction (anchor or proposal) to its best-overlapping ground-truth box and labels
 * it by IoU (detectron2 {@code Matcher}): below {@code lowThreshold} negative, from {@code
 * highThreshold} positive, in between ignored. With {@code allowLowQualityMatches} every ground
 * truth also claims the predictions of its highest IoU (even below the high threshold), so that no
 * object is left without a positive anchor (Faster R-CNN's RPN rule).
 *
 * @param lowThreshold IoU below which a prediction is negative
 * @param highThreshold IoU from which a prediction is positive ({@code >= lowThreshold})
 * @param allowLowQualityMatches whether each ground truth keeps its best predictions
 */
public record Matcher(float lowThreshold, float highThreshold, boolean allowLowQualityMatches) {

  /** Label of a negative (background) prediction. */
  public static final int NEGATIVE = 0;

  /** Label of a prediction between the thresholds: not used in the loss. */
  public static final int IGNORE = -1;

  /** Label of a positive (foreground) prediction. */
  public static final int POSITIVE = 1;

  /** Validates the thresholds. */
  public Matcher {
    if (!(lowThreshold >= 0 && lowThreshold <= highThreshold && highThreshold <= 1)) {
      throw new IllegalArgumentException(
          "thresholds must satisfy 0 <= low <= high <= 1, got low="
              + lowThreshold
              + ", high="
              + highThreshold);
    }
  }

  /** The RPN matcher: 0.3 / 0.7 with low-quality matches. */
  public static Matcher rpn() {
    return new Matcher(0.3f, 0.7f, true);
  }

  /** The ROI head matcher: foreground from IoU 0.5, no ignore band, no low-quality matches. */
  public static Matcher roiHead() {
    return new Matcher(0.5f, 0.5f, false);
  }

  /**
   * The result of matching.
   *
   * @param matchedGt index of the best ground truth of each prediction ({@code 0} when there is no
   *     ground truth at all)
   * @param labels {@link #POSITIVE}, {@link #NEGATIVE} or {@link #IGNORE} per prediction
   * @param maxIou the best IoU of each prediction
   */
  public record Match(int[] matchedGt, int[] labels, float[] maxIou) {}

  /**
   * Matches predictions to ground truth.
   *
   * @param iou {@code [G][N]} IoU of each ground truth with each prediction
   * @param numPredictions {@code N} (needed when {@code G = 0})
   * @return the match
   */
  public Match match(float[][] iou, int numPredictions) {
    int g = iou.length;
    int[] matched = new int[numPredictions];
    int[] labels = new int[numPredictions];
    float[] best = new float[numPredictions];
    if (g == 0) {
      Arrays.fill(labels, NEGATIVE);
      return new Match(matched, labels, best);
    }
    Arrays.fill(best, -1f);
    for (int j = 0; j < g; j++) {
      float[] row = iou[j];
      for (int i = 0; i < numPredictions; i++) {
        // Strictly greater: ties keep the lower gt index, as argmax does.
        if (row[i] > best[i]) {
          best[i] = row[i];
          matched[i] = j;
        }
      }
    }
    for (int i = 0; i < numPredictions; i++) {
      labels[i] = best[i] >= highThreshold ? POSITIVE : best[i] < lowThreshold ? NEGATIVE : IGNORE;
    }
    if (allowLowQualityMatches) {
      for (int j = 0; j < g; j++) {
        float[] row = iou[j];
        float max = 0f;
        for (int i = 0; i < numPredictions; i++) {
          max = Math.max(max, row[i]);
        }
        if (max <= 0f) {
          continue;
        }
        for (int i = 0; i < numPredictions; i++) {
          if (row[i] == max) {
            labels[i] = POSITIVE;
          }
        }
      }
    }
    return new Match(matched, labels, best);
  }
}
