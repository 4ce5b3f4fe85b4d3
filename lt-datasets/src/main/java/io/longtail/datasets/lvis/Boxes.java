package io.longtail.datasets.lvis;

/** Checks shared by the records that carry a COCO box {@code [x, y, w, h]}. */
final class Boxes {
  private Boxes() {}

  /** Validates a COCO box and returns a copy of it. */
  static double[] checkedCopy(String name, double[] bbox) {
    if (bbox.length != 4) {
      throw new IllegalArgumentException(
          name + " must have 4 values [x, y, w, h], got " + bbox.length);
    }
    for (int i = 0; i < 4; i++) {
      if (!Double.isFinite(bbox[i])) {
        throw new IllegalArgumentException(name + "[" + i + "] must be finite, got " + bbox[i]);
      }
    }
    if (bbox[2] < 0 || bbox[3] < 0) {
      throw new IllegalArgumentException(
          name + " width and height must be >= 0, got [" + bbox[2] + ", " + bbox[3] + "]");
    }
    return bbox.clone();
  }
}
