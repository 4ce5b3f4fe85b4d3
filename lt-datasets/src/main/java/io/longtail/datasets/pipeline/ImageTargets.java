package io.longtail.datasets.pipeline;

import java.util.List;

/**
 * The ground truth of one transformed image, typed (no string maps).
 *
 * @param imageId the dataset image id
 * @param fileName the image file, relative to the images root
 * @param originalHeight height of the file
 * @param originalWidth width of the file
 * @param height height after resizing (before batch padding)
 * @param width width after resizing (before batch padding)
 * @param scaleX new width / original width
 * @param scaleY new height / original height
 * @param flipped whether the image was flipped horizontally
 * @param boxes {@code N x 4} boxes {@code (x1, y1, x2, y2)} in transformed pixels, row-major
 * @param labels {@code N} contiguous class labels {@code 0 .. K-1} (the dataset's {@link
 *     io.longtail.datasets.lvis.CategoryIndex})
 * @param crowd {@code N} COCO crowd flags (crowd regions are to be ignored, not learnt)
 * @param masks {@code N} masks in transformed pixels; an entry is {@code null} for an annotation
 *     without segmentation
 */
public record ImageTargets(
    long imageId,
    String fileName,
    int originalHeight,
    int originalWidth,
    int height,
    int width,
    double scaleX,
    double scaleY,
    boolean flipped,
    float[] boxes,
    int[] labels,
    boolean[] crowd,
    List<InstanceMask> masks) {

  /** Checks that the per-instance arrays agree and copies them. */
  public ImageTargets {
    int n = labels.length;
    if (boxes.length != 4 * n || crowd.length != n || masks.size() != n) {
      throw new IllegalArgumentException(
          "boxes, labels, crowd and masks must describe the same "
              + n
              + " instances, got "
              + boxes.length
              + " box values, "
              + crowd.length
              + " crowd flags, "
              + masks.size()
              + " masks");
    }
    boxes = boxes.clone();
    labels = labels.clone();
    crowd = crowd.clone();
    masks = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(masks));
  }

  /** Number of instances. */
  public int size() {
    return labels.length;
  }

  /** A copy of the boxes. */
  @Override
  public float[] boxes() {
    return boxes.clone();
  }

  /** A copy of the labels. */
  @Override
  public int[] labels() {
    return labels.clone();
  }

  /** A copy of the crowd flags. */
  @Override
  public boolean[] crowd() {
    return crowd.clone();
  }

  /** Box {@code i} as {@code (x1, y1, x2, y2)}. */
  public float[] box(int i) {
    return new float[] {boxes[4 * i], boxes[4 * i + 1], boxes[4 * i + 2], boxes[4 * i + 3]};
  }
}
