package io.longtail.datasets.lvis;

import io.longtail.datasets.mask.Masks;
import io.longtail.datasets.mask.Rle;
import java.util.Arrays;

/**
 * A mask given as one or more polygons (the parts are merged, as pycocotools does). Coordinates are
 * kept as {@code double}: pycocotools rasterises from the double values of the JSON file, and
 * rounding them to {@code float} changes some pixels.
 *
 * <p>The arrays are copied in and out, so the value is immutable; {@link #partCount()}, {@link
 * #coordinateCount(int)} and {@link #coordinate(int, int)} read without copying.
 *
 * @param parts the polygons, each {@code [x0, y0, x1, y1, ...]} with an even number of at least 6
 *     coordinates (3 points); at least one part
 */
public record PolygonSegmentation(double[][] parts) implements Segmentation {

  /** Validates and deep-copies the parts. */
  public PolygonSegmentation {
    if (parts.length == 0) {
      throw new IllegalArgumentException("parts must not be empty");
    }
    double[][] copy = new double[parts.length][];
    for (int i = 0; i < parts.length; i++) {
      double[] part = parts[i];
      if (part.length % 2 != 0) {
        throw new IllegalArgumentException(
            "parts[" + i + "] must have an even number of coordinates, got " + part.length);
      }
      if (part.length < 6) {
        throw new IllegalArgumentException(
            "parts[" + i + "] must have at least 3 points (6 coordinates), got " + part.length);
      }
      copy[i] = part.clone();
    }
    parts = copy;
  }

  /** The polygons rasterised into a {@code height x width} mask (parts merged). */
  @Override
  public Rle toRle(int height, int width) {
    return Masks.fromPolygons(parts, height, width);
  }

  /** A deep copy of the polygons, each {@code [x0, y0, x1, y1, ...]}. */
  @Override
  public double[][] parts() {
    double[][] copy = new double[parts.length][];
    for (int i = 0; i < parts.length; i++) {
      copy[i] = parts[i].clone();
    }
    return copy;
  }

  /** Number of polygons. */
  public int partCount() {
    return parts.length;
  }

  /** Number of coordinates (twice the number of points) of polygon {@code part}. */
  public int coordinateCount(int part) {
    return parts[part].length;
  }

  /**
   * Coordinate {@code index} ({@code x} at even, {@code y} at odd indices) of polygon {@code part}.
   */
  public double coordinate(int part, int index) {
    return parts[part][index];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PolygonSegmentation other && Arrays.deepEquals(parts, other.parts);
  }

  @Override
  public int hashCode() {
    return Arrays.deepHashCode(parts);
  }

  @Override
  public String toString() {
    return "PolygonSegmentation" + Arrays.deepToString(parts);
  }
}
