package io.longtail.datasets.mask;

import java.util.List;

/**
 * Intersection over union of run-length masks with the COCO crowd rule, equal to pycocotools {@code
 * iou} on RLEs ({@code rleIou} in {@code maskApi.c}).
 *
 * <p>Works on the runs only, never on bitmaps: a pair whose pycocotools boxes do not overlap is 0
 * without looking at the runs (as in pycocotools), and for the others only the runs inside the
 * columns shared by both boxes are visited, found by binary search on the cumulative run ends.
 */
public final class MaskIou {

  private MaskIou() {}

  /**
   * IoU of every detection mask with every ground-truth mask.
   *
   * <p>{@code iou = |dt ∩ gt| / |dt ∪ gt|}; for a ground truth marked crowd, {@code |dt ∩ gt| /
   * |dt|} (the part of the detection inside the crowd region). Masks whose boxes ({@link
   * Rle#bbox()}) do not overlap, and masks that do not intersect, give 0.
   *
   * <p>Unlike pycocotools, which returns -1 for a pair of different image sizes (and only when
   * their boxes overlap), masks of different sizes are rejected.
   *
   * @param dt detection masks
   * @param gt ground-truth masks, all of the detections' size
   * @param gtCrowd iscrowd flag of each ground truth, length {@code gt.size()}
   * @return a {@code dt.size() x gt.size()} matrix, {@code iou[d][g]}
   * @throws IllegalArgumentException if the sizes of two masks differ or {@code gtCrowd} has the
   *     wrong length
   */
  public static double[][] iou(List<Rle> dt, List<Rle> gt, boolean[] gtCrowd) {
    if (dt == null || gt == null) {
      throw new IllegalArgumentException("dt and gt must not be null");
    }
    BoxIou.checkCrowd(gtCrowd, gt.size());
    Rle[] d = dt.toArray(new Rle[0]);
    Rle[] g = gt.toArray(new Rle[0]);
    Rle first = d.length > 0 ? d[0] : g.length > 0 ? g[0] : null;
    checkSizes("dt", d, first);
    checkSizes("gt", g, first);
    double[][] o = new double[d.length][g.length];
    for (int j = 0; j < g.length; j++) {
      for (int i = 0; i < d.length; i++) {
        o[i][j] = iou(d[i], g[j], gtCrowd[j]);
      }
    }
    return o;
  }

  /**
   * Number of pixels in both masks, from the runs.
   *
   * @throws IllegalArgumentException if the masks have different sizes
   */
  public static int intersectionArea(Rle a, Rle b) {
    if (a.height() != b.height() || a.width() != b.width()) {
      throw new IllegalArgumentException(
          "masks must have the same size, got "
              + a.height()
              + "x"
              + a.width()
              + " and "
              + b.height()
              + "x"
              + b.width());
    }
    return intersect(a, b, 0, (long) a.height() * a.width());
  }

  private static double iou(Rle dt, Rle gt, boolean crowd) {
    // pycocotools first computes the box IoU and looks at the runs only where it is positive.
    if (BoxIou.boxIou(
            dt.boxX(), dt.boxY(), dt.boxW(), dt.boxH(), gt.boxX(), gt.boxY(), gt.boxW(), gt.boxH(),
            crowd)
        <= 0) {
      return 0;
    }
    // The boxes contain every foreground pixel, so only the shared columns can intersect.
    long h = dt.height();
    long firstColumn = (long) Math.max(dt.boxX(), gt.boxX());
    long endColumn = (long) Math.min(dt.boxX() + dt.boxW(), gt.boxX() + gt.boxW());
    int inter = intersect(dt, gt, firstColumn * h, endColumn * h);
    if (inter == 0) {
      return 0;
    }
    long union = crowd ? dt.area() : (long) dt.area() + gt.area() - inter;
    return (double) inter / (double) union;
  }

  /**
   * Foreground pixels shared by both masks, counting only runs that end after {@code lo} and start
   * before {@code hi} (the caller guarantees that no shared pixel lies outside {@code [lo, hi)}).
   */
  private static int intersect(Rle a, Rle b, long lo, long hi) {
    int[] ea = a.ends();
    int[] eb = b.ends();
    // Foreground run k of a mask covers [ends[2k], ends[2k + 1]); visit runs [first, last).
    int ia = firstRunEndingAfter(ea, lo);
    int ib = firstRunEndingAfter(eb, lo);
    int na = firstRunStartingAtOrAfter(ea, hi);
    int nb = firstRunStartingAtOrAfter(eb, hi);
    if (ia >= na || ib >= nb) {
      return 0;
    }
    int inter = 0;
    int sa = ea[ia];
    int fa = ea[ia + 1];
    int sb = eb[ib];
    int fb = eb[ib + 1];
    while (true) {
      int overlap = Math.min(fa, fb) - Math.max(sa, sb);
      if (overlap > 0) {
        inter += overlap;
      }
      // Drop the run that ends first; the other may still meet the next one.
      if (fa < fb) {
        ia += 2;
        if (ia >= na) {
          return inter;
        }
        sa = ea[ia];
        fa = ea[ia + 1];
      } else {
        ib += 2;
        if (ib >= nb) {
          return inter;
        }
        sb = eb[ib];
        fb = eb[ib + 1];
      }
    }
  }

  /**
   * Index {@code 2k} of the first foreground run whose end {@code ends[2k + 1]} is after {@code
   * pos}, or the first index past the last foreground run.
   */
  private static int firstRunEndingAfter(int[] ends, long pos) {
    int runs = ends.length / 2; // foreground runs: k = 0 .. runs - 1, end at ends[2k + 1]
    int lo = 0;
    int hi = runs;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ends[2 * mid + 1] <= pos) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return 2 * lo;
  }

  /**
   * Index {@code 2k} of the first foreground run that starts at or after {@code pos}, or the first
   * index past the last foreground run.
   */
  private static int firstRunStartingAtOrAfter(int[] ends, long pos) {
    int runs = ends.length / 2;
    int lo = 0;
    int hi = runs;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ends[2 * mid] < pos) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return 2 * lo;
  }

  private static void checkSizes(String name, Rle[] masks, Rle ref) {
    for (int i = 0; i < masks.length; i++) {
      Rle m = masks[i];
      if (m == null) {
        throw new IllegalArgumentException(name + "[" + i + "] must not be null");
      }
      if (m.height() != ref.height() || m.width() != ref.width()) {
        throw new IllegalArgumentException(
            "all masks must have the same size, got "
                + name
                + "["
                + i
                + "] of "
                + m.height()
                + "x"
                + m.width()
                + " and "
                + ref.height()
                + "x"
                + ref.width());
      }
    }
  }
}
