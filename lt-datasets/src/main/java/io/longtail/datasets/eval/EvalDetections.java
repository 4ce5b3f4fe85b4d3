package io.longtail.datasets.eval;

import io.longtail.datasets.lvis.Detection;
import io.longtail.datasets.lvis.RleSegmentation;
import java.util.Arrays;
import java.util.List;

/**
 * Detections (the COCO/LVIS results format) in flat arrays, in results-file order: about 56 bytes a
 * box detection, plus the compressed RLE string of a mask detection, so the 6 million detections of
 * an LVIS v1 val run fit in well under a gigabyte. Immutable once built.
 *
 * <p>Made from a list with {@link #from(List)} or streamed in with {@link #builder()} (e.g. from a
 * results reader callback). The order matters: among equal scores the detection that comes first
 * wins, as in lvis-api.
 */
public final class EvalDetections {

  final int size;
  final long[] imageIds;
  final int[] categoryIds;
  final double[] scores;

  /** {@code [x, y, w, h]} per detection; {@code NaN} in x when the detection has no box. */
  final double[] boxes;

  /** Masks, or {@code null} when no detection has one. */
  final RleSegmentation[] masks;

  private EvalDetections(Builder b) {
    // The builder hands its arrays over (it cannot be used again), so building copies nothing;
    // entries past size are unused capacity.
    size = b.size;
    imageIds = b.imageIds;
    categoryIds = b.categoryIds;
    scores = b.scores;
    boxes = b.boxes;
    masks = b.masks;
  }

  /** A builder; {@code expectedSize} presizes the arrays (0 when unknown). */
  public static Builder builder(int expectedSize) {
    return new Builder(expectedSize);
  }

  /** A builder with no size hint. */
  public static Builder builder() {
    return new Builder(0);
  }

  /** The detections of a list, in its order. */
  public static EvalDetections from(List<Detection> detections) {
    Builder b = builder(detections.size());
    for (Detection d : detections) {
      b.add(d);
    }
    return b.build();
  }

  /**
   * The detections of several parts, in order; each part's arrays are released as soon as they are
   * copied, so the peak is the result plus one part.
   */
  static EvalDetections concat(List<EvalDetections> parts) {
    long total = 0;
    boolean anyMask = false;
    for (EvalDetections d : parts) {
      total += d.size;
      anyMask |= d.masks != null;
    }
    if (total > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("too many detections: " + total);
    }
    Builder b = builder((int) total);
    if (anyMask) {
      b.masks = new RleSegmentation[b.imageIds.length];
    }
    int at = 0;
    for (int i = 0; i < parts.size(); i++) {
      EvalDetections d = parts.get(i);
      System.arraycopy(d.imageIds, 0, b.imageIds, at, d.size);
      System.arraycopy(d.categoryIds, 0, b.categoryIds, at, d.size);
      System.arraycopy(d.scores, 0, b.scores, at, d.size);
      System.arraycopy(d.boxes, 0, b.boxes, 4 * at, 4 * d.size);
      if (d.masks != null) {
        System.arraycopy(d.masks, 0, b.masks, at, d.size);
      }
      at += d.size;
      parts.set(i, null);
    }
    b.size = at;
    return b.build();
  }

  /** Number of detections. */
  public int size() {
    return size;
  }

  boolean hasBox(int row) {
    return !Double.isNaN(boxes[4 * row]);
  }

  boolean hasMask(int row) {
    return masks != null && masks[row] != null;
  }

  /** Appends detections; not thread-safe. */
  public static final class Builder {
    private int size;
    private long[] imageIds;
    private int[] categoryIds;
    private double[] scores;
    private double[] boxes;
    private RleSegmentation[] masks;
    private boolean built;

    private Builder(int expectedSize) {
      if (expectedSize < 0) {
        throw new IllegalArgumentException("expectedSize must be >= 0, got " + expectedSize);
      }
      int cap = Math.max(16, expectedSize);
      imageIds = new long[cap];
      categoryIds = new int[cap];
      scores = new double[cap];
      boxes = new double[4 * cap];
    }

    /** Appends a detection of the model type. */
    public Builder add(Detection d) {
      return add(
          d.imageId(), d.categoryId(), d.score(), d.hasBbox() ? d.bbox() : null, d.segmentation());
    }

    /**
     * Appends a detection.
     *
     * @param imageId image id
     * @param categoryId dataset category id
     * @param score confidence, finite
     * @param bbox {@code [x, y, w, h]}, or {@code null} for a mask-only result
     * @param mask the compressed RLE mask, or {@code null} for a box-only result
     * @throws IllegalArgumentException on a non-finite score, a box without 4 finite values, or
     *     neither box nor mask
     */
    public Builder add(
        long imageId, int categoryId, double score, double[] bbox, RleSegmentation mask) {
      if (built) {
        throw new IllegalStateException("builder already built");
      }
      if (!Double.isFinite(score)) {
        throw new IllegalArgumentException(
            "score must be finite, got " + score + " (detection " + size + ")");
      }
      if (bbox == null && mask == null) {
        throw new IllegalArgumentException(
            "detection " + size + " needs a bbox or a segmentation, got neither");
      }
      if (bbox != null) {
        if (bbox.length != 4) {
          throw new IllegalArgumentException(
              "bbox must have 4 values [x, y, w, h], got "
                  + bbox.length
                  + " (detection "
                  + size
                  + ")");
        }
        for (double v : bbox) {
          if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(
                "bbox must be finite, got " + Arrays.toString(bbox) + " (detection " + size + ")");
          }
        }
      }
      if (size == imageIds.length) {
        grow();
      }
      imageIds[size] = imageId;
      categoryIds[size] = categoryId;
      scores[size] = score;
      if (bbox != null) {
        System.arraycopy(bbox, 0, boxes, 4 * size, 4);
      } else {
        boxes[4 * size] = Double.NaN;
      }
      if (mask != null) {
        if (masks == null) {
          masks = new RleSegmentation[imageIds.length];
        }
        masks[size] = mask;
      }
      size++;
      return this;
    }

    private void grow() {
      int cap = imageIds.length + (imageIds.length >> 1) + 16;
      imageIds = Arrays.copyOf(imageIds, cap);
      categoryIds = Arrays.copyOf(categoryIds, cap);
      scores = Arrays.copyOf(scores, cap);
      boxes = Arrays.copyOf(boxes, 4 * cap);
      if (masks != null) {
        masks = Arrays.copyOf(masks, cap);
      }
    }

    /** Number of detections added so far. */
    public int size() {
      return size;
    }

    /** The detections; the builder cannot be used afterwards. */
    public EvalDetections build() {
      built = true;
      EvalDetections d = new EvalDetections(this);
      imageIds = null;
      categoryIds = null;
      scores = null;
      boxes = null;
      masks = null;
      return d;
    }
  }
}
