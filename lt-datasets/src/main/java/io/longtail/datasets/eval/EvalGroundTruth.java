package io.longtail.datasets.eval;

import io.longtail.datasets.lvis.Annotation;
import io.longtail.datasets.lvis.BoxAnnotationsReader;
import io.longtail.datasets.lvis.Category;
import io.longtail.datasets.lvis.Frequency;
import io.longtail.datasets.lvis.ImageInfo;
import io.longtail.datasets.lvis.LvisDataset;
import io.longtail.datasets.lvis.Segmentation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The ground truth of an LVIS evaluation in flat arrays: images (size, {@code neg_category_ids},
 * {@code not_exhaustive_category_ids}), categories (id, frequency) and annotations (id, image,
 * category, {@code area}, box, mask). Immutable.
 *
 * <p>Made from an {@link LvisDataset} with {@link #from(LvisDataset)} or assembled with {@link
 * #builder()}. Annotations keep the order they were added in (lvis-api matches ground truth of one
 * image in file order); annotations of images or categories not declared are left out, as lvis-api
 * never looks them up.
 */
public final class EvalGroundTruth {

  final long[] imageIds;
  final int[] imageHeights;
  final int[] imageWidths;
  final int[][] negCategoryIds;
  final int[][] notExhaustiveCategoryIds;

  final int[] categoryIds;
  final Frequency[] frequencies;

  /** {@code imageLookup[id - minImageId]} = image index or -1; null when ids are too sparse. */
  private final int[] imageLookup;

  private final long minImageId;

  /** {@code categoryLookup[id - minCategoryId]} = category index or -1; null when too sparse. */
  private final int[] categoryLookup;

  private final int minCategoryId;

  final long[] annIds;
  final int[] annImage;
  final int[] annCategory;
  final double[] annArea;
  final double[] annBoxes;
  final Segmentation[] annSegmentations;

  private EvalGroundTruth(Builder b) {
    int ni = b.images.size();
    Integer[] imageOrder = new Integer[ni];
    for (int i = 0; i < ni; i++) {
      imageOrder[i] = i;
    }
    Arrays.sort(imageOrder, (x, y) -> Long.compare(b.images.get(x).id, b.images.get(y).id));
    imageIds = new long[ni];
    imageHeights = new int[ni];
    imageWidths = new int[ni];
    negCategoryIds = new int[ni][];
    notExhaustiveCategoryIds = new int[ni][];
    for (int i = 0; i < ni; i++) {
      ImageEntry e = b.images.get(imageOrder[i]);
      if (i > 0 && imageIds[i - 1] == e.id) {
        throw new IllegalArgumentException("images must have distinct ids, got " + e.id + " twice");
      }
      imageIds[i] = e.id;
      imageHeights[i] = e.height;
      imageWidths[i] = e.width;
      negCategoryIds[i] = e.neg;
      notExhaustiveCategoryIds[i] = e.notExhaustive;
    }

    int nc = b.categories.size();
    Integer[] catOrder = new Integer[nc];
    for (int i = 0; i < nc; i++) {
      catOrder[i] = i;
    }
    Arrays.sort(
        catOrder, (x, y) -> Integer.compare(b.categories.get(x).id, b.categories.get(y).id));
    categoryIds = new int[nc];
    frequencies = new Frequency[nc];
    for (int i = 0; i < nc; i++) {
      CategoryEntry e = b.categories.get(catOrder[i]);
      if (i > 0 && categoryIds[i - 1] == e.id) {
        throw new IllegalArgumentException(
            "categories must have distinct ids, got " + e.id + " twice");
      }
      categoryIds[i] = e.id;
      frequencies[i] = e.frequency;
    }

    // Dense id -> index tables when the ids are not too sparse (COCO image ids reach ~600k):
    // detections are looked up millions of times.
    minImageId = ni == 0 ? 0 : imageIds[0];
    long imageSpan = ni == 0 ? 0 : imageIds[ni - 1] - minImageId + 1;
    imageLookup =
        ni > 0 && imageSpan <= Math.max(1L << 20, 16L * ni) ? new int[(int) imageSpan] : null;
    if (imageLookup != null) {
      Arrays.fill(imageLookup, -1);
      for (int i = 0; i < ni; i++) {
        imageLookup[(int) (imageIds[i] - minImageId)] = i;
      }
    }
    minCategoryId = nc == 0 ? 0 : categoryIds[0];
    long categorySpan = nc == 0 ? 0 : (long) categoryIds[nc - 1] - minCategoryId + 1;
    categoryLookup =
        nc > 0 && categorySpan <= Math.max(1L << 16, 16L * nc) ? new int[(int) categorySpan] : null;
    if (categoryLookup != null) {
      Arrays.fill(categoryLookup, -1);
      for (int i = 0; i < nc; i++) {
        categoryLookup[categoryIds[i] - minCategoryId] = i;
      }
    }

    int total = b.annotationCount;
    int[] image = new int[total];
    int[] category = new int[total];
    int na = 0;
    for (int a = 0; a < total; a++) {
      image[a] = imageIndex(b.annImageIds[a]);
      category[a] = categoryIndex(b.annCategoryIds[a]);
      if (image[a] >= 0 && category[a] >= 0) {
        na++;
      }
    }
    annIds = new long[na];
    annImage = new int[na];
    annCategory = new int[na];
    annArea = new double[na];
    annBoxes = new double[4 * na];
    annSegmentations = new Segmentation[na];
    int i = 0;
    for (int a = 0; a < total; a++) {
      if (image[a] < 0 || category[a] < 0) {
        continue;
      }
      annIds[i] = b.annIds[a];
      annImage[i] = image[a];
      annCategory[i] = category[a];
      annArea[i] = b.annAreas[a];
      System.arraycopy(b.annBoxes, 4 * a, annBoxes, 4 * i, 4);
      annSegmentations[i] = b.annSegmentations == null ? null : b.annSegmentations[a];
      i++;
    }
  }

  /** A builder for ground truth assembled by hand (tests, other dataset formats). */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The ground truth of an LVIS dataset: its images, categories and annotations.
   *
   * @throws IllegalArgumentException if a category has no {@code frequency} (a COCO file)
   */
  public static EvalGroundTruth from(LvisDataset dataset) {
    Builder b = builder();
    for (Category c : dataset.categories()) {
      if (c.frequency() == null) {
        throw new IllegalArgumentException(
            "category " + c.id() + " has no frequency; LVIS evaluation needs r/c/f groups");
      }
      b.addCategory(c.id(), c.frequency());
    }
    for (ImageInfo im : dataset.images()) {
      b.addImage(
          im.id(),
          im.height(),
          im.width(),
          toArray(im.negCategoryIds()),
          toArray(im.notExhaustiveCategoryIds()));
    }
    for (Annotation a : dataset.annotations()) {
      b.addAnnotation(a.id(), a.imageId(), a.categoryId(), a.area(), a.bbox(), a.segmentation());
    }
    return b.build();
  }

  /**
   * The ground truth for box evaluation, read straight from an annotation file with {@link
   * BoxAnnotationsReader} (the same checks as {@link io.longtail.datasets.lvis.LvisReader}, no
   * masks, no {@link LvisDataset} in between).
   *
   * @param file an LVIS annotation file, optionally gzip-compressed ({@code .gz})
   * @throws io.longtail.datasets.lvis.AnnotationFileException for bad content, naming file, record
   *     and field
   * @throws IllegalArgumentException if a category has no {@code frequency} (a COCO file)
   * @throws IOException if the file cannot be read
   */
  public static EvalGroundTruth readBoxes(Path file) throws IOException {
    Builder b = builder();
    BoxAnnotationsReader.read(
        file,
        new BoxAnnotationsReader.Sink() {
          @Override
          public void category(int id, Frequency frequency) {
            if (frequency == null) {
              throw new IllegalArgumentException(
                  "category " + id + " has no frequency; LVIS evaluation needs r/c/f groups");
            }
            b.addCategory(id, frequency);
          }

          @Override
          public void image(
              long id, int width, int height, int[] negCategoryIds, int[] notExhaustive) {
            b.addImage(id, height, width, negCategoryIds, notExhaustive);
          }

          @Override
          public void annotation(
              long id, long imageId, int categoryId, double area, double[] bbox) {
            b.addAnnotation(id, imageId, categoryId, area, bbox, null);
          }
        });
    return b.build();
  }

  private static int[] toArray(List<Integer> ids) {
    int[] out = new int[ids.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ids.get(i);
    }
    return out;
  }

  /** Number of images. */
  public int imageCount() {
    return imageIds.length;
  }

  /** Number of categories. */
  public int categoryCount() {
    return categoryIds.length;
  }

  /** Number of annotations (of declared images and categories). */
  public int annotationCount() {
    return annIds.length;
  }

  /** Index of an image id in the sorted image ids, or -1 when it is not declared. */
  int imageIndex(long imageId) {
    if (imageLookup != null) {
      long k = imageId - minImageId;
      return k >= 0 && k < imageLookup.length ? imageLookup[(int) k] : -1;
    }
    int i = Arrays.binarySearch(imageIds, imageId);
    return i >= 0 ? i : -1;
  }

  /** Index of a category id in the sorted category ids, or -1 when it is not declared. */
  int categoryIndex(int categoryId) {
    if (categoryLookup != null) {
      long k = (long) categoryId - minCategoryId;
      return k >= 0 && k < categoryLookup.length ? categoryLookup[(int) k] : -1;
    }
    int i = Arrays.binarySearch(categoryIds, categoryId);
    return i >= 0 ? i : -1;
  }

  /** Whether {@code categoryId} is in the image's {@code not_exhaustive_category_ids}. */
  boolean isNotExhaustive(int image, int categoryId) {
    return Arrays.binarySearch(notExhaustiveCategoryIds[image], categoryId) >= 0;
  }

  private record ImageEntry(long id, int height, int width, int[] neg, int[] notExhaustive) {}

  private record CategoryEntry(int id, Frequency frequency) {}

  /** Collects images, categories and annotations; {@link #build()} validates and freezes them. */
  public static final class Builder {
    private final List<ImageEntry> images = new ArrayList<>();
    private final List<CategoryEntry> categories = new ArrayList<>();
    private int annotationCount;
    private long[] annIds = new long[16];
    private long[] annImageIds = new long[16];
    private int[] annCategoryIds = new int[16];
    private double[] annAreas = new double[16];
    private double[] annBoxes = new double[64];

    /** Null until an annotation with a segmentation is added. */
    private Segmentation[] annSegmentations;

    private Builder() {}

    /**
     * Adds a category.
     *
     * @param id dataset category id
     * @param frequency its LVIS frequency group (for APr/APc/APf)
     */
    public Builder addCategory(int id, Frequency frequency) {
      if (frequency == null) {
        throw new IllegalArgumentException("frequency of category " + id + " must not be null");
      }
      categories.add(new CategoryEntry(id, frequency));
      return this;
    }

    /**
     * Adds an image.
     *
     * @param id image id
     * @param height height in pixels (masks of its annotations are rasterised at this size)
     * @param width width in pixels
     * @param negCategoryIds {@code neg_category_ids}: categories verified absent
     * @param notExhaustiveCategoryIds {@code not_exhaustive_category_ids}: categories whose
     *     unmatched detections are ignored
     */
    public Builder addImage(
        long id, int height, int width, int[] negCategoryIds, int[] notExhaustiveCategoryIds) {
      if (height <= 0 || width <= 0) {
        throw new IllegalArgumentException(
            "image " + id + " size must be positive, got " + height + "x" + width);
      }
      int[] neg = negCategoryIds.clone();
      int[] ne = notExhaustiveCategoryIds.clone();
      Arrays.sort(neg);
      Arrays.sort(ne);
      images.add(new ImageEntry(id, height, width, neg, ne));
      return this;
    }

    /**
     * Adds an annotation.
     *
     * @param id annotation id
     * @param imageId its image
     * @param categoryId its category
     * @param area the {@code area} field (used for the area ranges, for boxes and masks alike);
     *     annotations with area 0 are left out of the evaluation as lvis-api does
     * @param bbox {@code [x, y, w, h]}
     * @param segmentation the mask, or {@code null} when only boxes are evaluated
     */
    public Builder addAnnotation(
        long id,
        long imageId,
        int categoryId,
        double area,
        double[] bbox,
        Segmentation segmentation) {
      if (bbox == null || bbox.length != 4) {
        throw new IllegalArgumentException(
            "bbox of annotation " + id + " must have 4 values [x, y, w, h]");
      }
      int n = annotationCount;
      if (n == annIds.length) {
        int cap = 2 * n;
        annIds = Arrays.copyOf(annIds, cap);
        annImageIds = Arrays.copyOf(annImageIds, cap);
        annCategoryIds = Arrays.copyOf(annCategoryIds, cap);
        annAreas = Arrays.copyOf(annAreas, cap);
        annBoxes = Arrays.copyOf(annBoxes, 4 * cap);
        if (annSegmentations != null) {
          annSegmentations = Arrays.copyOf(annSegmentations, cap);
        }
      }
      if (segmentation != null && annSegmentations == null) {
        annSegmentations = new Segmentation[annIds.length];
      }
      annIds[n] = id;
      annImageIds[n] = imageId;
      annCategoryIds[n] = categoryId;
      annAreas[n] = area;
      System.arraycopy(bbox, 0, annBoxes, 4 * n, 4);
      if (annSegmentations != null) {
        annSegmentations[n] = segmentation;
      }
      annotationCount++;
      return this;
    }

    /**
     * The ground truth.
     *
     * @throws IllegalArgumentException if image or category ids repeat
     */
    public EvalGroundTruth build() {
      return new EvalGroundTruth(this);
    }
  }
}
