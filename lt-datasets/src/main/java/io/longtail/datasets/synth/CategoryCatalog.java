package io.longtail.datasets.synth;

import io.longtail.datasets.sampling.Seeds;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Chooses the {@code K} categories of an LT-Shapes dataset and their frequency ranks.
 *
 * <p>A <em>family</em> is a (shape, texture, hue) triple; each family has two members that differ
 * only by a close colour: the hue itself ({@code teal}, HSV value 0.92) and a deeper shade of it
 * ({@code deep_teal}: hue +8 degrees, value 0.66). The families are shuffled from the seed; the
 * first {@code ceil(K/2)} families give the more frequent half of the ranks (their base colour) and
 * the less frequent half takes the deep member of the same families in a shuffled order. So every
 * tail category has a head category of the same shape and texture and a close colour, which a
 * classifier biased towards the head confuses it with; similar shapes of the same colour
 * (circle/ellipse/octagon, square/trapezoid/diamond, the two stars...) occur as well.
 *
 * <p>Category ids follow the alphabetical order of names, as in LVIS.
 */
public final class CategoryCatalog {

  /** The 16 hue names, 22.5 degrees apart starting at red. */
  static final String[] HUES = {
    "red", "orange", "amber", "yellow", "lime", "green", "emerald", "spring",
    "cyan", "azure", "blue", "indigo", "violet", "purple", "magenta", "rose"
  };

  /** Saturation and value of the base member of a family. */
  static final double BASE_SATURATION = 0.85;

  static final double BASE_VALUE = 0.92;

  /** The deep member: hue shift, saturation and value. */
  static final double DEEP_HUE_SHIFT = 8;

  static final double DEEP_SATURATION = 0.9;
  static final double DEEP_VALUE = 0.66;

  private CategoryCatalog() {}

  /** The largest supported number of categories: two per family. */
  public static int maxCategories() {
    return 2 * ShapeKind.values().length * Texture.values().length * HUES.length;
  }

  /**
   * The categories of a dataset, sorted by id.
   *
   * @param k number of categories, {@code 1 .. maxCategories()}
   * @param seed master seed of the dataset
   */
  public static List<ShapeCategory> create(int k, long seed) {
    if (k < 1 || k > maxCategories()) {
      throw new IllegalArgumentException(
          "categories must be in [1, " + maxCategories() + "], got " + k);
    }
    ShapeKind[] shapes = ShapeKind.values();
    Texture[] textures = Texture.values();
    int families = shapes.length * textures.length * HUES.length;
    int[] order = new int[families];
    for (int i = 0; i < families; i++) {
      order[i] = i;
    }
    SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, Streams.CATALOG));
    for (int i = families - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int head = (k + 1) / 2;
    int tail = k - head;
    int[] tailFamilies = new int[tail];
    for (int i = 0; i < tail; i++) {
      tailFamilies[i] = i;
    }
    for (int i = tail - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = tailFamilies[i];
      tailFamilies[i] = tailFamilies[j];
      tailFamilies[j] = t;
    }
    List<ShapeCategory> unnamed = new ArrayList<>(k);
    for (int rank = 0; rank < k; rank++) {
      boolean deep = rank >= head;
      int family = order[deep ? tailFamilies[rank - head] : rank];
      int hue = family % HUES.length;
      Texture texture = textures[(family / HUES.length) % textures.length];
      ShapeKind shape = shapes[family / (HUES.length * textures.length)];
      double hueDegrees = 22.5 * hue;
      Rgb colour =
          deep
              ? Rgb.hsv(hueDegrees + DEEP_HUE_SHIFT, DEEP_SATURATION, DEEP_VALUE)
              : Rgb.hsv(hueDegrees, BASE_SATURATION, BASE_VALUE);
      String colourName = deep ? "deep_" + HUES[hue] : HUES[hue];
      String name = colourName + "_" + texture.label() + "_" + shape.label();
      unnamed.add(new ShapeCategory(0, name, shape, texture, colourName, colour, rank, family));
    }
    List<ShapeCategory> sorted = new ArrayList<>(unnamed);
    sorted.sort(Comparator.comparing(ShapeCategory::name));
    List<ShapeCategory> out = new ArrayList<>(k);
    for (int i = 0; i < sorted.size(); i++) {
      ShapeCategory c = sorted.get(i);
      out.add(
          new ShapeCategory(
              i + 1,
              c.name(),
              c.shape(),
              c.texture(),
              c.colourName(),
              c.colour(),
              c.rank(),
              c.family()));
    }
    return List.copyOf(out);
  }
}
