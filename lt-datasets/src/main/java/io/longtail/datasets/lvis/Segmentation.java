package io.longtail.datasets.lvis;

import io.longtail.datasets.mask.Rle;

/**
 * The mask of an annotation as stored in a COCO/LVIS file: polygons, compressed RLE (the COCO
 * string encoding of the counts) or uncompressed RLE (the integer counts of COCO crowd
 * annotations). Rasterisation and RLE arithmetic live in {@code io.longtail.datasets.mask}.
 */
public sealed interface Segmentation
    permits PolygonSegmentation, RleSegmentation, UncompressedRleSegmentation {

  /**
   * The mask as run-length encoding over an image: polygons are rasterised as pycocotools does, RLE
   * is decoded.
   *
   * @param height the image height (polygons only; an RLE mask must already have it)
   * @param width the image width (likewise)
   * @return the mask, {@code height x width}
   * @throws IllegalArgumentException if an RLE mask's size differs from {@code height x width}
   */
  Rle toRle(int height, int width);

  /** Throws unless an RLE mask of {@code h x w} fits an image of {@code height x width}. */
  static void checkSize(int h, int w, int height, int width) {
    if (h != height || w != width) {
      throw new IllegalArgumentException(
          "mask size " + h + "x" + w + " differs from the image size " + height + "x" + width);
    }
  }
}
