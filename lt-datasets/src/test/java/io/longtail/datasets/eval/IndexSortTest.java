package io.longtail.datasets.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IndexSortTest {

  /** The order a stable library sort gives: group ascending, score descending, ties in order. */
  private static int[] expected(int[] idx, int from, int to, int[] group, double[] scores) {
    List<Integer> list = new ArrayList<>();
    for (int i = from; i < to; i++) {
      list.add(idx[i]);
    }
    Comparator<Integer> byGroup = Comparator.comparingInt(i -> group == null ? 0 : group[i]);
    Comparator<Integer> byScore =
        (a, b) -> {
          if (scores == null) {
            return 0;
          }
          double sa = scores[a];
          double sb = scores[b];
          return sa > sb ? -1 : sa < sb ? 1 : 0;
        };
    list.sort(byGroup.thenComparing(byScore));
    int[] out = idx.clone();
    for (int i = from; i < to; i++) {
      out[i] = list.get(i - from);
    }
    return out;
  }

  @Test
  void sortsStablyByGroupThenScoreForManySizes() {
    SplittableRandom rnd = new SplittableRandom(7);
    for (int n : new int[] {0, 1, 2, 5, 23, 24, 25, 47, 48, 49, 100, 777, 5000}) {
      int values = 1 + n / 3;
      int[] group = new int[n];
      double[] scores = new double[n];
      for (int i = 0; i < n; i++) {
        group[i] = rnd.nextInt(4);
        // few distinct scores, so that ties are common; 0.0 and -0.0 are equal
        int s = rnd.nextInt(values);
        scores[i] = s == 0 ? (rnd.nextBoolean() ? 0.0 : -0.0) : s / 7.0;
      }
      for (int[] g : new int[][] {null, group}) {
        for (double[] sc : new double[][] {null, scores}) {
          int[] idx = new int[n];
          for (int i = 0; i < n; i++) {
            idx[i] = n - 1 - i; // not the identity: stability must keep this order on ties
          }
          int from = n > 10 ? 3 : 0;
          int to = n > 10 ? n - 2 : n;
          int[] want = expected(idx, from, to, g, sc);
          IndexSort.sort(idx, from, to, g, sc);
          assertThat(idx).as("n=%d group=%s scores=%s", n, g != null, sc != null).isEqualTo(want);
        }
      }
    }
  }
}
