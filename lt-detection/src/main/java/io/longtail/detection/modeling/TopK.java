package io.longtail.detection.modeling;

import java.util.Arrays;

/** Indices of the largest values of a range of a {@code float[]}, without boxing. */
public final class TopK {
  private TopK() {}

  /**
   * The {@code k} largest of {@code values[from .. from + count)}, by decreasing value (ties by
   * lower index), as offsets relative to {@code from}. NaN values sort last.
   */
  public static int[] indices(float[] values, int from, int count, int k) {
    long[] keys = new long[count];
    for (int i = 0; i < count; i++) {
      float v = values[from + i];
      int bits = Float.isNaN(v) ? Integer.MIN_VALUE : Float.floatToIntBits(v);
      // Order-preserving map of float bits to int, then negate so ascending sort = descending
      // value.
      int sortable = bits < 0 ? bits ^ 0x7fffffff : bits;
      keys[i] = ((long) ~sortable << 32) | i;
    }
    Arrays.sort(keys);
    int n = Math.min(k, count);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = (int) keys[i];
    }
    return out;
  }
}
