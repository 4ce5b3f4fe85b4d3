package io.longtail.detection.structures;

import java.util.Arrays;

/** A growable list of primitive {@code int} values (no boxing on hot paths). */
public final class IntList {
  private int[] values = new int[16];
  private int size;

  /** Appends a value. */
  public void add(int value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = value;
  }

  /** Appends all values of an array. */
  public void addAll(int[] more) {
    if (size + more.length > values.length) {
      values = Arrays.copyOf(values, Math.max(size * 2, size + more.length));
    }
    System.arraycopy(more, 0, values, size, more.length);
    size += more.length;
  }

  /** Value {@code i}. */
  public int get(int i) {
    if (i >= size) {
      throw new IndexOutOfBoundsException("index " + i + " of " + size);
    }
    return values[i];
  }

  /** Number of values. */
  public int size() {
    return size;
  }

  /** A copy of the values. */
  public int[] toArray() {
    return Arrays.copyOf(values, size);
  }
}
