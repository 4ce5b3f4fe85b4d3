package io.longtail.datasets.synth;

import java.awt.geom.Area;

/**
 * A category's shape placed in an image: unit outline scaled by {@code scale * (sx, sy)}, rotated
 * by {@code rotation} radians and centred at {@code (cx, cy)} pixels.
 *
 * @param category what is drawn
 * @param cx centre x in pixels
 * @param cy centre y in pixels
 * @param scale radius in pixels
 * @param rotation rotation in radians (clockwise on screen)
 * @param sx aspect jitter along x
 * @param sy aspect jitter along y
 */
record PlacedShape(
    ShapeCategory category,
    double cx,
    double cy,
    double scale,
    double rotation,
    double sx,
    double sy) {

  /** The outer outline in pixels. */
  double[] outer() {
    return transform(category.shape().outline());
  }

  /** The hole in pixels, or {@code null}. */
  double[] hole() {
    double[] h = category.shape().hole(category.texture());
    return h == null ? null : transform(h);
  }

  /** The painted region: outer minus hole. */
  Area region() {
    return Polygons.region(outer(), hole());
  }

  /** Maps unit coordinates to pixels. */
  double[] transform(double[] unit) {
    double c = StrictMath.cos(rotation);
    double s = StrictMath.sin(rotation);
    double[] out = new double[unit.length];
    for (int i = 0; i < unit.length; i += 2) {
      double x = unit[i] * sx * scale;
      double y = unit[i + 1] * sy * scale;
      out[i] = cx + x * c - y * s;
      out[i + 1] = cy + x * s + y * c;
    }
    return out;
  }

  /**
   * The stripes of a striped shape: bands of half the period, at 45 degrees plus the rotation,
   * clipped to the region.
   */
  Area stripes() {
    double period = Math.max(6, scale * 0.7);
    double angle = rotation + Math.PI / 4;
    double ux = StrictMath.cos(angle);
    double uy = StrictMath.sin(angle);
    double vx = -uy;
    double vy = ux;
    double reach = scale * 1.6;
    Area bands = new Area();
    int n = (int) Math.ceil(reach / period);
    for (int k = -n; k <= n; k++) {
      double o0 = k * period;
      double o1 = o0 + period / 2;
      double[] band = {
        cx + vx * o0 - ux * reach,
        cy + vy * o0 - uy * reach,
        cx + vx * o0 + ux * reach,
        cy + vy * o0 + uy * reach,
        cx + vx * o1 + ux * reach,
        cy + vy * o1 + uy * reach,
        cx + vx * o1 - ux * reach,
        cy + vy * o1 - uy * reach
      };
      bands.add(new Area(Polygons.path(band)));
    }
    bands.intersect(region());
    return bands;
  }
}
