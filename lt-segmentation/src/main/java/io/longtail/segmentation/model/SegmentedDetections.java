package io.longtail.segmentation.model;

import io.longtail.datasets.mask.Rle;
import io.longtail.detection.structures.ImageDetections;
import java.util.List;

/**
 * Detections of one image with their pasted binary masks.
 *
 * @param imageHeight the original image's height
 * @param imageWidth the original image's width
 * @param detections boxes (original-image pixels), scores and classes {@code 0..K-1}, best first
 * @param masks one {@code imageHeight x imageWidth} mask per detection, in the same order
 */
public record SegmentedDetections(
    int imageHeight, int imageWidth, ImageDetections detections, List<Rle> masks) {

  /** Checks that there is one mask per detection and copies the list. */
  public SegmentedDetections {
    masks = List.copyOf(masks);
    if (masks.size() != detections.size()) {
      throw new IllegalArgumentException(
          "need one mask per detection, got "
              + masks.size()
              + " masks for "
              + detections.size()
              + " detections");
    }
  }

  /** The image's id. */
  public long imageId() {
    return detections.imageId();
  }

  /** Number of detections. */
  public int size() {
    return detections.size();
  }
}
