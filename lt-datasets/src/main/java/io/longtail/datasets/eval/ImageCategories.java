package io.longtail.datasets.eval;

import java.util.Arrays;

/**
 * For each image, the categories whose detections count there: those with ground truth in the image
 * (area above 0) and those in its {@code neg_category_ids} (lvis-api's federated filter in {@code
 * _prepare}). Stored as one sorted list of category indices per image (compressed rows): memory is
 * the number of such pairs, not images x categories.
 */
final class ImageCategories {

  private final int[] start;
  private final int[] categories;

  private ImageCategories(int[] start, int[] categories) {
    this.start = start;
    this.categories = categories;
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
    return new ImageCategories(start, Arrays.copyOf(cats, out));
  }

  /** Whether detections of category index {@code category} count in image {@code image}. */
  boolean counts(int image, int category) {
    return Arrays.binarySearch(categories, start[image], start[image + 1], category) >= 0;
  }
}
