package io.longtail.datasets.lvis;

import java.util.Arrays;
import java.util.Collection;

/**
 * The label convention of the code base at the dataset boundary: maps the dataset category ids
 * (LVIS 1..1203, COCO 1..90 with gaps) to contiguous foreground labels {@code 0 .. K-1} in
 * increasing id order, and back. Background is label {@code K} ({@link #background()}), ignore is
 * {@link #IGNORE} ({@code -1}); see DESIGN.md, "Label convention".
 */
public final class CategoryIndex {

  /** The label of regions that take no part in the loss. */
  public static final int IGNORE = -1;

  private final int[] categoryIds;

  private CategoryIndex(int[] sortedIds) {
    this.categoryIds = sortedIds;
  }

  /**
   * The index of a set of category ids; label {@code i} is the {@code i}-th smallest id.
   *
   * @param categoryIds distinct dataset category ids, in any order; at least one
   * @throws IllegalArgumentException if the ids are empty or contain a duplicate
   */
  public static CategoryIndex of(Collection<Integer> categoryIds) {
    int[] ids = categoryIds.stream().mapToInt(Integer::intValue).sorted().toArray();
    if (ids.length == 0) {
      throw new IllegalArgumentException("categoryIds must not be empty");
    }
    for (int i = 1; i < ids.length; i++) {
      if (ids[i] == ids[i - 1]) {
        throw new IllegalArgumentException(
            "categoryIds must be distinct, got " + ids[i] + " twice");
      }
    }
    return new CategoryIndex(ids);
  }

  /** Number of foreground classes {@code K}. */
  public int size() {
    return categoryIds.length;
  }

  /** The background label, {@code K}. */
  public int background() {
    return categoryIds.length;
  }

  /** Whether the dataset category id is known. */
  public boolean contains(int categoryId) {
    return Arrays.binarySearch(categoryIds, categoryId) >= 0;
  }

  /**
   * The contiguous label {@code 0 .. K-1} of a dataset category id.
   *
   * @throws IllegalArgumentException if the id is unknown
   */
  public int toLabel(int categoryId) {
    int label = Arrays.binarySearch(categoryIds, categoryId);
    if (label < 0) {
      throw new IllegalArgumentException("categoryId is not in the index, got " + categoryId);
    }
    return label;
  }

  /**
   * The dataset category id of a foreground label.
   *
   * @param label {@code 0 .. K-1}
   * @throws IllegalArgumentException for background, ignore or any other label outside the range
   */
  public int toCategoryId(int label) {
    if (label < 0 || label >= categoryIds.length) {
      throw new IllegalArgumentException(
          "label must be a foreground label in [0, " + categoryIds.length + "), got " + label);
    }
    return categoryIds[label];
  }

  /** The dataset category ids in label order (a copy). */
  public int[] categoryIds() {
    return categoryIds.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CategoryIndex other && Arrays.equals(categoryIds, other.categoryIds);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(categoryIds);
  }

  @Override
  public String toString() {
    return "CategoryIndex[K=" + categoryIds.length + "]";
  }
}
