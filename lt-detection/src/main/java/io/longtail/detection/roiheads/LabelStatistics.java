package io.longtail.detection.roiheads;

import io.longtail.datasets.lvis.Annotation;
import io.longtail.datasets.lvis.CategoryIndex;
import io.longtail.datasets.lvis.LvisDataset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Class statistics of the training annotations that some box-head losses need: EQL's image
 * frequency, the class-balanced and logit-adjusted instance counts, the distribution-balanced class
 * frequencies. Classes are the contiguous labels {@code 0 .. K-1}.
 *
 * @param numImages training images, {@code >= 1}
 * @param imageCounts per class, the images with at least one (non-crowd) instance of it, each in
 *     {@code [0, numImages]}
 * @param instanceCounts per class, its non-crowd instances, each {@code >= 0}
 */
public record LabelStatistics(
    int numImages, List<Integer> imageCounts, List<Integer> instanceCounts) {

  /** Validates the counts and copies the lists. */
  public LabelStatistics {
    if (numImages < 1) {
      throw new IllegalArgumentException("numImages must be >= 1, got " + numImages);
    }
    imageCounts = List.copyOf(imageCounts);
    instanceCounts = List.copyOf(instanceCounts);
    if (imageCounts.isEmpty() || imageCounts.size() != instanceCounts.size()) {
      throw new IllegalArgumentException(
          "imageCounts and instanceCounts must have one entry per class, got "
              + imageCounts.size()
              + " and "
              + instanceCounts.size());
    }
    for (int c = 0; c < imageCounts.size(); c++) {
      int images = imageCounts.get(c);
      if (images < 0 || images > numImages) {
        throw new IllegalArgumentException(
            "imageCounts[" + c + "] must be in [0, numImages=" + numImages + "], got " + images);
      }
      if (instanceCounts.get(c) < 0) {
        throw new IllegalArgumentException(
            "instanceCounts[" + c + "] must be >= 0, got " + instanceCounts.get(c));
      }
    }
  }

  /**
   * Counts the classes of a training set from its annotations (crowd instances left out), so that
   * the numbers fit the images actually trained on; an LVIS file's {@code image_count} and {@code
   * instance_count} fields give the same numbers for the full training set.
   *
   * @param annotations the training annotations
   * @return the statistics, classes in the dataset's {@link CategoryIndex} order
   */
  public static LabelStatistics of(LvisDataset annotations) {
    CategoryIndex index = annotations.categoryIndex();
    int k = index.size();
    int[] instances = new int[k];
    Map<Long, Set<Integer>> classesOfImage = new HashMap<>();
    for (Annotation a : annotations.annotations()) {
      if (a.iscrowd()) {
        continue;
      }
      int label = index.toLabel(a.categoryId());
      instances[label]++;
      classesOfImage.computeIfAbsent(a.imageId(), id -> new HashSet<>()).add(label);
    }
    int[] images = new int[k];
    for (Set<Integer> classes : classesOfImage.values()) {
      for (int c : classes) {
        images[c]++;
      }
    }
    List<Integer> imageCounts = new ArrayList<>(k);
    List<Integer> instanceCounts = new ArrayList<>(k);
    for (int c = 0; c < k; c++) {
      imageCounts.add(images[c]);
      instanceCounts.add(instances[c]);
    }
    return new LabelStatistics(annotations.images().size(), imageCounts, instanceCounts);
  }

  /** Number of foreground classes {@code K}. */
  public int numClasses() {
    return imageCounts.size();
  }

  /** Fraction of training images containing each class, {@code K} values in {@code [0, 1]}. */
  public List<Double> imageFrequency() {
    List<Double> out = new ArrayList<>(numClasses());
    for (int n : imageCounts) {
      out.add((double) n / numImages);
    }
    return out;
  }
}
