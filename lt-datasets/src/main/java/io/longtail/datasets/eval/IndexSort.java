package io.longtail.datasets.eval;

/**
 * Stable merge sort of {@code int} indices by what they index: a group key ascending, then a score
 * descending, without boxing. Stability matters: lvis-api sorts with numpy's stable {@code
 * mergesort}, and the order of equal scores changes the precision curve.
 *
 * <p>The keys are arrays rather than a comparator: every caller then runs the same compiled code
 * (with a comparator per caller the JIT compiled the sort again for each new one, 0.2 to 0.4 s of
 * compile time each on the LVIS-v1-scale benchmark).
 */
final class IndexSort {

  /** Runs of this length are sorted by insertion before they are merged. */
  private static final int RUN = 24;

  private IndexSort() {}

  /**
   * Sorts {@code idx[from, to)} in place, stably: by {@code group[i]} ascending (when {@code group}
   * is not null), then by {@code scores[i]} descending (when {@code scores} is not null; equal
   * scores, also {@code 0.0} and {@code -0.0} as numpy sees them, keep their order).
   */
  static void sort(int[] idx, int from, int to, int[] group, double[] scores) {
    int n = to - from;
    if (n < 2) {
      return;
    }
    for (int lo = from; lo < to; lo += RUN) {
      insertionSort(idx, lo, Math.min(lo + RUN, to), group, scores);
    }
    if (n <= RUN) {
      return;
    }
    // Bottom-up merges of ever longer runs, back and forth between idx and a buffer. Loops, not
    // recursion: C2 inlined the recursive version into itself and compiled it three times (about
    // 0.3 s of compile time each on the LVIS-v1-scale benchmark).
    int[] src = idx;
    int srcFrom = from;
    int[] dst = new int[n];
    int dstFrom = 0;
    for (int width = RUN; width < n; width *= 2) {
      for (int lo = 0; lo < n; lo += 2 * width) {
        int mid = Math.min(lo + width, n);
        int hi = Math.min(lo + 2 * width, n);
        merge(src, srcFrom, dst, dstFrom, lo, mid, hi, group, scores);
      }
      int[] t = src;
      src = dst;
      dst = t;
      int tf = srcFrom;
      srcFrom = dstFrom;
      dstFrom = tf;
    }
    if (src != idx) {
      System.arraycopy(src, srcFrom, idx, from, n);
    }
  }

  /** Sorts the whole array in place, stably, as {@link #sort(int[], int, int, int[], double[])}. */
  static void sort(int[] idx, int[] group, double[] scores) {
    sort(idx, 0, idx.length, group, scores);
  }

  private static void insertionSort(int[] a, int lo, int hi, int[] group, double[] scores) {
    for (int i = lo + 1; i < hi; i++) {
      int v = a[i];
      int j = i - 1;
      while (j >= lo && compare(a[j], v, group, scores) > 0) {
        a[j + 1] = a[j];
        j--;
      }
      a[j + 1] = v;
    }
  }

  /**
   * Merges the sorted runs {@code [lo, mid)} and {@code [mid, hi)} of {@code src} (positions
   * relative to {@code srcFrom}) into the same positions of {@code dst} (relative to {@code
   * dstFrom}); on ties the first run's entry goes first.
   */
  private static void merge(
      int[] src,
      int srcFrom,
      int[] dst,
      int dstFrom,
      int lo,
      int mid,
      int hi,
      int[] group,
      double[] scores) {
    int i = srcFrom + lo;
    int iEnd = srcFrom + mid;
    int j = iEnd;
    int jEnd = srcFrom + hi;
    int k = dstFrom + lo;
    if (i < iEnd && j < jEnd && compare(src[iEnd - 1], src[j], group, scores) <= 0) {
      // Already in order.
      System.arraycopy(src, i, dst, k, hi - lo);
      return;
    }
    while (i < iEnd && j < jEnd) {
      if (compare(src[j], src[i], group, scores) < 0) {
        dst[k++] = src[j++];
      } else {
        dst[k++] = src[i++];
      }
    }
    System.arraycopy(src, i, dst, k, iEnd - i);
    k += iEnd - i;
    System.arraycopy(src, j, dst, k, jEnd - j);
  }

  private static int compare(int a, int b, int[] group, double[] scores) {
    if (group != null) {
      int ga = group[a];
      int gb = group[b];
      if (ga != gb) {
        return ga < gb ? -1 : 1;
      }
    }
    if (scores != null) {
      double sa = scores[a];
      double sb = scores[b];
      return sa > sb ? -1 : sa < sb ? 1 : 0;
    }
    return 0;
  }
}
