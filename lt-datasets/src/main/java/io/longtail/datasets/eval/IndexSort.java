package io.longtail.datasets.eval;

/**
 * Stable merge sort of {@code int} indices by a comparator on what they index, without boxing.
 * Stability matters: lvis-api sorts with numpy's stable {@code mergesort}, and the order of equal
 * scores changes the precision curve.
 */
final class IndexSort {

  /** Compares two indices. */
  @FunctionalInterface
  interface IndexComparator {
    int compare(int a, int b);
  }

  private static final int INSERTION_LIMIT = 24;

  private IndexSort() {}

  /** Sorts {@code idx[from, to)} in place, stably. */
  static void sort(int[] idx, int from, int to, IndexComparator cmp) {
    int n = to - from;
    if (n < 2) {
      return;
    }
    int[] buf = new int[n];
    mergeSort(idx, buf, from, to, cmp);
  }

  /** Sorts the whole array in place, stably. */
  static void sort(int[] idx, IndexComparator cmp) {
    sort(idx, 0, idx.length, cmp);
  }

  private static void mergeSort(int[] a, int[] buf, int lo, int hi, IndexComparator cmp) {
    if (hi - lo <= INSERTION_LIMIT) {
      for (int i = lo + 1; i < hi; i++) {
        int v = a[i];
        int j = i - 1;
        while (j >= lo && cmp.compare(a[j], v) > 0) {
          a[j + 1] = a[j];
          j--;
        }
        a[j + 1] = v;
      }
      return;
    }
    int mid = (lo + hi) >>> 1;
    mergeSort(a, buf, lo, mid, cmp);
    mergeSort(a, buf, mid, hi, cmp);
    if (cmp.compare(a[mid - 1], a[mid]) <= 0) {
      return;
    }
    int n = hi - lo;
    System.arraycopy(a, lo, buf, 0, n);
    int i = 0;
    int iEnd = mid - lo;
    int j = iEnd;
    int k = lo;
    while (i < iEnd && j < n) {
      if (cmp.compare(buf[j], buf[i]) < 0) {
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

  /**
   * Descending order of scores, equal scores (also {@code 0.0} and {@code -0.0}, which numpy sees
   * as equal) compare equal.
   */
  static int byScoreDescending(double a, double b) {
    return a > b ? -1 : a < b ? 1 : 0;
  }
}
