package io.longtail.datasets.eval;

import io.longtail.datasets.lvis.AnnotationFileException;
import io.longtail.datasets.lvis.Detection;
import io.longtail.datasets.lvis.ResultsReader;
import io.longtail.datasets.lvis.RleSegmentation;
import io.longtail.datasets.mask.Rle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Detections (the COCO/LVIS results format) in flat arrays, in results-file order: about 56 bytes a
 * box detection; a mask detection keeps its compressed RLE string as bytes in shared 4 MB blocks
 * (about 24 bytes plus the string), decoded only when its image and category are evaluated. So the
 * 6 million detections of an LVIS v1 val run fit in about 340 MB as boxes. Immutable once built.
 *
 * <p>Read from a results file with {@link #read(Path, int)}, made from a list with {@link
 * #from(List)}, or streamed in with {@link #builder()}. The order matters: among equal scores the
 * detection that comes first wins, as in lvis-api.
 */
public final class EvalDetections {

  /** Mask strings are packed into blocks of this size (a longer string gets a block of its own). */
  private static final int BLOCK = 1 << 22;

  final int size;
  final long[] imageIds;
  final int[] categoryIds;
  final double[] scores;

  /**
   * {@code [x, y, w, h]} per detection; {@code NaN} in x when the detection has no box; {@code
   * null} when no detection has one.
   */
  final double[] boxes;

  /** Blocks holding the mask strings (UTF-8 bytes); empty when no detection has a mask. */
  private final byte[][] maskBlocks;

  /** Per detection: {@code block << 32 | offset} of its mask string; -1 without a mask. */
  private final long[] maskRefs;

  private final int[] maskLengths;
  private final int[] maskHeights;
  private final int[] maskWidths;

  private EvalDetections(Builder b) {
    // The builder hands its arrays over (it cannot be used again), so building copies nothing;
    // entries past size are unused capacity.
    size = b.size;
    imageIds = b.imageIds;
    categoryIds = b.categoryIds;
    scores = b.scores;
    boxes = b.boxes;
    maskBlocks = b.blocks.toArray(new byte[0][]);
    maskRefs = b.maskRefs;
    maskLengths = b.maskLengths;
    maskHeights = b.maskHeights;
    maskWidths = b.maskWidths;
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
   * Reads a results file ({@link ResultsReader}, pieces parsed in parallel) without checking it
   * against the ground truth: the evaluator rejects detections of unknown images and, as lvis-api
   * does, never matches those of unknown categories.
   *
   * @param file a JSON array of results, optionally gzip-compressed ({@code .gz})
   * @param threads parser threads, {@code >= 1}
   * @return the detections, in file order
   * @throws AnnotationFileException for bad content, naming file, record and field
   * @throws IOException if the file cannot be read
   */
  public static EvalDetections read(Path file, int threads) throws IOException {
    return concat(ResultsReader.read(file, threads, EvalDetections::builder));
  }

  /**
   * The detections of several builders, in order; each part's arrays are released as soon as they
   * are copied, so the peak is the result plus one part (mask strings are not copied).
   */
  static EvalDetections concat(List<Builder> parts) {
    if (parts.size() == 1) {
      return parts.get(0).build();
    }
    long total = 0;
    boolean anyBox = false;
    boolean anyMask = false;
    for (Builder d : parts) {
      total += d.size;
      anyBox |= d.boxes != null;
      anyMask |= d.maskRefs != null;
    }
    if (total > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("too many detections: " + total);
    }
    Builder b = builder((int) total);
    if (anyBox) {
      b.boxes = new double[4 * b.imageIds.length];
    }
    if (anyMask) {
      b.allocateMasks();
    }
    int at = 0;
    for (int i = 0; i < parts.size(); i++) {
      Builder d = parts.get(i);
      System.arraycopy(d.imageIds, 0, b.imageIds, at, d.size);
      System.arraycopy(d.categoryIds, 0, b.categoryIds, at, d.size);
      System.arraycopy(d.scores, 0, b.scores, at, d.size);
      if (d.boxes != null) {
        System.arraycopy(d.boxes, 0, b.boxes, 4 * at, 4 * d.size);
      } else if (anyBox) {
        for (int r = 0; r < d.size; r++) {
          b.boxes[4 * (at + r)] = Double.NaN;
        }
      }
      if (d.maskRefs != null) {
        long blockBase = (long) b.blocks.size() << 32;
        for (int r = 0; r < d.size; r++) {
          long ref = d.maskRefs[r];
          b.maskRefs[at + r] = ref < 0 ? -1 : ref + blockBase;
        }
        System.arraycopy(d.maskLengths, 0, b.maskLengths, at, d.size);
        System.arraycopy(d.maskHeights, 0, b.maskHeights, at, d.size);
        System.arraycopy(d.maskWidths, 0, b.maskWidths, at, d.size);
        b.blocks.addAll(d.blocks);
      } else if (anyMask) {
        Arrays.fill(b.maskRefs, at, at + d.size, -1);
      }
      at += d.size;
      d.release();
      parts.set(i, null);
    }
    b.size = at;
    b.block = null;
    return b.build();
  }

  /** Number of detections. */
  public int size() {
    return size;
  }

  boolean hasBox(int row) {
    return boxes != null && !Double.isNaN(boxes[4 * row]);
  }

  boolean hasMask(int row) {
    return maskRefs != null && maskRefs[row] >= 0;
  }

  /** The mask of a row that has one, decoded. */
  Rle mask(int row) {
    return Rle.fromString(maskCounts(row), maskHeights[row], maskWidths[row]);
  }

  /** The compressed counts string of a row that has a mask. */
  String maskCounts(int row) {
    long ref = maskRefs[row];
    return new String(
        maskBlocks[(int) (ref >>> 32)], (int) ref, maskLengths[row], StandardCharsets.UTF_8);
  }

  /** The mask of a row as the model type, or {@code null} without one. */
  RleSegmentation segmentation(int row) {
    return hasMask(row)
        ? new RleSegmentation(maskHeights[row], maskWidths[row], maskCounts(row))
        : null;
  }

  /** Appends detections; not thread-safe. */
  public static final class Builder implements ResultsReader.Sink {
    private int size;
    private long[] imageIds;
    private int[] categoryIds;
    private double[] scores;
    private double[] boxes;
    private long[] maskRefs;
    private int[] maskLengths;
    private int[] maskHeights;
    private int[] maskWidths;
    private List<byte[]> blocks = new ArrayList<>();
    private byte[] block;
    private int blockUsed;
    private boolean built;

    private Builder(int expectedSize) {
      if (expectedSize < 0) {
        throw new IllegalArgumentException("expectedSize must be >= 0, got " + expectedSize);
      }
      int cap = Math.max(16, expectedSize);
      imageIds = new long[cap];
      categoryIds = new int[cap];
      scores = new double[cap];
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
      if (mask == null) {
        add(imageId, categoryId, score, bbox, -1, -1, null, 0, 0);
      } else {
        byte[] counts = mask.compressedCounts().getBytes(StandardCharsets.UTF_8);
        add(
            imageId,
            categoryId,
            score,
            bbox,
            mask.height(),
            mask.width(),
            counts,
            0,
            counts.length);
      }
      return this;
    }

    /**
     * Appends a detection with its mask as bytes of the compressed counts string (the {@link
     * ResultsReader} sink); the arrays are copied.
     *
     * @throws IllegalArgumentException as {@link #add(long, int, double, double[],
     *     RleSegmentation)}, or on a negative mask size
     */
    @Override
    public void add(
        long imageId,
        int categoryId,
        double score,
        double[] bbox,
        int maskHeight,
        int maskWidth,
        byte[] counts,
        int countsFrom,
        int countsTo) {
      if (built) {
        throw new IllegalStateException("builder already built");
      }
      check(score, bbox, counts != null);
      if (counts != null && (maskHeight < 0 || maskWidth < 0)) {
        throw new IllegalArgumentException(
            "mask size must be >= 0, got ["
                + maskHeight
                + ", "
                + maskWidth
                + "] (detection "
                + size
                + ")");
      }
      if (size == imageIds.length) {
        grow();
      }
      imageIds[size] = imageId;
      categoryIds[size] = categoryId;
      scores[size] = score;
      if (bbox != null) {
        if (boxes == null) {
          boxes = new double[4 * imageIds.length];
          for (int r = 0; r < size; r++) {
            boxes[4 * r] = Double.NaN;
          }
        }
        System.arraycopy(bbox, 0, boxes, 4 * size, 4);
      } else if (boxes != null) {
        boxes[4 * size] = Double.NaN;
      }
      if (counts != null) {
        if (maskRefs == null) {
          allocateMasks();
          Arrays.fill(maskRefs, 0, size, -1);
        }
        int length = countsTo - countsFrom;
        maskRefs[size] = store(counts, countsFrom, length);
        maskLengths[size] = length;
        maskHeights[size] = maskHeight;
        maskWidths[size] = maskWidth;
      } else if (maskRefs != null) {
        maskRefs[size] = -1;
      }
      size++;
    }

    private void check(double score, double[] bbox, boolean hasMask) {
      if (!Double.isFinite(score)) {
        throw new IllegalArgumentException(
            "score must be finite, got " + score + " (detection " + size + ")");
      }
      if (bbox == null && !hasMask) {
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
    }

    /** Copies a mask string into the blocks; returns {@code block << 32 | offset}. */
    private long store(byte[] counts, int from, int length) {
      if (block == null || blockUsed + length > block.length) {
        block = new byte[Math.max(BLOCK, length)];
        blockUsed = 0;
        blocks.add(block);
      }
      System.arraycopy(counts, from, block, blockUsed, length);
      long ref = (long) (blocks.size() - 1) << 32 | blockUsed;
      blockUsed += length;
      return ref;
    }

    private void allocateMasks() {
      int cap = imageIds.length;
      maskRefs = new long[cap];
      maskLengths = new int[cap];
      maskHeights = new int[cap];
      maskWidths = new int[cap];
    }

    private void grow() {
      int cap = imageIds.length + (imageIds.length >> 1) + 16;
      imageIds = Arrays.copyOf(imageIds, cap);
      categoryIds = Arrays.copyOf(categoryIds, cap);
      scores = Arrays.copyOf(scores, cap);
      if (boxes != null) {
        boxes = Arrays.copyOf(boxes, 4 * cap);
      }
      if (maskRefs != null) {
        maskRefs = Arrays.copyOf(maskRefs, cap);
        maskLengths = Arrays.copyOf(maskLengths, cap);
        maskHeights = Arrays.copyOf(maskHeights, cap);
        maskWidths = Arrays.copyOf(maskWidths, cap);
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
      release();
      return d;
    }

    private void release() {
      built = true;
      imageIds = null;
      categoryIds = null;
      scores = null;
      boxes = null;
      maskRefs = null;
      maskLengths = null;
      maskHeights = null;
      maskWidths = null;
      blocks = List.of();
      block = null;
    }
  }
}
