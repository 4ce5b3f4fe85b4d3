package io.longtail.datasets.sampling;

import io.longtail.datasets.lvis.CategoryIndex;
import io.longtail.datasets.lvis.ImageInfo;
import io.longtail.datasets.lvis.LvisDataset;
import java.util.Arrays;
import java.util.List;

/**
 * The set of classes present in every image of a dataset, in dataset order: what the image-level
 * samplers need to know about the annotations.
 *
 * <p>Classes are contiguous labels {@code 0 .. K-1} (the project's label convention); an image
 * without annotations has an empty set.
 */
public final class ImageCategories {

  private final int[][] classes;
  private final int numClasses;

  private ImageCategories(int[][] classes, int numClasses) {
    this.classes = classes;
    this.numClasses = numClasses;
  }

  /**
   * The class sets of explicit images.
   *
   * @param classesPerImage for image {@code i}, its classes in {@code [0, numClasses)}; duplicates
   *     are removed
   * @param numClasses {@code K >= 1}
   */
  public static ImageCategories of(List<int[]> classesPerImage, int numClasses) {
    if (numClasses < 1) {
      throw new IllegalArgumentException("numClasses must be >= 1, got " + numClasses);
    }
    int[][] sets = new int[classesPerImage.size()][];
    for (int i = 0; i < sets.length; i++) {
      int[] set = Arrays.stream(classesPerImage.get(i)).distinct().sorted().toArray();
      for (int c : set) {
        if (c < 0 || c >= numClasses) {
          throw new IllegalArgumentException(
              "classesPerImage[" + i + "] must hold classes in [0, " + numClasses + "), got " + c);
        }
      }
      sets[i] = set;
    }
    return new ImageCategories(sets, numClasses);
  }

  /**
   * The class sets of the images of an LVIS/COCO dataset, in the order of {@link
   * LvisDataset#images()} (the order of its {@link io.longtail.datasets.pipeline.DetectionDataset}
   * indices), labels from the dataset's {@link CategoryIndex}.
   */
  public static ImageCategories of(LvisDataset dataset) {
    CategoryIndex index = dataset.categoryIndex();
    if (index == null) {
      throw new IllegalArgumentException("dataset must declare categories, got none");
    }
    List<ImageInfo> images = dataset.images();
    int[][] sets = new int[images.size()][];
    for (int i = 0; i < sets.length; i++) {
      int[] ids = dataset.categoryIdsOfImage(images.get(i).id());
      sets[i] = Arrays.stream(ids).map(index::toLabel).distinct().sorted().toArray();
    }
    return new ImageCategories(sets, index.size());
  }

  /** Number of images. */
  public int size() {
    return classes.length;
  }

  /** Number of classes {@code K}. */
  public int numClasses() {
    return numClasses;
  }

  /** The sorted distinct classes of image {@code image} (a copy). */
  public int[] classesOf(int image) {
    return classes[image].clone();
  }

  /** Number of images that contain each class. */
  public int[] imageCounts() {
    int[] counts = new int[numClasses];
    for (int[] set : classes) {
      for (int c : set) {
        counts[c]++;
      }
    }
    return counts;
  }

  int[] classesUnsafe(int image) {
    return classes[image];
  }
}
