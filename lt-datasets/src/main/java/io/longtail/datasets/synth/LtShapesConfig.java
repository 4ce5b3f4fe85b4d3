package io.longtail.datasets.synth;

import io.longtail.datasets.sampling.LongTailProfile;

/**
 * What an LT-Shapes dataset contains. Equal configurations give byte-identical files.
 *
 * @param categories number of categories {@code K}
 * @param trainImages number of training images
 * @param valImages number of validation images
 * @param imbalance ratio of the train image counts of the most and least frequent categories
 * @param profile how the counts decay with rank
 * @param imageSize width and height of the images in pixels
 * @param seed master seed
 * @param format image file format
 * @param categoriesPerImage mean number of distinct categories per training image; sets the count
 *     of the most frequent category, {@code n_max = trainImages * categoriesPerImage / sum_i
 *     fraction(i)} (at most {@code trainImages})
 * @param maxCategoriesPerImage most distinct categories in one image
 * @param maxInstancesPerImage most instances in one image
 * @param minValImages every category appears in at least this many val images, so that rare
 *     categories can be measured (APr)
 * @param negativesPerImage {@code neg_category_ids} per image (sampled among absent categories)
 * @param notExhaustiveProbability probability that an image with a multi-instance category leaves
 *     some of those instances unannotated and lists it in {@code not_exhaustive_category_ids}
 */
public record LtShapesConfig(
    int categories,
    int trainImages,
    int valImages,
    double imbalance,
    LongTailProfile profile,
    int imageSize,
    long seed,
    ImageFormat format,
    double categoriesPerImage,
    int maxCategoriesPerImage,
    int maxInstancesPerImage,
    int minValImages,
    int negativesPerImage,
    double notExhaustiveProbability) {

  /** Validates every setting, naming the bad one. */
  public LtShapesConfig {
    if (categories < 1 || categories > CategoryCatalog.maxCategories()) {
      throw new IllegalArgumentException(
          "categories must be in [1, " + CategoryCatalog.maxCategories() + "], got " + categories);
    }
    if (trainImages < 1) {
      throw new IllegalArgumentException("trainImages must be >= 1, got " + trainImages);
    }
    if (valImages < 0) {
      throw new IllegalArgumentException("valImages must be >= 0, got " + valImages);
    }
    if (!(imbalance >= 1) || Double.isInfinite(imbalance)) {
      throw new IllegalArgumentException("imbalance must be finite and >= 1, got " + imbalance);
    }
    if (profile == null) {
      throw new IllegalArgumentException("profile must be set, got null");
    }
    if (imageSize < 64 || imageSize > 4096) {
      throw new IllegalArgumentException("imageSize must be in [64, 4096], got " + imageSize);
    }
    if (format == null) {
      throw new IllegalArgumentException("format must be set, got null");
    }
    if (!(categoriesPerImage >= 0.1) || categoriesPerImage > maxCategoriesPerImage) {
      throw new IllegalArgumentException(
          "categoriesPerImage must be in [0.1, maxCategoriesPerImage = "
              + maxCategoriesPerImage
              + "], got "
              + categoriesPerImage);
    }
    if (maxCategoriesPerImage < 1 || maxCategoriesPerImage > 8) {
      throw new IllegalArgumentException(
          "maxCategoriesPerImage must be in [1, 8], got " + maxCategoriesPerImage);
    }
    if (maxInstancesPerImage < maxCategoriesPerImage || maxInstancesPerImage > 64) {
      throw new IllegalArgumentException(
          "maxInstancesPerImage must be in [maxCategoriesPerImage = "
              + maxCategoriesPerImage
              + ", 64], got "
              + maxInstancesPerImage);
    }
    if (minValImages < 0) {
      throw new IllegalArgumentException("minValImages must be >= 0, got " + minValImages);
    }
    if (negativesPerImage < 0) {
      throw new IllegalArgumentException(
          "negativesPerImage must be >= 0, got " + negativesPerImage);
    }
    if (!(notExhaustiveProbability >= 0 && notExhaustiveProbability <= 1)) {
      throw new IllegalArgumentException(
          "notExhaustiveProbability must be in [0, 1], got " + notExhaustiveProbability);
    }
  }

  /** A builder with the defaults of {@code ./lt synth}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link LtShapesConfig}; every setting has a default. */
  public static final class Builder {
    private int categories = 60;
    private int trainImages = 2000;
    private int valImages = 500;
    private double imbalance = 100;
    private LongTailProfile profile = LongTailProfile.EXPONENTIAL;
    private int imageSize = 256;
    private long seed = 0;
    private ImageFormat format = ImageFormat.JPG;
    private double categoriesPerImage = 1.5;
    private int maxCategoriesPerImage = 4;
    private int maxInstancesPerImage = 8;
    private int minValImages = 8;
    private int negativesPerImage = 6;
    private double notExhaustiveProbability = 0.1;

    private Builder() {}

    /** Number of categories, default 60. */
    public Builder optCategories(int categories) {
      this.categories = categories;
      return this;
    }

    /** Training images, default 2000. */
    public Builder optTrainImages(int trainImages) {
      this.trainImages = trainImages;
      return this;
    }

    /** Validation images, default 500. */
    public Builder optValImages(int valImages) {
      this.valImages = valImages;
      return this;
    }

    /** Most/least frequent ratio, default 100. */
    public Builder optImbalance(double imbalance) {
      this.imbalance = imbalance;
      return this;
    }

    /** Count profile, default exponential. */
    public Builder optProfile(LongTailProfile profile) {
      this.profile = profile;
      return this;
    }

    /** Image side in pixels, default 256. */
    public Builder optImageSize(int imageSize) {
      this.imageSize = imageSize;
      return this;
    }

    /** Master seed, default 0. */
    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Image format, default JPG. */
    public Builder optFormat(ImageFormat format) {
      this.format = format;
      return this;
    }

    /** Mean distinct categories per training image, default 1.5. */
    public Builder optCategoriesPerImage(double categoriesPerImage) {
      this.categoriesPerImage = categoriesPerImage;
      return this;
    }

    /** Most distinct categories per image, default 4. */
    public Builder optMaxCategoriesPerImage(int maxCategoriesPerImage) {
      this.maxCategoriesPerImage = maxCategoriesPerImage;
      return this;
    }

    /** Most instances per image, default 8. */
    public Builder optMaxInstancesPerImage(int maxInstancesPerImage) {
      this.maxInstancesPerImage = maxInstancesPerImage;
      return this;
    }

    /** Least val images per category, default 8. */
    public Builder optMinValImages(int minValImages) {
      this.minValImages = minValImages;
      return this;
    }

    /** Negative categories per image, default 6. */
    public Builder optNegativesPerImage(int negativesPerImage) {
      this.negativesPerImage = negativesPerImage;
      return this;
    }

    /** Probability of a not-exhaustive category in an image, default 0.1. */
    public Builder optNotExhaustiveProbability(double notExhaustiveProbability) {
      this.notExhaustiveProbability = notExhaustiveProbability;
      return this;
    }

    /** The validated configuration. */
    public LtShapesConfig build() {
      return new LtShapesConfig(
          categories,
          trainImages,
          valImages,
          imbalance,
          profile,
          imageSize,
          seed,
          format,
          categoriesPerImage,
          maxCategoriesPerImage,
          maxInstancesPerImage,
          minValImages,
          negativesPerImage,
          notExhaustiveProbability);
    }
  }
}
