package io.longtail.detection.modeling;

import io.longtail.detection.structures.Boxes;

/**
 * FPN level of each ROI for ROIAlign (Lin et al. 2017, eq. 1; detectron2 {@code
 * assign_boxes_to_levels}): {@code k = floor(k0 + log2(sqrt(area) / 224 + 1e-8))}, clamped to the
 * pooled levels, with {@code k0 = 4}: a 224x224 ROI pools from P4.
 *
 * @param minLevel lowest pooled level (2 for P2)
 * @param maxLevel highest pooled level (5 for P5)
 */
public record RoiLevels(int minLevel, int maxLevel) {

  /** Canonical ROI size that maps to the canonical level. */
  public static final float CANONICAL_SIZE = 224f;

  /** Level of an ROI of the canonical size. */
  public static final int CANONICAL_LEVEL = 4;

  /** Validates the range. */
  public RoiLevels {
    if (minLevel < 0 || maxLevel < minLevel) {
      throw new IllegalArgumentException(
          "levels must satisfy 0 <= min <= max, got min=" + minLevel + ", max=" + maxLevel);
    }
  }

  /**
   * Level indices relative to {@code minLevel} (0 for P{minLevel}).
   *
   * @param boxes ROIs
   * @return one index in {@code [0, maxLevel - minLevel]} per ROI
   */
  public int[] assign(float[] boxes) {
    int n = Boxes.count(boxes);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      double size = Math.sqrt(Math.max(Boxes.area(boxes, i), 0f));
      int level =
          (int) Math.floor(CANONICAL_LEVEL + Math.log(size / CANONICAL_SIZE + 1e-8) / Math.log(2));
      out[i] = Math.min(Math.max(level, minLevel), maxLevel) - minLevel;
    }
    return out;
  }
}
