package io.longtail.datasets.pipeline;

import io.longtail.datasets.mask.Masks;
import io.longtail.datasets.mask.Rle;

/**
 * The mask of one ground-truth instance, in the coordinates of the transformed image: polygons
 * (LVIS, COCO non-crowd) or a run-length mask (COCO crowd regions).
 */
public sealed interface InstanceMask permits InstanceMask.Polygons, InstanceMask.RunLength {

  /** Rasterises the mask (pycocotools rules) at {@code height x width}. */
  Rle rasterize(int height, int width);

  /**
   * Polygon parts, merged by union, each {@code [x0, y0, x1, y1, ...]} in pixels.
   *
   * @param parts the polygons
   */
  record Polygons(double[][] parts) implements InstanceMask {
    /** Deep-copies the parts. */
    public Polygons {
      double[][] copy = new double[parts.length][];
      for (int i = 0; i < parts.length; i++) {
        copy[i] = parts[i].clone();
      }
      parts = copy;
    }

    /** A deep copy of the parts. */
    @Override
    public double[][] parts() {
      double[][] copy = new double[parts.length][];
      for (int i = 0; i < parts.length; i++) {
        copy[i] = parts[i].clone();
      }
      return copy;
    }

    @Override
    public Rle rasterize(int height, int width) {
      return Masks.fromPolygons(parts, height, width);
    }
  }

  /**
   * A run-length mask already at the image size.
   *
   * @param rle the mask
   */
  record RunLength(Rle rle) implements InstanceMask {
    @Override
    public Rle rasterize(int height, int width) {
      if (rle.height() != height || rle.width() != width) {
        throw new IllegalArgumentException(
            "mask is " + rle.height() + "x" + rle.width() + ", asked for " + height + "x" + width);
      }
      return rle;
    }
  }
}
