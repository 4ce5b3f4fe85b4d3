package io.longtail.datasets.mask;

import java.util.Arrays;

/**
 * An immutable binary mask of {@code height x width} pixels in the COCO run-length encoding.
 *
 * <p>The pixels are read in column-major order (down the first column, then the second, ...: pixel
 * {@code (x, y)} is at position {@code x * height + y}, the Fortran order pycocotools uses). {@link
 * #counts()} are the lengths of alternating runs, the first one a run of zeros (possibly of length
 * 0 when the mask starts with a foreground pixel); the counts always sum to {@code height * width}.
 * This is the {@code counts} list of a COCO "uncompressed RLE" (iscrowd annotations); {@link
 * #toCompressedString()} gives the string of a compressed RLE (segmentation results).
 *
 * <p>Equality is by value (size and counts). The area and the pycocotools bounding box are computed
 * once at construction, so {@link MaskIou} can reject disjoint pairs without touching the runs.
 */
public final class Rle {

  private final int height;
  private final int width;

  /** Cumulative run ends: {@code ends[j] = counts[0] + ... + counts[j]}. */
  private final int[] ends;

  private final int area;

  /** The pycocotools box (rleToBbox), kept as doubles because that is what bbIou works on. */
  private final double boxX;

  private final double boxY;
  private final double boxW;
  private final double boxH;

  private Rle(int height, int width, int[] ends) {
    this.height = height;
    this.width = width;
    this.ends = ends;
    int a = 0;
    for (int j = 1; j < ends.length; j += 2) {
      a += ends[j] - ends[j - 1];
    }
    this.area = a;
    double[] box = computeBox(height, width, ends);
    this.boxX = box[0];
    this.boxY = box[1];
    this.boxW = box[2];
    this.boxH = box[3];
  }

  /**
   * Makes a mask from run lengths (a COCO uncompressed RLE, column-major, first run = zeros).
   *
   * @param counts run lengths, each {@code >= 0}, summing to {@code height * width}; copied
   * @param height image height in pixels, {@code >= 0}
   * @param width image width in pixels, {@code >= 0}
   * @throws IllegalArgumentException on a negative size or count, or counts that do not sum to
   *     {@code height * width}
   */
  public static Rle fromCounts(int[] counts, int height, int width) {
    if (counts == null) {
      throw new IllegalArgumentException("counts must not be null");
    }
    checkSize(height, width);
    int[] ends = new int[counts.length];
    long sum = 0;
    for (int j = 0; j < counts.length; j++) {
      if (counts[j] < 0) {
        throw new IllegalArgumentException(
            "counts must be >= 0, got counts[" + j + "] = " + counts[j]);
      }
      sum += counts[j];
      if (sum > (long) height * width) {
        break;
      }
      ends[j] = (int) sum;
    }
    if (sum != (long) height * width) {
      throw new IllegalArgumentException(
          "counts must sum to height * width = "
              + height
              + " * "
              + width
              + " = "
              + (long) height * width
              + ", got a sum "
              + (sum > (long) height * width ? "larger than that" : "of " + sum));
    }
    return new Rle(height, width, ends);
  }

  /**
   * Decodes the counts string of a COCO compressed RLE (pycocotools {@code rleFrString}): each
   * count is written 5 bits per character, least significant group first, as characters {@code '0'
   * + v} where bit {@code 0x20} of {@code v} says "more groups follow" and bit {@code 0x10} of the
   * last group is the sign; from the fourth count on, the value stored is the difference to the
   * count two places before.
   *
   * @param counts the compressed counts string, e.g. {@code "cd4j0g:7O00..."}
   * @param height image height in pixels
   * @param width image width in pixels
   * @throws IllegalArgumentException if the string has a character outside {@code '0'..'o'}, ends
   *     in the middle of a value, decodes to a negative count, or its counts do not sum to {@code
   *     height * width}
   */
  public static Rle fromString(String counts, int height, int width) {
    if (counts == null) {
      throw new IllegalArgumentException("counts string must not be null");
    }
    checkSize(height, width);
    int[] values = new int[counts.length()];
    int m = 0;
    int p = 0;
    int n = counts.length();
    while (p < n) {
      long x = 0;
      int k = 0;
      boolean more = true;
      int start = p;
      while (more) {
        if (p >= n) {
          throw new IllegalArgumentException(
              "malformed RLE string: it ends inside a value (last character '"
                  + counts.charAt(n - 1)
                  + "' has the continuation bit), string \""
                  + abbreviate(counts)
                  + "\"");
        }
        char ch = counts.charAt(p);
        int c = ch - 48;
        if (c < 0 || c > 63) {
          throw new IllegalArgumentException(
              "malformed RLE string: character '"
                  + ch
                  + "' at index "
                  + p
                  + " is outside '0'..'o', string \""
                  + abbreviate(counts)
                  + "\"");
        }
        if (k >= 12) {
          throw new IllegalArgumentException(
              "malformed RLE string: value starting at index "
                  + start
                  + " is longer than 12 characters, string \""
                  + abbreviate(counts)
                  + "\"");
        }
        x |= (long) (c & 0x1f) << (5 * k);
        more = (c & 0x20) != 0;
        p++;
        k++;
        if (!more && (c & 0x10) != 0) {
          x |= -1L << (5 * k);
        }
      }
      if (m > 2) {
        x += values[m - 2];
      }
      if (x < 0 || x > (long) height * width) {
        throw new IllegalArgumentException(
            "malformed RLE string: count "
                + m
                + " (value ending at index "
                + (p - 1)
                + ") decodes to "
                + x
                + ", outside [0, height * width = "
                + (long) height * width
                + "], string \""
                + abbreviate(counts)
                + "\"");
      }
      values[m++] = (int) x;
    }
    try {
      return fromCounts(Arrays.copyOf(values, m), height, width);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "malformed RLE string \"" + abbreviate(counts) + "\": " + e.getMessage(), e);
    }
  }

  /**
   * Encodes the counts as the string of a COCO compressed RLE (pycocotools {@code rleToString}),
   * the inverse of {@link #fromString(String, int, int)}.
   */
  public String toCompressedString() {
    StringBuilder s = new StringBuilder(ends.length * 2);
    int[] c = counts();
    for (int i = 0; i < c.length; i++) {
      long x = c[i];
      if (i > 2) {
        x -= c[i - 2];
      }
      boolean more = true;
      while (more) {
        int ch = (int) (x & 0x1f);
        x >>= 5;
        more = (ch & 0x10) != 0 ? x != -1 : x != 0;
        if (more) {
          ch |= 0x20;
        }
        s.append((char) (ch + 48));
      }
    }
    return s.toString();
  }

  /** Image height in pixels. */
  public int height() {
    return height;
  }

  /** Image width in pixels. */
  public int width() {
    return width;
  }

  /** The run lengths (a fresh copy), first run zeros, column-major; they sum to h * w. */
  public int[] counts() {
    int[] c = new int[ends.length];
    for (int j = 0; j < ends.length; j++) {
      c[j] = j == 0 ? ends[0] : ends[j] - ends[j - 1];
    }
    return c;
  }

  /** Number of runs, i.e. {@code counts().length}. */
  public int runCount() {
    return ends.length;
  }

  /** Number of foreground pixels (pycocotools {@code area}). */
  public int area() {
    return area;
  }

  /**
   * The bounding box {@code [x, y, w, h]} exactly as pycocotools {@code toBbox} (rleToBbox): the
   * tightest pixel box, except that a foreground run crossing from one column into a later one
   * makes the box span the full image height. An empty mask gives {@code [0, 0, 0, 0]}.
   */
  public double[] bbox() {
    return new double[] {boxX, boxY, boxW, boxH};
  }

  /** Cumulative run ends, shared (not copied): package-private for the IoU and merge loops. */
  int[] ends() {
    return ends;
  }

  double boxX() {
    return boxX;
  }

  double boxY() {
    return boxY;
  }

  double boxW() {
    return boxW;
  }

  double boxH() {
    return boxH;
  }

  /** Wraps cumulative ends that are already valid (non-decreasing, last = h * w). */
  static Rle ofEnds(int height, int width, int[] ends) {
    return new Rle(height, width, ends);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Rle r
        && r.height == height
        && r.width == width
        && Arrays.equals(r.ends, ends);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * height + width) + Arrays.hashCode(ends);
  }

  @Override
  public String toString() {
    return "Rle[height="
        + height
        + ", width="
        + width
        + ", area="
        + area
        + ", counts=\""
        + abbreviate(toCompressedString())
        + "\"]";
  }

  static void checkSize(int height, int width) {
    if (height < 0) {
      throw new IllegalArgumentException("height must be >= 0, got " + height);
    }
    if (width < 0) {
      throw new IllegalArgumentException("width must be >= 0, got " + width);
    }
    if ((long) height * width > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "height * width must fit in an int, got " + height + " * " + width);
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }

  /**
   * pycocotools rleToBbox with its unsigned 32-bit arithmetic (emulated in longs), including the
   * odd trailing zero run being ignored and the full-height rule for runs that cross columns.
   */
  private static double[] computeBox(int height, int width, int[] ends) {
    int m = (ends.length / 2) * 2;
    if (m == 0 || height == 0 || width == 0) {
      return new double[4];
    }
    final long mask = 0xFFFFFFFFL;
    long h = height;
    long xs = width;
    long ys = height;
    long xe = 0;
    long ye = 0;
    long xp = 0;
    for (int j = 0; j < m; j++) {
      long t = (ends[j] - (long) (j % 2)) & mask;
      long y = t % h;
      long x = (t - y) / h;
      if (j % 2 == 0) {
        xp = x;
      } else if (xp < x) {
        ys = 0;
        ye = h - 1;
      }
      xs = Math.min(xs, x);
      xe = Math.max(xe, x);
      ys = Math.min(ys, y);
      ye = Math.max(ye, y);
    }
    return new double[] {xs, ys, (xe - xs + 1) & mask, (ye - ys + 1) & mask};
  }
}
