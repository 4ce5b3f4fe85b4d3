package io.longtail.datasets.synth;

import io.longtail.datasets.lvis.Frequency;

/**
 * The counts of one generated category.
 *
 * @param category the category
 * @param frequency its LVIS group from the train image count
 * @param trainImages train images with at least one annotated instance ({@code image_count})
 * @param trainInstances annotated train instances ({@code instance_count})
 * @param valImages val images with at least one annotated instance
 * @param valInstances annotated val instances
 */
public record CategoryStats(
    ShapeCategory category,
    Frequency frequency,
    int trainImages,
    int trainInstances,
    int valImages,
    int valInstances) {

  /** LVIS's groups: rare 1-10 training images (and 0), common 11-100, frequent more than 100. */
  public static Frequency frequencyOf(int trainImageCount) {
    if (trainImageCount <= 10) {
      return Frequency.RARE;
    }
    return trainImageCount <= 100 ? Frequency.COMMON : Frequency.FREQUENT;
  }
}
