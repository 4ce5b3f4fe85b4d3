package io.longtail.detection.structures;

/**
 * Detections of one image, best first.
 *
 * @param imageId the dataset image id
 * @param boxes {@code 4N} boxes {@code (x1, y1, x2, y2)} in the original image's pixels
 * @param scores {@code N} scores
 * @param classes {@code N} contiguous foreground class indices {@code 0..K-1}
 */
public record ImageDetections(long imageId, float[] boxes, float[] scores, int[] classes) {

  /** Checks that the arrays agree and copies them. */
  public ImageDetections {
    if (boxes.length != 4 * scores.length || classes.length != scores.length) {
      throw new IllegalArgumentException(
          "boxes, scores and classes must describe the same detections, got "
              + boxes.length
              + " box values, "
              + scores.length
              + " scores, "
              + classes.length
              + " classes");
    }
    boxes = boxes.clone();
    scores = scores.clone();
    classes = classes.clone();
  }

  /** Number of detections. */
  public int size() {
    return scores.length;
  }

  @Override
  public float[] boxes() {
    return boxes.clone();
  }

  @Override
  public float[] scores() {
    return scores.clone();
  }

  @Override
  public int[] classes() {
    return classes.clone();
  }
}
