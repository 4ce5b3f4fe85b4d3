package io.longtail.datasets.eval;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.longtail.datasets.lvis.AnnotationFileException;
import io.longtail.datasets.lvis.AnnotationProblem;
import io.longtail.datasets.lvis.ResultsReader;
import io.longtail.datasets.lvis.RleSegmentation;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPInputStream;

/**
 * Reads a COCO/LVIS results file straight into {@link EvalDetections}, parsing chunks of the file
 * in parallel: the 6 million detections of an LVIS v1 val run are read in a few seconds and held in
 * flat arrays, without a {@link io.longtail.datasets.lvis.Detection} object each.
 *
 * <p>It accepts what {@link ResultsReader} accepts, with the same error reports ({@link
 * AnnotationFileException} naming the file, {@code results[i]} and the field), except that it does
 * not check the detections against the ground truth: detections of unknown categories or with masks
 * of another size than their image are kept, and the evaluation treats them as lvis-api does
 * (ignored, never matched); detections of unknown images are reported by the evaluator. Syntax
 * errors name the byte offset rather than the line.
 *
 * <p>How the file is split: at about equal byte offsets, moved forward to the next {@code "}, {"}
 * between records. Record strings never contain braces or commas (RLE counts use characters {@code
 * 0} to {@code o}), and a split that still fell inside a record is detected, as the chunk before it
 * then does not end exactly there, and the file is read again in one piece. Gzipped files ({@code
 * .gz}) are read in one piece.
 */
public final class EvalResultsReader {

  private static final JsonFactory FACTORY =
      new JsonFactoryBuilder()
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
          .build();

  /** Chunks are at least this large; smaller files are read in one piece. */
  private static final long MIN_CHUNK = 8L << 20;

  /** How far past a nominal split the next record start is looked for. */
  private static final int SCAN_WINDOW = 1 << 20;

  private EvalResultsReader() {}

  /**
   * Reads a results file.
   *
   * @param file a JSON array of results, optionally gzip-compressed ({@code .gz})
   * @param threads parser threads, {@code >= 1}
   * @return the detections, in file order
   * @throws AnnotationFileException for bad content, naming file, record and field
   * @throws IOException if the file cannot be read
   */
  public static EvalDetections read(Path file, int threads) throws IOException {
    return read(file, threads, MIN_CHUNK);
  }

  /** {@link #read(Path, int)} with chunks of at least {@code minChunk} bytes (tests split more). */
  static EvalDetections read(Path file, int threads, long minChunk) throws IOException {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString());
    }
    if (file.getFileName().toString().endsWith(".gz")) {
      try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
        Chunk c = new Chunk(file, 0, Long.MAX_VALUE, 0);
        c.parse(in, true);
        if (c.problem != null) {
          throw c.problem.toException(file, 0);
        }
        return c.out.build();
      }
    }
    long size = Files.size(file);
    double recordsPerByte = recordDensity(file, size);
    List<Long> starts = splits(file, size, threads, minChunk);
    if (starts.size() == 1) {
      return readWhole(file, size, recordsPerByte);
    }
    List<Chunk> chunks = new ArrayList<>();
    for (int i = 0; i < starts.size(); i++) {
      long end = i + 1 < starts.size() ? starts.get(i + 1) : Long.MAX_VALUE;
      long bytes = (i + 1 < starts.size() ? end : size) - starts.get(i);
      chunks.add(new Chunk(file, starts.get(i), end, expected(bytes, recordsPerByte)));
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, chunks.size()));
    try {
      List<Future<Void>> futures = new ArrayList<>();
      for (Chunk c : chunks) {
        futures.add(
            pool.submit(
                () -> {
                  try (InputStream in = c.open()) {
                    c.parse(in, c.start == 0);
                  }
                  return null;
                }));
      }
      for (Future<Void> f : futures) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted reading " + file, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new IOException(cause);
    } finally {
      pool.shutdownNow();
    }
    // Problems and misplaced splits, in file order: the first one decides.
    long before = 0;
    for (Chunk c : chunks) {
      if (c.misaligned) {
        return readWhole(file, size, recordsPerByte);
      }
      if (c.problem != null) {
        throw c.problem.toException(file, before);
      }
      before += c.count();
    }
    List<EvalDetections> parts = new ArrayList<>();
    before = 0;
    for (Chunk c : chunks) {
      parts.add(c.out.build());
    }
    chunks.clear();
    return EvalDetections.concat(parts);
  }

  private static EvalDetections readWhole(Path file, long size, double recordsPerByte)
      throws IOException {
    Chunk c = new Chunk(file, 0, Long.MAX_VALUE, expected(size, recordsPerByte));
    try (InputStream in = c.open()) {
      c.parse(in, true);
    }
    if (c.problem != null) {
      throw c.problem.toException(file, 0);
    }
    return c.out.build();
  }

  /** Expected records in {@code bytes}, a little generous to avoid regrowing the arrays. */
  private static int expected(long bytes, double recordsPerByte) {
    return (int) Math.min(Integer.MAX_VALUE - 16, (long) (bytes * recordsPerByte * 1.05) + 16);
  }

  /** Records per byte in the first megabyte (record starts are counted as in splits). */
  private static double recordDensity(Path file, long size) throws IOException {
    byte[] head = new byte[(int) Math.min(size, SCAN_WINDOW)];
    int n = 0;
    try (InputStream in = Files.newInputStream(file)) {
      int r;
      while (n < head.length && (r = in.read(head, n, head.length - n)) > 0) {
        n += r;
      }
    }
    int records = 1;
    for (int i = 0; i < n; ) {
      long next = recordStart(head, i, n);
      if (next < 0) {
        break;
      }
      records++;
      i = (int) next;
    }
    return records / (double) Math.max(1, n);
  }

  /** Chunk starts: 0 and the record starts found after equally spaced offsets. */
  private static List<Long> splits(Path file, long size, int threads, long minChunk)
      throws IOException {
    List<Long> starts = new ArrayList<>();
    starts.add(0L);
    int pieces = (int) Math.min(4L * threads, size / minChunk);
    if (threads == 1 || pieces < 2) {
      return starts;
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buf = ByteBuffer.allocate(SCAN_WINDOW);
      for (int k = 1; k < pieces; k++) {
        long nominal = size * k / pieces;
        if (nominal <= starts.get(starts.size() - 1)) {
          continue;
        }
        buf.clear();
        int n = 0;
        while (buf.hasRemaining()) {
          int r = ch.read(buf, nominal + n);
          if (r < 0) {
            break;
          }
          n += r;
        }
        long found = recordStart(buf.array(), 0, n);
        if (found >= 0) {
          starts.add(nominal + found);
        }
      }
    }
    return starts;
  }

  /** Offset of the first {@code '{'} that follows {@code '}' ws* ',' ws*}, or -1. */
  private static long recordStart(byte[] b, int from, int n) {
    for (int i = from; i < n; i++) {
      if (b[i] != '}') {
        continue;
      }
      int j = skipWhitespace(b, i + 1, n);
      if (j < n && b[j] == ',') {
        j = skipWhitespace(b, j + 1, n);
        if (j < n && b[j] == '{') {
          return j;
        }
      }
    }
    return -1;
  }

  private static int skipWhitespace(byte[] b, int i, int n) {
    while (i < n && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
      i++;
    }
    return i;
  }

  /** The first problem of a chunk, at a chunk-local record index. */
  private record Problem(
      long localIndex, String field, AnnotationProblem kind, String detail, Throwable cause) {

    AnnotationFileException toException(Path file, long recordsBefore) {
      String record = localIndex < 0 ? null : "results[" + (recordsBefore + localIndex) + "]";
      return new AnnotationFileException(file, record, field, kind, detail, cause);
    }
  }

  /** One piece of the file and the detections parsed from it. */
  private static final class Chunk {
    final Path file;
    final long start;
    final long end;
    final EvalDetections.Builder out;
    Problem problem;
    boolean misaligned;
    private long index;
    private String field;

    Chunk(Path file, long start, long end, int expectedRecords) {
      this.file = file;
      this.start = start;
      this.end = end;
      this.out = EvalDetections.builder(expectedRecords);
    }

    /** The bytes from {@code start} on; a later chunk gets a '[' in front. */
    InputStream open() throws IOException {
      FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
      ch.position(start);
      InputStream body = Channels.newInputStream(ch);
      return start == 0
          ? body
          : new SequenceInputStream(new ByteArrayInputStream(new byte[] {'['}), body);
    }

    long count() {
      return out.size();
    }

    void parse(InputStream in, boolean first) throws IOException {
      long shift = first ? 0 : start - 1; // the '[' in front is not in the file
      try (JsonParser p = FACTORY.createParser(in)) {
        JsonToken t = p.nextToken();
        if (t != JsonToken.START_ARRAY) {
          fail(
              -1,
              null,
              first && t == null ? AnnotationProblem.NOT_JSON : AnnotationProblem.WRONG_TYPE,
              t == null ? "the file is empty" : "expected a JSON array of results");
          return;
        }
        while (true) {
          t = p.nextToken();
          if (t == JsonToken.END_ARRAY) {
            if (end != Long.MAX_VALUE) {
              misaligned = true; // the array ended before the next chunk's start
            } else if (p.nextToken() != null) {
              fail(
                  -1,
                  null,
                  AnnotationProblem.NOT_JSON,
                  "unexpected content after the results array");
            }
            return;
          }
          if (end != Long.MAX_VALUE) {
            long offset = p.currentTokenLocation().getByteOffset() + shift;
            if (offset >= end) {
              misaligned = offset != end;
              return;
            }
          }
          if (t != JsonToken.START_OBJECT) {
            fail(index, null, AnnotationProblem.WRONG_TYPE, "expected an object");
            return;
          }
          if (!record(p)) {
            return;
          }
          index++;
        }
      } catch (JsonParseException e) {
        fail(
            index,
            null,
            AnnotationProblem.NOT_JSON,
            "not valid JSON at byte offset "
                + (e.getLocation().getByteOffset() + shift)
                + ": "
                + e.getOriginalMessage(),
            e);
      }
    }

    /** Parses one record into {@link #out}; false after a problem. */
    private boolean record(JsonParser p) throws IOException {
      long imageId = 0;
      int categoryId = 0;
      double score = Double.NaN;
      boolean hasImage = false;
      boolean hasCategory = false;
      boolean hasScore = false;
      double[] bbox = null;
      RleSegmentation segmentation = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        field = p.currentName();
        JsonToken t = p.nextToken();
        if (t == JsonToken.VALUE_NULL) {
          continue;
        }
        switch (field) {
          case "image_id" -> {
            if (t != JsonToken.VALUE_NUMBER_INT) {
              return fail(
                  index,
                  field,
                  AnnotationProblem.WRONG_TYPE,
                  "must be an integer, got " + p.getText());
            }
            imageId = p.getLongValue();
            hasImage = true;
          }
          case "category_id" -> {
            if (t != JsonToken.VALUE_NUMBER_INT) {
              return fail(
                  index,
                  field,
                  AnnotationProblem.WRONG_TYPE,
                  "must be an integer, got " + p.getText());
            }
            categoryId = p.getIntValue();
            hasCategory = true;
          }
          case "score" -> {
            if (!t.isNumeric()) {
              return fail(
                  index,
                  field,
                  AnnotationProblem.WRONG_TYPE,
                  "must be a number, got " + p.getText());
            }
            score = p.getDoubleValue();
            if (!Double.isFinite(score)) {
              return fail(
                  index, field, AnnotationProblem.BAD_VALUE, "must be finite, got " + score);
            }
            hasScore = true;
          }
          case "bbox" -> {
            bbox = readBox(p);
            if (bbox == null) {
              return false;
            }
          }
          case "segmentation" -> {
            segmentation = readRle(p);
            if (segmentation == null) {
              return false;
            }
          }
          default -> p.skipChildren();
        }
      }
      field = null;
      if (!hasImage) {
        return fail(index, "image_id", AnnotationProblem.MISSING_FIELD, "is required");
      }
      if (!hasCategory) {
        return fail(index, "category_id", AnnotationProblem.MISSING_FIELD, "is required");
      }
      if (!hasScore) {
        return fail(index, "score", AnnotationProblem.MISSING_FIELD, "is required");
      }
      if (bbox == null && segmentation == null) {
        return fail(
            index, "bbox", AnnotationProblem.MISSING_FIELD, "a result needs bbox or segmentation");
      }
      out.add(imageId, categoryId, score, bbox, segmentation);
      return true;
    }

    private double[] readBox(JsonParser p) throws IOException {
      if (p.currentToken() != JsonToken.START_ARRAY) {
        fail(index, field, AnnotationProblem.WRONG_TYPE, "must be an array [x, y, w, h]");
        return null;
      }
      double[] box = new double[4];
      int n = 0;
      JsonToken t;
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        if (!t.isNumeric()) {
          fail(index, field, AnnotationProblem.WRONG_TYPE, "must hold numbers, got " + p.getText());
          return null;
        }
        double v = p.getDoubleValue();
        if (n < 4) {
          box[n] = v;
        }
        n++;
        if (!Double.isFinite(v)) {
          fail(index, field, AnnotationProblem.BAD_VALUE, "coordinates must be finite, got " + v);
          return null;
        }
      }
      if (n != 4) {
        fail(
            index, field, AnnotationProblem.BAD_VALUE, "must have 4 values [x, y, w, h], got " + n);
        return null;
      }
      if (box[2] < 0 || box[3] < 0) {
        fail(
            index,
            field,
            AnnotationProblem.NEGATIVE_BOX_SIZE,
            "width and height must be >= 0, got [" + box[2] + ", " + box[3] + "]");
        return null;
      }
      return box;
    }

    private RleSegmentation readRle(JsonParser p) throws IOException {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        fail(
            index,
            field,
            AnnotationProblem.WRONG_TYPE,
            "must be a compressed RLE {\"size\": [h, w], \"counts\": \"...\"}");
        return null;
      }
      int h = -1;
      int w = -1;
      String counts = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if ("size".equals(name) && t == JsonToken.START_ARRAY) {
          int n = 0;
          while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            int v = t == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : -1;
            if (n == 0) {
              h = v;
            } else if (n == 1) {
              w = v;
            }
            n++;
          }
          if (n != 2 || h < 0 || w < 0) {
            fail(index, field + ".size", AnnotationProblem.BAD_VALUE, "must be [h, w] >= 0");
            return null;
          }
        } else if ("counts".equals(name)) {
          if (t != JsonToken.VALUE_STRING) {
            fail(
                index,
                field + ".counts",
                AnnotationProblem.WRONG_TYPE,
                "must be a compressed RLE string (results cannot use uncompressed RLE)");
            return null;
          }
          counts = p.getText();
        } else {
          p.skipChildren();
        }
      }
      if (h < 0) {
        fail(index, field + ".size", AnnotationProblem.MISSING_FIELD, "is required");
        return null;
      }
      if (counts == null) {
        fail(index, field + ".counts", AnnotationProblem.MISSING_FIELD, "is required");
        return null;
      }
      return new RleSegmentation(h, w, counts);
    }

    private boolean fail(long at, String where, AnnotationProblem kind, String detail) {
      return fail(at, where, kind, detail, null);
    }

    private boolean fail(
        long at, String where, AnnotationProblem kind, String detail, Throwable cause) {
      if (problem == null) {
        problem = new Problem(at, where, kind, detail, cause);
      }
      return false;
    }
  }
}
