package io.longtail.datasets.synth;

/**
 * One LT-Shapes category: a shape, a texture and a colour.
 *
 * @param id the LVIS category id (1-based, in alphabetical order of names, as in LVIS)
 * @param name e.g. {@code deep_teal_striped_five_point_star}
 * @param shape the outline
 * @param texture how it is painted
 * @param colourName e.g. {@code teal} or {@code deep_teal}
 * @param colour its RGB colour
 * @param rank frequency rank in the training split, 0 = most frequent
 * @param family index of the (shape, texture, hue) family; the two members of a family differ only
 *     by a close colour
 */
public record ShapeCategory(
    int id,
    String name,
    ShapeKind shape,
    Texture texture,
    String colourName,
    Rgb colour,
    int rank,
    int family) {

  /** A one-sentence definition for the LVIS {@code def} field. */
  public String definition() {
    return "a "
        + texture.label()
        + " "
        + colourName.replace('_', ' ')
        + " "
        + shape.label().replace('_', ' ');
  }
}
