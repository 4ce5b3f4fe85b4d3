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

  private static final int INSERTION_LIMIT = 24;

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
    int[] buf = new int[n];
    mergeSort(idx, buf, from, to, group, scores);
  }

  /** Sorts the whole array in place, stably, as {@link #sort(int[], int, int, int[], double[])}. */
  static void sort(int[] idx, int[] group, double[] scores) {
    sort(idx, 0, idx.length, group, scores);
  }

  private static void mergeSort(int[] a, int[] buf, int lo, int hi, int[] group, double[] scores) {
    if (hi - lo <= INSERTION_LIMIT) {
      for (int i = lo + 1; i < hi; i++) {
        int v = a[i];
        int j = i - 1;
        while (j >= lo && compare(a[j], v, group, scores) > 0) {
          a[j + 1] = a[j];
          j--;
        }
        a[j + 1] = v;
      }
      return;
    }
    int mid = (lo + hi) >>> 1;
    mergeSort(a, buf, lo, mid, group, scores);
    mergeSort(a, buf, mid, hi, group, scores);
    if (compare(a[mid - 1], a[mid], group, scores) <= 0) {
      return;
    }
    int n = hi - lo;
    System.arraycopy(a, lo, buf, 0, n);
    int i = 0;
    int iEnd = mid - lo;
    int j = iEnd;
    int k = lo;
    while (i < iEnd && j < n) {
      if (compare(buf[j], buf[i], group, scores) < 0) {
        a[k++] = buf[j++];
      } else {
        a[k++] = buf[i++];
      }
    }
    while (i < iEnd) {
      a[k++] = buf[i++];
    }
    while (j < n) {
      a[k++] = buf[j++];
    }
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
