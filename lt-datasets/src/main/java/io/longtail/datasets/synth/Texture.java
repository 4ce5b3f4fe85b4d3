package io.longtail.datasets.synth;

/** How a shape is painted; part of its category. */
public enum Texture {
  /** Filled with its colour. */
  FILLED("filled"),
  /**
   * A thick outline: the shape minus a copy scaled by 0.6 about its centre (a ring's hole grows
   * from 0.55 to 0.8 of its radius); the background shows through, and the mask has the hole.
   */
  OUTLINED("outlined"),
  /** Filled, with diagonal stripes of a darker shade of its colour (the mask is the full shape). */
  STRIPED("striped");

  private final String label;

  Texture(String label) {
    this.label = label;
  }

  /** The word used in category names. */
  public String label() {
    return label;
  }
}
