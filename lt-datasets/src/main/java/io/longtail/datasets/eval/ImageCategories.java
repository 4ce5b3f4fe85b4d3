package io.longtail.datasets.eval;

import java.util.Arrays;

/**
 * For each image, the categories whose detections count there: those with ground truth in the image
 * (area above 0) and those in its {@code neg_category_ids} (lvis-api's federated filter in {@code
 * _prepare}). Stored as a bit per (image, category) when that takes at most 32 MB (LVIS v1 val: 3
 * MB, one lookup per detection: 6 million of them), else as one sorted list of category indices per
 * image (compressed rows): memory the number of such pairs, not images x categories.
 */
final class ImageCategories {

  /** Largest bit set used, in bits (32 MB). */
  private static final long MAX_BITS = 1L << 28;

  private final int[] start;
  private final int[] categories;

  /** Bit {@code image * categoryCount + category}, or null (then the rows are used). */
  private final long[] bits;

  private final int categoryCount;

  private ImageCategories(int[] start, int[] categories, int categoryCount) {
    this.categoryCount = categoryCount;
    long size = (long) (start.length - 1) * categoryCount;
    if (size <= MAX_BITS) {
      bits = new long[(int) ((size + 63) >>> 6)];
      for (int i = 0; i + 1 < start.length; i++) {
        for (int k = start[i]; k < start[i + 1]; k++) {
          long bit = (long) i * categoryCount + categories[k];
          bits[(int) (bit >>> 6)] |= 1L << bit;
        }
      }
      this.start = null;
      this.categories = null;
    } else {
      bits = null;
      this.start = start;
      this.categories = categories;
    }
  }

  /**
   * @param gt the ground truth
   * @param takesPart per annotation row, whether it takes part (area in (0, inf))
   */
  static ImageCategories of(EvalGroundTruth gt, boolean[] takesPart) {
    int images = gt.imageCount();
    int[] count = new int[images + 1];
    for (int a = 0; a < gt.annotationCount(); a++) {
      if (takesPart[a]) {
        count[gt.annImage[a] + 1]++;
      }
    }
    for (int i = 0; i < images; i++) {
      count[i + 1] += gt.negCategoryIds[i].length;
    }
    for (int i = 0; i < images; i++) {
      count[i + 1] += count[i];
    }
    int[] cats = new int[count[images]];
    int[] fill = Arrays.copyOf(count, images);
    for (int a = 0; a < gt.annotationCount(); a++) {
      if (takesPart[a]) {
        cats[fill[gt.annImage[a]]++] = gt.annCategory[a];
      }
    }
    for (int i = 0; i < images; i++) {
      for (int id : gt.negCategoryIds[i]) {
        int c = gt.categoryIndex(id);
        // A negative category the dataset does not declare can never be detected: drop it.
        cats[fill[i]++] = c;
      }
    }
    // Sort and deduplicate each row in place, compacting the rows.
    int[] start = new int[images + 1];
    int out = 0;
    for (int i = 0; i < images; i++) {
      int from = count[i];
      int to = count[i + 1];
      Arrays.sort(cats, from, to);
      start[i] = out;
      for (int k = from; k < to; k++) {
        if (cats[k] >= 0 && (out == start[i] || cats[out - 1] != cats[k])) {
          cats[out++] = cats[k];
        }
      }
    }
    start[images] = out;
    return new ImageCategories(start, Arrays.copyOf(cats, out), gt.categoryCount());
  }

  /** Whether detections of category index {@code category} count in image {@code image}. */
  boolean counts(int image, int category) {
    if (bits != null) {
      long bit = (long) image * categoryCount + category;
      return (bits[(int) (bit >>> 6)] & (1L << bit)) != 0;
    }
    return Arrays.binarySearch(categories, start[image], start[image + 1], category) >= 0;
  }
}
