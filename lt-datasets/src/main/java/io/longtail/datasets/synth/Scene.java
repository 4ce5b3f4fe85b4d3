package io.longtail.datasets.synth;

import java.util.List;

/**
 * Everything needed to draw one image and write its annotations.
 *
 * @param imageId LVIS image id
 * @param width width in pixels
 * @param height height in pixels
 * @param background the backdrop
 * @param clutter lines and blobs drawn under the instances, in order
 * @param instances the shapes, in drawing order (later ones occlude earlier ones)
 * @param negCategoryIds categories verified absent, ascending
 * @param notExhaustiveCategoryIds categories with unannotated instances, ascending
 */
record Scene(
    long imageId,
    int width,
    int height,
    Background background,
    List<Clutter> clutter,
    List<Instance> instances,
    List<Integer> negCategoryIds,
    List<Integer> notExhaustiveCategoryIds) {

  /**
   * The backdrop: a linear gradient between two dull colours plus uniform noise.
   *
   * @param from colour at one end
   * @param to colour at the other end
   * @param angle direction of the gradient in radians
   * @param noise noise amplitude, grey levels
   * @param noiseSeed seed of the noise
   */
  record Background(Rgb from, Rgb to, double angle, int noise, long noiseSeed) {}

  /** Something drawn that is no category. */
  sealed interface Clutter permits Line, Blob {}

  /**
   * An open polyline.
   *
   * @param xy points in pixels
   * @param colour its colour
   * @param thickness line width in pixels
   */
  record Line(double[] xy, Rgb colour, int thickness) implements Clutter {}

  /**
   * A filled irregular polygon.
   *
   * @param xy points in pixels
   * @param colour its colour
   */
  record Blob(double[] xy, Rgb colour) implements Clutter {}

  /**
   * One drawn shape and its annotation.
   *
   * @param shape the placed shape
   * @param parts its visible region as LVIS polygon parts (keyholes for holes)
   * @param area area of the visible region in pixels
   * @param bbox box {@code [x, y, w, h]} of the visible region
   * @param annotated whether it is written as an annotation (not-exhaustive images leave some out)
   */
  record Instance(
      PlacedShape shape, double[][] parts, double area, double[] bbox, boolean annotated) {}
}
