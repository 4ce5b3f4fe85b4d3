package io.longtail.segmentation.model;

import io.longtail.detection.structures.ImageDetections;
import io.longtail.segmentation.masks.MaskPaste;
import io.longtail.segmentation.masks.PastedMask;
import java.util.Arrays;

/**
 * Detections of one image with the mask probabilities of each, before pasting.
 *
 * @param detections boxes (original-image pixels), scores and classes, best first
 * @param maskSize side {@code M} of each mask (28)
 * @param masks {@code N * M * M} probabilities, detection after detection, each row-major over its
 *     box
 */
public record MaskedDetections(ImageDetections detections, int maskSize, float[] masks) {

  /** Checks the sizes and copies the masks. */
  public MaskedDetections {
    if (maskSize < 1) {
      throw new IllegalArgumentException("maskSize must be >= 1, got " + maskSize);
    }
    if (masks.length != detections.size() * maskSize * maskSize) {
      throw new IllegalArgumentException(
          "masks must hold "
              + detections.size()
              + " x "
              + maskSize
              + " x "
              + maskSize
              + " values, got "
              + masks.length);
    }
    masks = masks.clone();
  }

  @Override
  public float[] masks() {
    return masks.clone();
  }

  /** Number of detections. */
  public int size() {
    return detections.size();
  }

  /** The {@code M * M} probabilities of detection {@code i}, row-major. */
  public float[] mask(int i) {
    int mm = maskSize * maskSize;
    return Arrays.copyOfRange(masks, i * mm, (i + 1) * mm);
  }

  /**
   * Detection {@code i}'s mask pasted into the original image ({@link MaskPaste}).
   *
   * @param i the detection
   * @param imageHeight the original image's height
   * @param imageWidth the original image's width
   * @return the probabilities over the box's pixels
   */
  public PastedMask paste(int i, int imageHeight, int imageWidth) {
    float[] b = detections.boxes();
    return MaskPaste.paste(
        mask(i),
        maskSize,
        new float[] {b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3]},
        imageHeight,
        imageWidth);
  }
}
