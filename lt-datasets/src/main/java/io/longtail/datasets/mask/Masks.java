package io.longtail.datasets.mask;

import java.util.Arrays;
import java.util.List;

/**
 * Making and combining {@link Rle} masks: polygon and box rasterisation, union and intersection,
 * and conversion from and to flat bitmaps. Every operation reproduces pycocotools ({@code
 * common/maskApi.c}: {@code rleFrPoly}, {@code rleFrBbox}, {@code rleMerge}, {@code rleEncode},
 * {@code rleDecode}) exactly, so that masks and their areas equal those of the COCO/LVIS APIs.
 */
public final class Masks {

  /** pycocotools draws polygon edges on a grid 5 times finer than the pixels. */
  private static final int SCALE = 5;

  private Masks() {}

  /**
   * Rasterises an object given as one or more polygons, the union of its parts, as the LVIS/COCO
   * APIs' {@code annToRLE} does for polygon segmentations ({@code merge(frPyObjects(segm, h, w))}).
   *
   * <p>Input pycocotools would silently misread is rejected instead: an odd number of coordinates
   * (it drops the last one), a part of fewer than 3 points, and a first part of exactly 2 points
   * (which {@code frPyObjects} takes for a box {@code [x, y, w, h]}).
   *
   * @param parts polygons, each {@code [x0, y0, x1, y1, ...]} in pixel coordinates (parse the JSON
   *     numbers as double: float would change some masks)
   * @param height image height, {@code >= 1}
   * @param width image width, {@code >= 1}
   * @throws IllegalArgumentException if there is no part or a part is invalid (see {@link
   *     #fromPolygon})
   */
  public static Rle fromPolygons(double[][] parts, int height, int width) {
    if (parts == null || parts.length == 0) {
      throw new IllegalArgumentException("parts must hold at least one polygon, got none");
    }
    Rle[] rles = new Rle[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        rles[i] = fromPolygon(parts[i], height, width);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("parts[" + i + "]: " + e.getMessage(), e);
      }
    }
    return union(Arrays.asList(rles));
  }

  /**
   * Rasterises one closed polygon exactly as pycocotools {@code frPoly}: vertices are scaled by 5
   * and rounded, the edges walked point by point on that fine grid, and a pixel column boundary
   * crossed by an edge toggles the pixels below the crossing in that column.
   *
   * @param xy vertices {@code [x0, y0, x1, y1, ...]}, at least 3 points; the polygon is closed
   *     implicitly (a repeated last vertex is harmless)
   * @param height image height, {@code >= 1}
   * @param width image width, {@code >= 1}
   * @throws IllegalArgumentException on an odd number of coordinates, fewer than 3 points, or a
   *     coordinate that is not finite or beyond {@code ±1e8}
   */
  public static Rle fromPolygon(double[] xy, int height, int width) {
    checkPolygon(xy);
    checkImageSize(height, width);
    int k = xy.length / 2;
    int[] x = new int[k + 1];
    int[] y = new int[k + 1];
    for (int j = 0; j < k; j++) {
      // (int) truncates toward zero, as the C cast does, also for negative coordinates.
      x[j] = (int) (SCALE * xy[2 * j] + .5);
      y[j] = (int) (SCALE * xy[2 * j + 1] + .5);
    }
    x[k] = x[0];
    y[k] = y[0];

    EdgeWalk walk = new EdgeWalk(height, width);
    for (int j = 0; j < k; j++) {
      int xs = x[j];
      int xe = x[j + 1];
      int ys = y[j];
      int ye = y[j + 1];
      int dx = Math.abs(xe - xs);
      int dy = Math.abs(ys - ye);
      if (dx == 0 && dy == 0) {
        // A repeated vertex: one point, between neighbours in the same fine column, so it never
        // starts a column crossing (pycocotools computes 0/0 here and never uses the result).
        walk.point(xs, ys);
        continue;
      }
      // Walk always from the lower end so that rounding is the same in both directions.
      boolean flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
      if (flip) {
        int t = xs;
        xs = xe;
        xe = t;
        t = ys;
        ys = ye;
        ye = t;
      }
      if (dx >= dy) {
        double s = (double) (ye - ys) / dx;
        for (int d = 0; d <= dx; d++) {
          int t = flip ? dx - d : d;
          walk.point(t + xs, (int) (ys + s * t + .5));
        }
      } else {
        double s = (double) (xe - xs) / dy;
        for (int d = 0; d <= dy; d++) {
          int t = flip ? dy - d : d;
          walk.point((int) (xs + s * t + .5), t + ys);
        }
      }
    }
    return walk.toRle();
  }

  /**
   * Rasterises a box {@code [x, y, w, h]} as pycocotools {@code frBbox}: the polygon of its four
   * corners through {@link #fromPolygon}.
   *
   * @throws IllegalArgumentException if the box does not have 4 finite values or has a negative
   *     width or height
   */
  public static Rle fromBbox(double[] box, int height, int width) {
    if (box == null || box.length != 4) {
      throw new IllegalArgumentException(
          "box must be [x, y, w, h], got " + (box == null ? "null" : Arrays.toString(box)));
    }
    if (box[2] < 0 || box[3] < 0) {
      throw new IllegalArgumentException(
          "box width and height must be >= 0, got " + Arrays.toString(box));
    }
    double xs = box[0];
    double xe = xs + box[2];
    double ys = box[1];
    double ye = ys + box[3];
    return fromPolygon(new double[] {xs, ys, xs, ye, xe, ye, xe, ys}, height, width);
  }

  /**
   * Union of masks of one size, pycocotools {@code merge(rles)} ({@code rleMerge}, intersect 0).
   *
   * @throws IllegalArgumentException if the list is empty or the sizes differ
   */
  public static Rle union(List<Rle> masks) {
    return merge(masks, false);
  }

  /**
   * Intersection of masks of one size, pycocotools {@code merge(rles, intersect=1)}.
   *
   * @throws IllegalArgumentException if the list is empty or the sizes differ
   */
  public static Rle intersection(List<Rle> masks) {
    return merge(masks, true);
  }

  /**
   * Run-length encodes a bitmap (pycocotools {@code encode}); any non-zero byte is foreground, so
   * both 0/1 and 0/255 masks work.
   *
   * @param pixels {@code height * width} values laid out in {@code order}
   * @throws IllegalArgumentException if the array length is not {@code height * width}
   */
  public static Rle encode(byte[] pixels, int height, int width, PixelOrder order) {
    checkBitmap(pixels == null ? -1 : pixels.length, height, width, order);
    return encode(height, width, order, i -> pixels[i] != 0);
  }

  /**
   * Run-length encodes a boolean bitmap ({@code true} = foreground).
   *
   * @param pixels {@code height * width} values laid out in {@code order}
   * @throws IllegalArgumentException if the array length is not {@code height * width}
   */
  public static Rle encode(boolean[] pixels, int height, int width, PixelOrder order) {
    checkBitmap(pixels == null ? -1 : pixels.length, height, width, order);
    return encode(height, width, order, i -> pixels[i]);
  }

  /**
   * Decodes a mask to a 0/1 bitmap (pycocotools {@code decode}, which returns column-major data).
   *
   * @return {@code height * width} bytes laid out in {@code order}
   */
  public static byte[] decode(Rle rle, PixelOrder order) {
    byte[] out = new byte[rle.height() * rle.width()];
    forEachForeground(rle, order, i -> out[i] = 1);
    return out;
  }

  /**
   * Decodes a mask to a boolean bitmap ({@code true} = foreground).
   *
   * @return {@code height * width} values laid out in {@code order}
   */
  public static boolean[] decodeBoolean(Rle rle, PixelOrder order) {
    boolean[] out = new boolean[rle.height() * rle.width()];
    forEachForeground(rle, order, i -> out[i] = true);
    return out;
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * The second half of frPoly: keeps, for every step of the edge walk that moves to another fine
   * column, the pixel column boundary it crosses (if it is a pixel centre column inside the image)
   * and the first pixel row below the crossing; those positions are the run boundaries.
   */
  private static final class EdgeWalk {
    private final int height;
    private final int width;
    private int[] positions = new int[64];
    private int size;
    private boolean started;
    private int prevU;
    private int prevV;

    EdgeWalk(int height, int width) {
      this.height = height;
      this.width = width;
    }

    void point(int u, int v) {
      if (started && u != prevU) {
        double xd = u < prevU ? u : u - 1;
        xd = (xd + .5) / SCALE - .5;
        if (Math.floor(xd) == xd && xd >= 0 && xd <= width - 1) {
          double yd = v < prevV ? v : prevV;
          yd = (yd + .5) / SCALE - .5;
          if (yd < 0) {
            yd = 0;
          } else if (yd > height) {
            yd = height;
          }
          yd = Math.ceil(yd);
          add((int) xd * height + (int) yd);
        }
      }
      started = true;
      prevU = u;
      prevV = v;
    }

    private void add(int position) {
      if (size == positions.length) {
        positions = Arrays.copyOf(positions, size * 2);
      }
      positions[size++] = position;
    }

    Rle toRle() {
      add(height * width);
      int[] a = Arrays.copyOf(positions, size);
      Arrays.sort(a);
      // Gaps between consecutive boundaries are the run lengths; a zero gap is a boundary crossed
      // twice at one spot, which cancels: its neighbouring runs join.
      int k = a.length;
      int p = 0;
      for (int j = 0; j < k; j++) {
        int t = a[j];
        a[j] -= p;
        p = t;
      }
      int[] b = new int[k];
      int m = 0;
      int j = 0;
      b[m++] = a[j++];
      while (j < k) {
        if (a[j] > 0) {
          b[m++] = a[j++];
        } else {
          j++;
          if (j < k) {
            b[m - 1] += a[j++];
          }
        }
      }
      return Rle.fromCounts(Arrays.copyOf(b, m), height, width);
    }
  }

  private static Rle merge(List<Rle> masks, boolean intersect) {
    if (masks == null || masks.isEmpty()) {
      throw new IllegalArgumentException("masks must hold at least one mask, got none");
    }
    Rle first = masks.get(0);
    for (int i = 0; i < masks.size(); i++) {
      Rle r = masks.get(i);
      if (r == null) {
        throw new IllegalArgumentException("masks[" + i + "] must not be null");
      }
      if (r.height() != first.height() || r.width() != first.width()) {
        throw new IllegalArgumentException(
            "masks must have one size, got masks[0] of "
                + first.height()
                + "x"
                + first.width()
                + " and masks["
                + i
                + "] of "
                + r.height()
                + "x"
                + r.width());
      }
    }
    if (masks.size() == 1 || first.runCount() == 0) {
      return first;
    }
    int[] cnts = first.counts();
    for (int i = 1; i < masks.size(); i++) {
      cnts = mergeCounts(cnts, masks.get(i).counts(), intersect);
    }
    return Rle.fromCounts(cnts, first.height(), first.width());
  }

  /** rleMerge for two count lists, step for step (its output is not always canonical). */
  private static int[] mergeCounts(int[] a, int[] b, boolean intersect) {
    int[] out = new int[a.length + b.length + 1];
    int ca = a[0];
    int cb = b[0];
    boolean v = false;
    boolean va = false;
    boolean vb = false;
    int m = 0;
    int ia = 1;
    int ib = 1;
    int cc = 0;
    long ct = 1;
    while (ct > 0) {
      int c = Math.min(ca, cb);
      cc += c;
      ct = 0;
      ca -= c;
      if (ca == 0 && ia < a.length) {
        ca = a[ia++];
        va = !va;
      }
      ct += ca;
      cb -= c;
      if (cb == 0 && ib < b.length) {
        cb = b[ib++];
        vb = !vb;
      }
      ct += cb;
      boolean vp = v;
      v = intersect ? va && vb : va || vb;
      if (v != vp || ct == 0) {
        out[m++] = cc;
        cc = 0;
      }
    }
    return Arrays.copyOf(out, m);
  }

  private interface PixelTest {
    boolean isSet(int index);
  }

  private interface PixelSink {
    void set(int index);
  }

  private static Rle encode(int height, int width, PixelOrder order, PixelTest pixels) {
    int n = height * width;
    int[] counts = new int[n + 1];
    int m = 0;
    boolean previous = false;
    int run = 0;
    for (int x = 0; x < width; x++) {
      for (int y = 0; y < height; y++) {
        boolean p = pixels.isSet(order == PixelOrder.COLUMN_MAJOR ? x * height + y : y * width + x);
        if (p != previous) {
          counts[m++] = run;
          run = 0;
          previous = p;
        }
        run++;
      }
    }
    counts[m++] = run;
    return Rle.fromCounts(Arrays.copyOf(counts, m), height, width);
  }

  private static void forEachForeground(Rle rle, PixelOrder order, PixelSink sink) {
    if (order == null) {
      throw new IllegalArgumentException("order must not be null");
    }
    int h = rle.height();
    int w = rle.width();
    int[] ends = rle.ends();
    for (int j = 1; j < ends.length; j += 2) {
      int start = ends[j - 1];
      int end = ends[j];
      if (order == PixelOrder.COLUMN_MAJOR) {
        for (int i = start; i < end; i++) {
          sink.set(i);
        }
      } else {
        int x = start / h;
        int y = start % h;
        for (int i = start; i < end; i++) {
          sink.set(y * w + x);
          if (++y == h) {
            y = 0;
            x++;
          }
        }
      }
    }
  }

  private static void checkBitmap(int length, int height, int width, PixelOrder order) {
    Rle.checkSize(height, width);
    if (order == null) {
      throw new IllegalArgumentException("order must not be null");
    }
    if (length != height * width) {
      throw new IllegalArgumentException(
          "pixels must hold height * width = "
              + height * width
              + " values, got "
              + (length < 0 ? "null" : String.valueOf(length)));
    }
  }

  private static void checkImageSize(int height, int width) {
    Rle.checkSize(height, width);
    if (height < 1 || width < 1) {
      throw new IllegalArgumentException(
          "height and width must be >= 1 to rasterise a polygon, got " + height + "x" + width);
    }
  }

  private static void checkPolygon(double[] xy) {
    if (xy == null) {
      throw new IllegalArgumentException("polygon must not be null");
    }
    if (xy.length % 2 != 0) {
      throw new IllegalArgumentException(
          "polygon must have an even number of coordinates [x0, y0, x1, y1, ...], got "
              + xy.length
              + ": "
              + abbreviate(xy));
    }
    if (xy.length < 6) {
      throw new IllegalArgumentException(
          "polygon must have at least 3 points (6 coordinates), got "
              + xy.length / 2
              + ": "
              + abbreviate(xy));
    }
    for (int i = 0; i < xy.length; i++) {
      if (!(Math.abs(xy[i]) <= 1e8)) {
        throw new IllegalArgumentException(
            "polygon coordinates must be finite and within ±1e8, got xy[" + i + "] = " + xy[i]);
      }
    }
  }

  private static String abbreviate(double[] xy) {
    if (xy.length <= 12) {
      return Arrays.toString(xy);
    }
    String s = Arrays.toString(Arrays.copyOf(xy, 12));
    return s.substring(0, s.length() - 1) + ", ...]";
  }
}
