package io.longtail.segmentation.api;

import java.util.List;

/**
 * The instances found in one image, best first (the output type of the DJL translator for {@code
 * Criteria.setTypes(Image.class, SegmentedImage.class)}).
 *
 * @param height the image's height
 * @param width the image's width
 * @param instances the instances, by decreasing score
 */
public record SegmentedImage(int height, int width, List<SegmentedInstance> instances) {

  /** Copies the list. */
  public SegmentedImage {
    instances = List.copyOf(instances);
  }
}
