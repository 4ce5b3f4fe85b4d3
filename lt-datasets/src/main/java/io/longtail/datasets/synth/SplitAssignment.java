package io.longtail.datasets.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Which categories each image of a split must contain.
 *
 * <p>Categories are handled from the most to the least frequent; each takes its count of distinct
 * images, choosing among the least loaded images first (ties broken by a seeded shuffle), so every
 * image gets a category before any gets a second one and the realised image count of every category
 * is exactly its target.
 */
final class SplitAssignment {

  private SplitAssignment() {}

  /**
   * Assigns categories to images.
   *
   * @param counts target image count of category {@code c} (indices into the caller's list)
   * @param images number of images
   * @param maxPerImage most categories per image
   * @param seed seed of the tie breaking
   * @return for each image, the category indices it contains
   */
  static int[][] assign(int[] counts, int images, int maxPerImage, long seed) {
    long total = 0;
    for (int c = 0; c < counts.length; c++) {
      if (counts[c] > images) {
        throw new IllegalArgumentException(
            "category "
                + c
                + " needs "
                + counts[c]
                + " images, more than the split has ("
                + images
                + ")");
      }
      total += counts[c];
    }
    if (total > (long) images * maxPerImage) {
      throw new IllegalArgumentException(
          "the categories need "
              + total
              + " image slots, more than "
              + images
              + " images x "
              + maxPerImage
              + " categories per image; use more images or fewer categories");
    }
    Integer[] byCount = new Integer[counts.length];
    for (int c = 0; c < counts.length; c++) {
      byCount[c] = c;
    }
    java.util.Arrays.sort(
        byCount, (a, b) -> counts[b] != counts[a] ? counts[b] - counts[a] : a - b);
    SplittableRandom rng = new SplittableRandom(seed);
    List<List<Integer>> perImage = new ArrayList<>(images);
    for (int i = 0; i < images; i++) {
      perImage.add(new ArrayList<>(2));
    }
    // Buckets of images by load; within a bucket, a random order.
    int[] order = new int[images];
    for (int c : byCount) {
      for (int i = 0; i < images; i++) {
        order[i] = i;
      }
      for (int i = images - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      int need = counts[c];
      for (int load = 0; load < maxPerImage && need > 0; load++) {
        for (int k = 0; k < images && need > 0; k++) {
          int img = order[k];
          if (perImage.get(img).size() == load) {
            perImage.get(img).add(c);
            need--;
          }
        }
      }
      if (need > 0) {
        throw new IllegalStateException("could not place category " + c + " (no free slot)");
      }
    }
    int[][] out = new int[images][];
    for (int i = 0; i < images; i++) {
      out[i] = perImage.get(i).stream().mapToInt(Integer::intValue).toArray();
    }
    return out;
  }
}
