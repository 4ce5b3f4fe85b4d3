package io.longtail.datasets.mask;

/** Memory layout of a {@code height x width} bitmap held in a flat array. */
public enum PixelOrder {
  /**
   * Image layout, row after row: pixel {@code (x, y)} at index {@code y * width + x} (OpenCV, Java
   * images, numpy's default C order of an {@code (h, w)} array).
   */
  ROW_MAJOR,
  /**
   * Column after column: pixel {@code (x, y)} at index {@code x * height + y}; the order COCO runs
   * are counted in (numpy Fortran order, what pycocotools {@code encode} expects).
   */
  COLUMN_MAJOR
}
