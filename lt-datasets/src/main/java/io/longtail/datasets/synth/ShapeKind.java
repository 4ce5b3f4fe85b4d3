package io.longtail.datasets.synth;

/**
 * The outlines of LT-Shapes, in unit coordinates (about {@code [-1, 1]^2}, y down, centred at the
 * origin). Every outline is star-shaped about the origin, so a copy scaled about the origin lies
 * inside it (used for outlined textures). Rotations are kept small ({@code +-15} degrees) so a
 * square never turns into a diamond.
 */
public enum ShapeKind {
  /** A circle. */
  CIRCLE("circle"),
  /** An ellipse, height 0.55 of its width. */
  ELLIPSE("ellipse"),
  /** An annulus, inner radius 0.55 of the outer one. */
  RING("ring"),
  /** An equilateral triangle pointing up. */
  TRIANGLE("triangle"),
  /** An axis-aligned square. */
  SQUARE("square"),
  /** A rhombus standing on a corner, narrower than a rotated square. */
  DIAMOND("diamond"),
  /** An isosceles trapezoid, the short side up. */
  TRAPEZOID("trapezoid"),
  /** A regular pentagon pointing up. */
  PENTAGON("pentagon"),
  /** A regular hexagon pointing up. */
  HEXAGON("hexagon"),
  /** A regular octagon. */
  OCTAGON("octagon"),
  /** A five-pointed star, inner radius 0.45. */
  STAR("five_point_star"),
  /** A six-pointed star, inner radius 0.55. */
  STAR6("six_point_star"),
  /** A plus sign, arms 0.38 wide. */
  CROSS("cross");

  /** Radius of the hole of a filled ring. */
  static final double RING_HOLE = 0.55;

  /** Radius of the hole of an outlined ring. */
  static final double OUTLINED_RING_HOLE = 0.8;

  /** Scale of the hole of the other outlined shapes. */
  static final double OUTLINED_HOLE = 0.6;

  private final String label;

  ShapeKind(String label) {
    this.label = label;
  }

  /** The word used in category names. */
  public String label() {
    return label;
  }

  /** The outer outline {@code [x0, y0, x1, y1, ...]} in unit coordinates. */
  public double[] outline() {
    return switch (this) {
      case CIRCLE, RING -> regular(48, 1.0, 1.0, 0);
      case ELLIPSE -> regular(48, 1.0, 0.55, 0);
      case TRIANGLE -> regular(3, 1.0, 1.0, -90);
      case SQUARE -> new double[] {-0.8, -0.8, 0.8, -0.8, 0.8, 0.8, -0.8, 0.8};
      case DIAMOND -> new double[] {0, -1, 0.72, 0, 0, 1, -0.72, 0};
      case TRAPEZOID -> new double[] {-0.5, -0.7, 0.5, -0.7, 1.0, 0.7, -1.0, 0.7};
      case PENTAGON -> regular(5, 1.0, 1.0, -90);
      case HEXAGON -> regular(6, 1.0, 1.0, -90);
      case OCTAGON -> regular(8, 1.0, 1.0, 22.5);
      case STAR -> star(5, 0.45);
      case STAR6 -> star(6, 0.55);
      case CROSS -> cross(0.19);
    };
  }

  /**
   * The hole of the shape painted with {@code texture} in unit coordinates, or {@code null} when it
   * has none.
   */
  public double[] hole(Texture texture) {
    if (this == RING) {
      double r = texture == Texture.OUTLINED ? OUTLINED_RING_HOLE : RING_HOLE;
      return regular(48, r, r, 0);
    }
    if (texture != Texture.OUTLINED) {
      return null;
    }
    double[] hole = outline();
    for (int i = 0; i < hole.length; i++) {
      hole[i] *= OUTLINED_HOLE;
    }
    return hole;
  }

  /** Area of the painted region (outline minus hole) in unit coordinates. */
  public double unitArea(Texture texture) {
    double[] hole = hole(texture);
    double a = Math.abs(Polygons.signedArea(outline()));
    return hole == null ? a : a - Math.abs(Polygons.signedArea(hole));
  }

  private static double[] regular(int n, double rx, double ry, double startDegrees) {
    double[] xy = new double[2 * n];
    for (int i = 0; i < n; i++) {
      double a = StrictMath.toRadians(startDegrees + 360.0 * i / n);
      xy[2 * i] = rx * StrictMath.cos(a);
      xy[2 * i + 1] = ry * StrictMath.sin(a);
    }
    return xy;
  }

  private static double[] star(int points, double inner) {
    double[] xy = new double[4 * points];
    for (int i = 0; i < 2 * points; i++) {
      double r = i % 2 == 0 ? 1.0 : inner;
      double a = StrictMath.toRadians(-90 + 180.0 * i / points);
      xy[2 * i] = r * StrictMath.cos(a);
      xy[2 * i + 1] = r * StrictMath.sin(a);
    }
    return xy;
  }

  private static double[] cross(double h) {
    return new double[] {
      -h, -1, h, -1, h, -h, 1, -h, 1, h, h, h, h, 1, -h, 1, -h, h, -1, h, -1, -h, -h, -h
    };
  }
}
