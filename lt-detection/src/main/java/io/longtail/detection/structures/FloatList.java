package io.longtail.detection.structures;

import java.util.Arrays;

/** A growable list of primitive {@code float} values (no boxing on hot paths). */
public final class FloatList {
  private float[] values = new float[16];
  private int size;

  /** Appends a value. */
  public void add(float value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = value;
  }

  /** Appends all values of an array. */
  public void addAll(float[] more) {
    if (size + more.length > values.length) {
      values = Arrays.copyOf(values, Math.max(size * 2, size + more.length));
    }
    System.arraycopy(more, 0, values, size, more.length);
    size += more.length;
  }

  /** Value {@code i}. */
  public float get(int i) {
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
  public float[] toArray() {
    return Arrays.copyOf(values, size);
  }
}
