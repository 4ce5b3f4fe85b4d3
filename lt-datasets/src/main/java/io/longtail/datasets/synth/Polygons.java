package io.longtail.datasets.synth;

import java.awt.geom.Area;
import java.awt.geom.Path2D;
import java.awt.geom.PathIterator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Polygon geometry of LT-Shapes: regions as {@link Area}s (exact constructive geometry on
 * polygons), and their conversion to LVIS polygon parts.
 *
 * <p>LVIS/COCO merge the parts of a segmentation by union, so a hole cannot be its own part. A
 * region with holes (a ring, an outlined shape, an instance with an occluder inside it) is written
 * as one polygon per outer boundary with each hole joined to it by a zero-width cut (a "keyhole"):
 * the cut is traversed once in each direction, so it adds no area, and scanline rasterisers that
 * toggle at every crossing (pycocotools, OpenCV) fill exactly the region.
 */
final class Polygons {

  private Polygons() {}

  /** The closed path through {@code xy}. */
  static Path2D.Double path(double[] xy) {
    Path2D.Double p = new Path2D.Double(Path2D.WIND_EVEN_ODD, xy.length / 2);
    p.moveTo(xy[0], xy[1]);
    for (int i = 2; i < xy.length; i += 2) {
      p.lineTo(xy[i], xy[i + 1]);
    }
    p.closePath();
    return p;
  }

  /** The region of polygon {@code outer} minus polygon {@code hole} (which may be null). */
  static Area region(double[] outer, double[] hole) {
    Area a = new Area(path(outer));
    if (hole != null) {
      a.subtract(new Area(path(hole)));
    }
    return a;
  }

  /** The shoelace signed area; negative for clockwise on screen (y down) in Area's output. */
  static double signedArea(double[] xy) {
    int n = xy.length / 2;
    double s = 0;
    for (int i = 0; i < n; i++) {
      int j = (i + 1) % n;
      s += xy[2 * i] * xy[2 * j + 1] - xy[2 * j] * xy[2 * i + 1];
    }
    return s / 2;
  }

  /** The area of a region. */
  static double area(Area area) {
    double total = 0;
    for (double[] ring : rings(area)) {
      total -= signedArea(ring);
    }
    return Math.abs(total);
  }

  /** The closed boundaries of a region, as Area emits them (outer negative, holes positive). */
  static List<double[]> rings(Area area) {
    List<double[]> rings = new ArrayList<>();
    double[] c = new double[6];
    double[] cur = new double[64];
    int n = 0;
    for (PathIterator it = area.getPathIterator(null); !it.isDone(); it.next()) {
      int type = it.currentSegment(c);
      switch (type) {
        case PathIterator.SEG_MOVETO -> {
          n = 0;
          cur = append(cur, n, c[0], c[1]);
          n += 2;
        }
        case PathIterator.SEG_LINETO -> {
          if (n >= 2 && cur[n - 2] == c[0] && cur[n - 1] == c[1]) {
            break;
          }
          cur = append(cur, n, c[0], c[1]);
          n += 2;
        }
        case PathIterator.SEG_CLOSE -> {
          if (n >= 4 && cur[n - 2] == cur[0] && cur[n - 1] == cur[1]) {
            n -= 2;
          }
          if (n >= 6) {
            rings.add(Arrays.copyOf(cur, n));
          }
          n = 0;
        }
        default ->
            throw new IllegalStateException("regions are polygons, got path segment type " + type);
      }
    }
    return rings;
  }

  private static double[] append(double[] a, int n, double x, double y) {
    if (n + 2 > a.length) {
      a = Arrays.copyOf(a, a.length * 2);
    }
    a[n] = x;
    a[n + 1] = y;
    return a;
  }

  /**
   * The LVIS polygon parts of a region: one keyhole polygon per outer boundary, coordinates rounded
   * to {@code 1/100} pixel.
   */
  static double[][] toParts(Area area) {
    List<double[]> outers = new ArrayList<>();
    List<double[]> holes = new ArrayList<>();
    for (double[] ring : rings(area)) {
      double[] r = round(ring);
      double s = signedArea(r);
      if (s < 0) {
        outers.add(r);
      } else if (s > 0) {
        holes.add(r);
      }
    }
    List<List<double[]>> holesOf = new ArrayList<>();
    List<Path2D.Double> outerPaths = new ArrayList<>();
    for (double[] o : outers) {
      holesOf.add(new ArrayList<>());
      outerPaths.add(path(o));
    }
    for (double[] h : holes) {
      int best = -1;
      double bestArea = Double.POSITIVE_INFINITY;
      for (int i = 0; i < outers.size(); i++) {
        double a = -signedArea(outers.get(i));
        if (a < bestArea && containsRing(outerPaths.get(i), h)) {
          best = i;
          bestArea = a;
        }
      }
      if (best >= 0) {
        holesOf.get(best).add(h);
      }
    }
    double[][] parts = new double[outers.size()][];
    for (int i = 0; i < outers.size(); i++) {
      double[] poly = outers.get(i);
      for (double[] h : holesOf.get(i)) {
        poly = bridge(poly, h);
      }
      parts[i] = poly;
    }
    return parts;
  }

  private static boolean containsRing(Path2D.Double outer, double[] ring) {
    // The midpoints of a hole's edges lie strictly inside its outer boundary even where a
    // vertex touches it.
    int n = ring.length / 2;
    int inside = 0;
    for (int i = 0; i < n; i++) {
      int j = (i + 1) % n;
      if (outer.contains(
          (ring[2 * i] + ring[2 * j]) / 2, (ring[2 * i + 1] + ring[2 * j + 1]) / 2)) {
        inside++;
      }
    }
    return inside * 2 > n;
  }

  /** Joins {@code hole} to {@code outer} by a zero-width cut between their closest vertices. */
  static double[] bridge(double[] outer, double[] hole) {
    int no = outer.length / 2;
    int nh = hole.length / 2;
    int bo = 0;
    int bh = 0;
    double best = Double.POSITIVE_INFINITY;
    for (int i = 0; i < no; i++) {
      for (int j = 0; j < nh; j++) {
        double dx = outer[2 * i] - hole[2 * j];
        double dy = outer[2 * i + 1] - hole[2 * j + 1];
        double d = dx * dx + dy * dy;
        if (d < best) {
          best = d;
          bo = i;
          bh = j;
        }
      }
    }
    double[] out = new double[2 * (no + nh + 2)];
    int k = 0;
    for (int i = 0; i <= bo; i++) {
      out[k++] = outer[2 * i];
      out[k++] = outer[2 * i + 1];
    }
    for (int j = 0; j <= nh; j++) {
      int v = (bh + j) % nh;
      out[k++] = hole[2 * v];
      out[k++] = hole[2 * v + 1];
    }
    for (int i = bo; i < no; i++) {
      out[k++] = outer[2 * i];
      out[k++] = outer[2 * i + 1];
    }
    return out;
  }

  /** Total area of keyhole parts (each part's signed area taken absolutely). */
  static double partsArea(double[][] parts) {
    double a = 0;
    for (double[] p : parts) {
      a += Math.abs(signedArea(p));
    }
    return a;
  }

  /** The box {@code [x, y, w, h]} of polygon parts. */
  static double[] bbox(double[][] parts) {
    double x0 = Double.POSITIVE_INFINITY;
    double y0 = Double.POSITIVE_INFINITY;
    double x1 = Double.NEGATIVE_INFINITY;
    double y1 = Double.NEGATIVE_INFINITY;
    for (double[] p : parts) {
      for (int i = 0; i < p.length; i += 2) {
        x0 = Math.min(x0, p[i]);
        x1 = Math.max(x1, p[i]);
        y0 = Math.min(y0, p[i + 1]);
        y1 = Math.max(y1, p[i + 1]);
      }
    }
    return new double[] {x0, y0, round(x1 - x0), round(y1 - y0)};
  }

  static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private static double[] round(double[] xy) {
    double[] r = new double[xy.length];
    for (int i = 0; i < xy.length; i++) {
      r[i] = round(xy[i]);
    }
    return r;
  }
}
