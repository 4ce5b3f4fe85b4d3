package io.longtail.datasets.lvis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An LVIS or COCO instance dataset: categories, images and annotations, with lookups by id, by
 * image and by category. Immutable; read one with {@link LvisReader} or assemble one with {@link
 * #of(List, List, List)}.
 *
 * <p>Lists keep the order of the file, except {@link #categories()} which is sorted by id (the
 * order of {@link #categoryIndex()} labels).
 */
public final class LvisDataset {

  private final List<Category> categories;
  private final List<ImageInfo> images;
  private final List<Annotation> annotations;
  private final Map<Integer, Category> categoriesById;
  private final Map<Long, ImageInfo> imagesById;
  private final Map<Long, List<Annotation>> annotationsByImage;
  private final Map<Integer, List<Annotation>> annotationsByCategory;
  private final CategoryIndex categoryIndex;
  private final SkipReport skipReport;

  private LvisDataset(
      List<Category> categories,
      List<ImageInfo> images,
      List<Annotation> annotations,
      SkipReport skipReport) {
    List<Category> sorted = new ArrayList<>(categories);
    sorted.sort(Comparator.comparingInt(Category::id));
    this.categories = Collections.unmodifiableList(sorted);
    this.images = List.copyOf(images);
    this.annotations = List.copyOf(annotations);
    this.skipReport = skipReport;

    this.categoriesById = new HashMap<>(capacity(sorted.size()));
    for (Category c : sorted) {
      if (categoriesById.put(c.id(), c) != null) {
        throw new IllegalArgumentException(
            "categories must have distinct ids, got " + c.id() + " twice");
      }
    }
    this.imagesById = new HashMap<>(capacity(this.images.size()));
    for (ImageInfo image : this.images) {
      if (imagesById.put(image.id(), image) != null) {
        throw new IllegalArgumentException(
            "images must have distinct ids, got " + image.id() + " twice");
      }
    }
    long[] annotationIds = new long[this.annotations.size()];
    Map<Long, List<Annotation>> byImage = new HashMap<>(capacity(this.images.size()));
    Map<Integer, List<Annotation>> byCategory = new HashMap<>(capacity(sorted.size()));
    for (int i = 0; i < annotationIds.length; i++) {
      Annotation a = this.annotations.get(i);
      annotationIds[i] = a.id();
      if (!imagesById.containsKey(a.imageId())) {
        throw new IllegalArgumentException(
            "annotation " + a.id() + " refers to an undeclared image, got imageId " + a.imageId());
      }
      if (!categoriesById.containsKey(a.categoryId())) {
        throw new IllegalArgumentException(
            "annotation "
                + a.id()
                + " refers to an undeclared category, got categoryId "
                + a.categoryId());
      }
      byImage.computeIfAbsent(a.imageId(), k -> new ArrayList<>()).add(a);
      byCategory.computeIfAbsent(a.categoryId(), k -> new ArrayList<>()).add(a);
    }
    Arrays.sort(annotationIds);
    for (int i = 1; i < annotationIds.length; i++) {
      if (annotationIds[i] == annotationIds[i - 1]) {
        throw new IllegalArgumentException(
            "annotations must have distinct ids, got " + annotationIds[i] + " twice");
      }
    }
    byImage.replaceAll((k, v) -> Collections.unmodifiableList(v));
    byCategory.replaceAll((k, v) -> Collections.unmodifiableList(v));
    this.annotationsByImage = byImage;
    this.annotationsByCategory = byCategory;
    this.categoryIndex = sorted.isEmpty() ? null : CategoryIndex.of(categoriesById.keySet());
  }

  private static int capacity(int n) {
    return (int) Math.min(Integer.MAX_VALUE, n * 4L / 3 + 1);
  }

  /**
   * A dataset from its parts.
   *
   * @throws IllegalArgumentException if ids repeat within a section, or an annotation refers to an
   *     image or category that is not in the lists
   */
  public static LvisDataset of(
      List<Category> categories, List<ImageInfo> images, List<Annotation> annotations) {
    return new LvisDataset(categories, images, annotations, SkipReport.empty());
  }

  /** A dataset read by {@link LvisReader}, with what lenient reading skipped. */
  static LvisDataset read(
      List<Category> categories,
      List<ImageInfo> images,
      List<Annotation> annotations,
      SkipReport skipReport) {
    return new LvisDataset(categories, images, annotations, skipReport);
  }

  /** The categories, sorted by id. */
  public List<Category> categories() {
    return categories;
  }

  /** The images, in file order. */
  public List<ImageInfo> images() {
    return images;
  }

  /** The annotations, in file order. */
  public List<Annotation> annotations() {
    return annotations;
  }

  /** Whether the dataset declares the category id. */
  public boolean hasCategory(int categoryId) {
    return categoriesById.containsKey(categoryId);
  }

  /**
   * The category with the id.
   *
   * @throws IllegalArgumentException if there is none
   */
  public Category category(int categoryId) {
    Category c = categoriesById.get(categoryId);
    if (c == null) {
      throw new IllegalArgumentException("categoryId is not in the dataset, got " + categoryId);
    }
    return c;
  }

  /** Whether the dataset declares the image id. */
  public boolean hasImage(long imageId) {
    return imagesById.containsKey(imageId);
  }

  /**
   * The image with the id.
   *
   * @throws IllegalArgumentException if there is none
   */
  public ImageInfo image(long imageId) {
    ImageInfo image = imagesById.get(imageId);
    if (image == null) {
      throw new IllegalArgumentException("imageId is not in the dataset, got " + imageId);
    }
    return image;
  }

  /**
   * The annotations of an image, in file order; empty for an image without annotations.
   *
   * @throws IllegalArgumentException if the image is not in the dataset
   */
  public List<Annotation> annotationsOfImage(long imageId) {
    image(imageId);
    return annotationsByImage.getOrDefault(imageId, List.of());
  }

  /**
   * The annotations of a category, in file order; empty for a category without annotations.
   *
   * @throws IllegalArgumentException if the category is not in the dataset
   */
  public List<Annotation> annotationsOfCategory(int categoryId) {
    category(categoryId);
    return annotationsByCategory.getOrDefault(categoryId, List.of());
  }

  /**
   * The images with at least one annotation of the category, in file order of their first such
   * annotation.
   *
   * @throws IllegalArgumentException if the category is not in the dataset
   */
  public List<ImageInfo> imagesWithCategory(int categoryId) {
    Set<Long> ids = new LinkedHashSet<>();
    for (Annotation a : annotationsOfCategory(categoryId)) {
      ids.add(a.imageId());
    }
    List<ImageInfo> result = new ArrayList<>(ids.size());
    for (long id : ids) {
      result.add(imagesById.get(id));
    }
    return Collections.unmodifiableList(result);
  }

  /**
   * The distinct category ids annotated in an image, sorted; empty for an image without
   * annotations.
   *
   * @throws IllegalArgumentException if the image is not in the dataset
   */
  public int[] categoryIdsOfImage(long imageId) {
    return annotationsOfImage(imageId).stream()
        .mapToInt(Annotation::categoryId)
        .distinct()
        .sorted()
        .toArray();
  }

  /**
   * The map between category ids and contiguous labels {@code 0 .. K-1} (background {@code K}).
   *
   * @throws IllegalStateException if the dataset has no categories
   */
  public CategoryIndex categoryIndex() {
    if (categoryIndex == null) {
      throw new IllegalStateException("the dataset has no categories");
    }
    return categoryIndex;
  }

  /** What lenient reading skipped; empty for strict reading and for {@link #of}. */
  public SkipReport skipReport() {
    return skipReport;
  }

  @Override
  public String toString() {
    return "LvisDataset[categories="
        + categories.size()
        + ", images="
        + images.size()
        + ", annotations="
        + annotations.size()
        + ", skipped="
        + skipReport.total()
        + "]";
  }
}
