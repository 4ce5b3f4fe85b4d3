package io.longtail.datasets.lvis;

import io.longtail.core.concurrent.Tasks;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.zip.GZIPInputStream;

/**
 * Reads a COCO/LVIS results file (as written by {@link ResultsWriter} or by detectron2 and the
 * official tools): the one reader of the format, for a list of {@link Detection}s checked against
 * the ground truth ({@link #read(Path, LvisDataset)}) and for the flat arrays of the evaluator
 * ({@link #read(Path, int, IntFunction)}, parsing pieces of the file in parallel).
 *
 * <p>Each record needs {@code image_id}, {@code category_id}, a finite {@code score}, and a {@code
 * bbox} (four finite numbers, {@code w, h >= 0}) or a compressed RLE {@code segmentation} ({@code
 * {"size": [h, w], "counts": "..."}}), or both. Other fields are ignored; JSON {@code null} counts
 * as absent; an integral float such as {@code 5.0} is accepted as an integer. Any problem throws an
 * {@link AnnotationFileException} naming the file, the record ({@code results[12]}) and the field;
 * syntax errors name the byte offset.
 *
 * <p>The parser works on the file's bytes (a results file of an LVIS v1 val run holds 6 million
 * records and 0.5 to 1.4 GB): it reads the fields it knows into primitives and skips the others,
 * without a token or string object per value; masks stay compressed RLE bytes. Measured on the 523
 * MB box results of {@code bench/eval-benchmark.sh} (6M records, warm JVM, 2 busy cores): 1.9 to
 * 2.5 s CPU, where the earlier reader on Jackson's streaming parser took 4.2 to 5.6 s (mostly
 * number tokens and {@code getDoubleValue}). Numbers convert exactly as {@link Double#parseDouble}
 * does (correctly rounded): a mantissa up to 2^53 and a power of ten up to 22 in one exact
 * floating-point operation, anything else through {@code parseDouble}.
 *
 * <p>Box results of the usual shape (the four fields, plain decimals) take a fast path that matches
 * names and digits eight bytes at a time; anything else falls back to the general parser, which
 * also reports the problems. On the same file, one thread, warm JVM, measured alternately in one
 * session: 1.5 to 1.9 s with the fast path, 2.6 to 2.9 s without.
 *
 * <p>How the file is split: at about equal byte offsets, moved forward to the next {@code "}, {"}
 * between records. A split that fell inside a string is detected (the piece before it then does not
 * end exactly there) and the file is read again in one piece. Gzipped files ({@code .gz}) are read
 * in one piece.
 */
public final class ResultsReader {

  /** Pieces are at least this large; smaller files are read in one piece. */
  private static final long MIN_CHUNK = 8L << 20;

  /** How far past a nominal split the next record start is looked for. */
  private static final int SCAN_WINDOW = 1 << 20;

  private ResultsReader() {}

  /**
   * Receives the records of one piece of the file, in file order. The arrays passed in are the
   * reader's buffers: valid during the call only.
   */
  public interface Sink {

    /**
     * One record.
     *
     * @param imageId {@code image_id}
     * @param categoryId {@code category_id}
     * @param score {@code score}, finite
     * @param bbox {@code [x, y, w, h]}, finite, {@code w, h >= 0}; {@code null} without a box
     * @param maskHeight {@code segmentation.size[0]}, or -1 without a mask
     * @param maskWidth {@code segmentation.size[1]}, or -1 without a mask
     * @param counts {@code segmentation.counts} as UTF-8 bytes (unescaped), in {@code
     *     counts[countsFrom, countsTo)}; {@code null} without a mask
     * @param countsFrom first byte of the counts string
     * @param countsTo end of the counts string (exclusive)
     */
    void add(
        long imageId,
        int categoryId,
        double score,
        double[] bbox,
        int maskHeight,
        int maskWidth,
        byte[] counts,
        int countsFrom,
        int countsTo);
  }

  /**
   * Reads a results file and checks it against the ground truth: every {@code image_id} and {@code
   * category_id} must be in the dataset, and a mask's {@code size} must be its image's {@code
   * [height, width]}.
   *
   * @param file a JSON array of results, optionally gzip-compressed ({@code .gz})
   * @param dataset the ground truth the results refer to
   * @return the detections, in file order
   * @throws AnnotationFileException for bad content, naming file, record and field
   * @throws IOException if the file cannot be read
   */
  public static List<Detection> read(Path file, LvisDataset dataset) throws IOException {
    List<Detection> detections = new ArrayList<>();
    for (DetectionList part : read(file, 1, n -> new DetectionList())) {
      detections.addAll(part.detections);
    }
    for (int i = 0; i < detections.size(); i++) {
      check(file, i, detections.get(i), dataset);
    }
    return detections;
  }

  private static void check(Path file, int index, Detection d, LvisDataset dataset) {
    String record = "results[" + index + "]";
    if (!dataset.hasImage(d.imageId())) {
      throw new AnnotationFileException(
          file,
          record,
          "image_id",
          AnnotationProblem.UNKNOWN_IMAGE,
          "image " + d.imageId() + " is not in the ground truth",
          null);
    }
    if (!dataset.hasCategory(d.categoryId())) {
      throw new AnnotationFileException(
          file,
          record,
          "category_id",
          AnnotationProblem.UNKNOWN_CATEGORY,
          "category " + d.categoryId() + " is not in the ground truth",
          null);
    }
    RleSegmentation m = d.segmentation();
    ImageInfo image = dataset.image(d.imageId());
    if (m != null && (m.height() != image.height() || m.width() != image.width())) {
      throw new AnnotationFileException(
          file,
          record,
          "segmentation.size",
          AnnotationProblem.BAD_VALUE,
          "must be the image size ["
              + image.height()
              + ", "
              + image.width()
              + "], got ["
              + m.height()
              + ", "
              + m.width()
              + "]",
          null);
    }
  }

  /** Collects {@link Detection}s. */
  static final class DetectionList implements Sink {
    final List<Detection> detections = new ArrayList<>();

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
      RleSegmentation mask =
          counts == null
              ? null
              : new RleSegmentation(
                  maskHeight,
                  maskWidth,
                  new String(counts, countsFrom, countsTo - countsFrom, StandardCharsets.UTF_8));
      detections.add(new Detection(imageId, categoryId, bbox, score, mask));
    }
  }

  /**
   * Reads a results file into sinks, parsing pieces of it in parallel; does not look at the ground
   * truth (the caller checks image and category ids against it).
   *
   * @param file a JSON array of results, optionally gzip-compressed ({@code .gz})
   * @param threads parser threads, {@code >= 1}
   * @param sinks makes the sink of one piece, given the number of records expected in it (a hint
   *     for presizing); called again for every piece if the file has to be read again in one piece
   * @param <S> the sink type
   * @return the sinks of the pieces, in file order: their records are the file's, in order
   * @throws AnnotationFileException for bad content, naming file, record and field
   * @throws IOException if the file cannot be read
   */
  public static <S extends Sink> List<S> read(Path file, int threads, IntFunction<S> sinks)
      throws IOException {
    return read(file, threads, MIN_CHUNK, sinks);
  }

  /** {@link #read(Path, int, IntFunction)} with pieces of at least {@code minChunk} bytes. */
  static <S extends Sink> List<S> read(Path file, int threads, long minChunk, IntFunction<S> sinks)
      throws IOException {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString());
    }
    if (file.getFileName().toString().endsWith(".gz")) {
      try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
        Chunk<S> c = new Chunk<>(file, 0, Long.MAX_VALUE, sinks.apply(0));
        c.parse(in);
        if (c.problem != null) {
          throw c.problem.toException(file, 0);
        }
        return List.of(c.sink);
      }
    }
    long size = Files.size(file);
    double recordsPerByte = recordDensity(file, size);
    List<Long> starts = splits(file, size, threads, minChunk);
    if (starts.size() == 1) {
      return List.of(readWhole(file, size, recordsPerByte, sinks));
    }
    List<Chunk<S>> chunks = new ArrayList<>();
    for (int i = 0; i < starts.size(); i++) {
      long end = i + 1 < starts.size() ? starts.get(i + 1) : Long.MAX_VALUE;
      long bytes = (i + 1 < starts.size() ? end : size) - starts.get(i);
      chunks.add(
          new Chunk<>(file, starts.get(i), end, sinks.apply(expected(bytes, recordsPerByte))));
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, chunks.size()));
    try {
      List<Future<Void>> futures = new ArrayList<>();
      for (Chunk<S> c : chunks) {
        futures.add(
            pool.submit(
                () -> {
                  try (InputStream in = c.open()) {
                    c.parse(in);
                  }
                  return null;
                }));
      }
      for (Future<Void> f : futures) {
        Tasks.join(f, "reading " + file);
      }
    } finally {
      pool.shutdownNow();
    }
    // Problems and misplaced splits, in file order: the first one decides.
    long before = 0;
    for (Chunk<S> c : chunks) {
      if (c.misaligned) {
        chunks.clear();
        return List.of(readWhole(file, size, recordsPerByte, sinks));
      }
      if (c.problem != null) {
        throw c.problem.toException(file, before);
      }
      before += c.count;
    }
    List<S> out = new ArrayList<>(chunks.size());
    for (Chunk<S> c : chunks) {
      out.add(c.sink);
    }
    return out;
  }

  private static <S extends Sink> S readWhole(
      Path file, long size, double recordsPerByte, IntFunction<S> sinks) throws IOException {
    Chunk<S> c = new Chunk<>(file, 0, Long.MAX_VALUE, sinks.apply(expected(size, recordsPerByte)));
    try (InputStream in = c.open()) {
      c.parse(in);
    }
    if (c.problem != null) {
      throw c.problem.toException(file, 0);
    }
    return c.sink;
  }

  /** Expected records in {@code bytes}, a little generous to avoid regrowing arrays. */
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

  /** Piece starts: 0 and the record starts found after equally spaced offsets. */
  private static List<Long> splits(Path file, long size, int threads, long minChunk)
      throws IOException {
    List<Long> starts = new ArrayList<>();
    starts.add(0L);
    // More pieces than threads even out pieces that parse at different speeds.
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
    while (i < n && JsonBytes.isWhitespace(b[i])) {
      i++;
    }
    return i;
  }

  /** The first problem of a piece, at a piece-local record index. */
  private record Problem(long localIndex, String field, AnnotationProblem kind, String detail) {

    AnnotationFileException toException(Path file, long recordsBefore) {
      String record = localIndex < 0 ? null : "results[" + (recordsBefore + localIndex) + "]";
      return new AnnotationFileException(file, record, field, kind, detail, null);
    }
  }

  /** Little-endian views of byte arrays, for the fast path. */
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private static final VarHandle INTS =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  private static final long[] POW10 = new long[9];

  static {
    POW10[0] = 1;
    for (int i = 1; i < POW10.length; i++) {
      POW10[i] = 10 * POW10[i - 1];
    }
  }

  /** The field names of the fast path as little-endian words (with their closing quote). */
  private static final long IMAGE_ID_8 = word("image_id");

  private static final long CATEGORY_8 = word("category");
  private static final int ID_QUOTE_4 = (int) word("_id\"");
  private static final long SCORE_QUOTE_6 = word("score\"");
  private static final long BBOX_QUOTE_5 = word("bbox\"");

  private static long word(String s) {
    long w = 0;
    for (int i = s.length() - 1; i >= 0; i--) {
      w = w << 8 | s.charAt(i);
    }
    return w;
  }

  /** Known field names, as bytes. */
  private static final byte[] IMAGE_ID = JsonBytes.ascii("image_id");

  private static final byte[] CATEGORY_ID = JsonBytes.ascii("category_id");
  private static final byte[] SCORE = JsonBytes.ascii("score");
  private static final byte[] BBOX = JsonBytes.ascii("bbox");
  private static final byte[] SEGMENTATION = JsonBytes.ascii("segmentation");
  private static final byte[] SIZE = JsonBytes.ascii("size");
  private static final byte[] COUNTS = JsonBytes.ascii("counts");
  private static final String[] BBOX_FIELDS = {"bbox[0]", "bbox[1]", "bbox[2]", "bbox[3]"};

  /** One piece of the file, its parser state and its sink. */
  private static final class Chunk<S extends Sink> extends JsonBytes {
    final Path file;
    final long start;
    final long end;
    final S sink;
    Problem problem;
    boolean misaligned;
    long count;

    /** Whether {@link #fastRecord()} is tried first; off when it keeps falling back. */
    private boolean fastPath = true;

    private long fastFallbacks;

    /** The value the last {@link #fastNumber} read. */
    private double fastValue;

    private long fastInteger;

    private final double[] box = new double[4];

    Chunk(Path file, long start, long end, S sink) {
      this.file = file;
      this.start = start;
      this.end = end;
      this.sink = sink;
    }

    InputStream open() throws IOException {
      FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
      ch.position(start);
      return Channels.newInputStream(ch);
    }

    void parse(InputStream input) throws IOException {
      start(input, start);
      try {
        if (start == 0) {
          int c = nextNonWhitespace();
          if (c != '[') {
            fail(
                -1,
                null,
                c < 0 ? AnnotationProblem.NOT_JSON : AnnotationProblem.WRONG_TYPE,
                c < 0 ? "the file is empty" : "expected a JSON array of results");
          }
          c = nextNonWhitespace();
          if (c == ']') {
            finish();
            return;
          }
          if (c < 0) {
            syntax("unexpected end of file");
          }
          pos--;
        }
        while (true) {
          skipWhitespace();
          if (end != Long.MAX_VALUE) {
            long offset = bufOffset + pos;
            if (offset >= end) {
              misaligned = offset != end;
              return;
            }
          }
          if (!(fastPath && fastRecord())) {
            record();
          }
          count++;
          int c = nextNonWhitespace();
          if (c == ']') {
            finish();
            return;
          }
          if (c != ',') {
            syntax("expected ',' or ']' after a result");
          }
        }
      } catch (Stop e) {
        // the problem is recorded
      }
    }

    /** After the closing bracket: the file must end (the last piece) or a split was misplaced. */
    private void finish() throws IOException, Stop {
      if (end != Long.MAX_VALUE) {
        misaligned = true; // the array ended before the next piece's start
        return;
      }
      if (nextNonWhitespace() >= 0) {
        fail(-1, null, AnnotationProblem.NOT_JSON, "unexpected content after the results array");
      }
    }

    // ---- one record ---------------------------------------------------------------------------

    /** Bytes the fast path looks at for one record: longer records take the general path. */
    private static final int FAST_WINDOW = 512;

    /**
     * Reads a record of the common box-result shape straight from the buffer: the fields {@code
     * image_id}, {@code category_id} (integers), {@code score} and {@code bbox} (plain decimals, at
     * most 18 digits, no exponent), each once, in any order, and nothing else. Returns false and
     * moves nothing for anything else (masks, other fields, nulls, exponents, long numbers, bad
     * values, a record longer than 512 bytes): {@link #record()} then reads the record and reports
     * its problems. The values are the same as {@link #record()}'s: the numbers go through the same
     * exact conversion. About 1.6 times as fast as {@link #record()} (class comment); it leaves
     * mask results to {@link #record()} after falling back on most of the first records.
     */
    private boolean fastRecord() throws IOException {
      ensure(FAST_WINDOW);
      byte[] b = buf;
      int l = Math.min(lim, pos + FAST_WINDOW);
      int p = pos;
      if (p >= l || b[p] != '{') {
        return false;
      }
      p++;
      long imageId = 0;
      long categoryId = 0;
      double score = 0;
      int seen = 0;
      while (true) {
        p = skipSpace(b, p, l);
        if (p >= l || b[p] != '"') {
          return fallBack();
        }
        p++;
        // The four names, with their closing quote, compared eight bytes at a time.
        if (p + 12 > l) {
          return fallBack();
        }
        long w = (long) LONGS.get(b, p);
        // One bit per field: image_id 1, category_id 2, score 4, bbox 8.
        int bit;
        if (w == IMAGE_ID_8 && b[p + 8] == '"') {
          bit = 1;
          p += 9;
        } else if (w == CATEGORY_8 && ((int) INTS.get(b, p + 8)) == ID_QUOTE_4) {
          bit = 2;
          p += 12;
        } else if ((w & 0xffff_ffff_ffffL) == SCORE_QUOTE_6) {
          bit = 4;
          p += 6;
        } else if ((w & 0xff_ffff_ffffL) == BBOX_QUOTE_5) {
          bit = 8;
          p += 5;
        } else {
          return fallBack();
        }
        p = skipSpace(b, p, l);
        if (p >= l || b[p] != ':') {
          return fallBack();
        }
        p = skipSpace(b, p + 1, l);
        if (bit != 8) {
          p = fastNumber(b, p, l, bit != 4);
          if (p < 0) {
            return fallBack();
          }
          if (bit == 1) {
            imageId = fastInteger;
          } else if (bit == 2) {
            categoryId = fastInteger;
          } else {
            score = fastValue;
          }
        } else {
          if (p >= l || b[p] != '[') {
            return fallBack();
          }
          p++;
          for (int k = 0; k < 4; k++) {
            p = fastNumber(b, skipSpace(b, p, l), l, false);
            if (p < 0) {
              return fallBack();
            }
            box[k] = fastValue;
            p = skipSpace(b, p, l);
            if (p >= l || b[p] != (k < 3 ? ',' : ']')) {
              return fallBack();
            }
            p++;
          }
          if (box[2] < 0 || box[3] < 0) {
            return fallBack();
          }
        }
        if ((seen & bit) != 0) {
          return fallBack();
        }
        seen |= bit;
        p = skipSpace(b, p, l);
        if (p >= l) {
          return fallBack();
        }
        if (b[p] == '}') {
          p++;
          break;
        }
        if (b[p] != ',') {
          return fallBack();
        }
        p++;
      }
      if (seen != 15 || categoryId < Integer.MIN_VALUE || categoryId > Integer.MAX_VALUE) {
        return fallBack();
      }
      pos = p;
      sink.add(imageId, (int) categoryId, score, box, -1, -1, null, 0, 0);
      return true;
    }

    /** Counts a fall-back; turns the fast path off when most records fall back. */
    private boolean fallBack() {
      fastFallbacks++;
      if (fastFallbacks >= 64 && fastFallbacks * 2 > count) {
        fastPath = false;
      }
      return false;
    }

    /** The value of the digits the last {@link #digitRun} read, after the ones before them. */
    private long runValue;

    /**
     * Counts the decimal digits at {@code b[p, l)}, eight at a time, and sets {@link #runValue} to
     * {@code before * 10^count + their value} (exact while the digits, those before included, are
     * at most 18; a caller rejects more).
     */
    private int digitRun(byte[] b, int p, int l, long before) {
      long v = before;
      int n = 0;
      while (n <= 18) {
        int k;
        if (p + 8 <= b.length) {
          // Digits become bytes 0..9; the first other byte is the lowest with its top bit set in
          // (t + 0x76) | t (a carry from it only reaches the bytes above).
          long t = (long) LONGS.get(b, p) ^ 0x3030_3030_3030_3030L;
          long other = ((t + 0x7676_7676_7676_7676L) | t) & 0x8080_8080_8080_8080L;
          k = Math.min(other == 0 ? 8 : firstMarkedByte(other), l - p);
          if (k > 0) {
            // The k digits to the top bytes, zeros (leading zero digits) below them.
            v = v * POW10[k] + eightDigits(t << (8 * (8 - k)));
          }
        } else {
          k = 0;
          while (k < 8 && p + k < l && b[p + k] >= '0' && b[p + k] <= '9') {
            v = 10 * v + (b[p + k] - '0');
            k++;
          }
        }
        n += k;
        p += k;
        if (k < 8) {
          break;
        }
      }
      runValue = v;
      return n;
    }

    /**
     * The index of the lowest byte of {@code marks} with its top bit set (marks has only top bits,
     * at least one). Multiplying the lowest mark's byte unit by 0x0001020304050607 shifts byte 7 -
     * k, whose value is k, into the top byte: no branches, and cheaper than {@link
     * Long#numberOfTrailingZeros} where the JIT does not make that one instruction (C1, which
     * {@code ./lt eval} uses).
     */
    private static int firstMarkedByte(long marks) {
      return (int) ((((marks & -marks) >>> 7) * 0x0001_0203_0405_0607L) >>> 56);
    }

    /** The value of eight digits 0..9, one per byte, the first in the lowest byte. */
    private static long eightDigits(long t) {
      t = (t & 0x0f0f_0f0f_0f0f_0f0fL) * 2561 >>> 8;
      t = (t & 0x00ff_00ff_00ff_00ffL) * 6553601 >>> 16;
      return (t & 0x0000_ffff_0000_ffffL) * 42949672960001L >>> 32;
    }

    private static int skipSpace(byte[] b, int p, int l) {
      while (p < l && JsonBytes.isWhitespace(b[p])) {
        p++;
      }
      return p;
    }

    /**
     * A plain decimal at {@code b[p]}: {@code -?(0|[1-9][0-9]*)(.[0-9]+)?} of at most 18 digits,
     * then a byte that cannot continue a number. Integers (no fraction) go to {@link #fastInteger}
     * when {@code integer}, else the value, converted exactly (one rounding), to {@link
     * #fastValue}. Returns the position after it, or -1 for anything else.
     */
    private int fastNumber(byte[] b, int p, int l, boolean integer) {
      boolean negative = false;
      if (p < l && b[p] == '-') {
        negative = true;
        p++;
      }
      int start = p;
      int intDigits = digitRun(b, p, l, 0);
      long mantissa = runValue;
      p += intDigits;
      if (intDigits == 0 || (intDigits > 1 && b[start] == '0')) {
        return -1;
      }
      int fracDigits = 0;
      if (p < l && b[p] == '.') {
        if (integer) {
          return -1;
        }
        p++;
        fracDigits = digitRun(b, p, l, mantissa);
        mantissa = runValue;
        p += fracDigits;
        if (fracDigits == 0) {
          return -1;
        }
      }
      if (intDigits + fracDigits > 18 || p >= l || JsonBytes.isNumberByte(b[p])) {
        return -1;
      }
      if (integer) {
        fastInteger = negative ? -mantissa : mantissa;
        return p;
      }
      if (mantissa > JsonBytes.EXACT_MANTISSA) {
        return -1;
      }
      // An integer converts as a long does ("-0" is 0.0), as in the general path.
      fastValue =
          fracDigits == 0
              ? (negative ? -mantissa : mantissa)
              : JsonBytes.exactDecimal(mantissa, -fracDigits, negative);
      return p;
    }

    private void record() throws IOException, Stop {
      int first = next();
      if (first != '{') {
        if (first == '['
            || first == '"'
            || first == '-'
            || (first >= '0' && first <= '9')
            || first == 't'
            || first == 'f'
            || first == 'n') {
          fail(count, null, AnnotationProblem.WRONG_TYPE, "expected an object");
        }
        syntax(first < 0 ? "unexpected end of file" : "expected a result object");
      }
      long imageId = 0;
      int categoryId = 0;
      double score = 0;
      boolean hasImage = false;
      boolean hasCategory = false;
      boolean hasScore = false;
      boolean hasBox = false;
      int maskHeight = -1;
      int maskWidth = -1;
      boolean hasMask = false;
      if (!empty('}')) {
        do {
          byte[] name = fieldName();
          int c = peekNonWhitespace();
          if (c == 'n' && literal("null")) {
            // null counts as absent
          } else if (name == IMAGE_ID) {
            imageId = integer("image_id", Long.MIN_VALUE, Long.MAX_VALUE);
            hasImage = true;
          } else if (name == CATEGORY_ID) {
            categoryId = (int) integer("category_id", Integer.MIN_VALUE, Integer.MAX_VALUE);
            hasCategory = true;
          } else if (name == SCORE) {
            score = number("score");
            if (!Double.isFinite(score)) {
              fail(count, "score", AnnotationProblem.BAD_VALUE, "must be finite, got " + score);
            }
            hasScore = true;
          } else if (name == BBOX) {
            readBox();
            hasBox = true;
          } else if (name == SEGMENTATION) {
            long size = readRle();
            maskHeight = (int) (size >>> 32);
            maskWidth = (int) size;
            hasMask = true;
          } else {
            skipValue();
          }
        } while (more('}', "result"));
      }
      if (!hasImage) {
        fail(count, "image_id", AnnotationProblem.MISSING_FIELD, "is required");
      }
      if (!hasCategory) {
        fail(count, "category_id", AnnotationProblem.MISSING_FIELD, "is required");
      }
      if (!hasScore) {
        fail(count, "score", AnnotationProblem.MISSING_FIELD, "is required");
      }
      if (!hasBox && !hasMask) {
        fail(count, "bbox", AnnotationProblem.MISSING_FIELD, "a result needs bbox or segmentation");
      }
      sink.add(
          imageId,
          categoryId,
          score,
          hasBox ? box : null,
          maskHeight,
          maskWidth,
          hasMask ? string : null,
          0,
          hasMask ? stringLength : 0);
    }

    @Override
    byte[] knownName(byte[] s, int from, int n) {
      byte[] k =
          switch (n) {
            case 4 -> s[from] == 'b' ? BBOX : SIZE;
            case 5 -> SCORE;
            case 6 -> COUNTS;
            case 8 -> IMAGE_ID;
            case 11 -> CATEGORY_ID;
            case 12 -> SEGMENTATION;
            default -> null;
          };
      if (k == null) {
        return null;
      }
      for (int i = 0; i < n; i++) {
        if (s[from + i] != k[i]) {
          return null;
        }
      }
      return k;
    }

    private void readBox() throws IOException, Stop {
      if (peekNonWhitespace() != '[') {
        wrongType("bbox", "must be an array [x, y, w, h]");
      }
      pos++;
      int n = 0;
      if (!empty(']')) {
        do {
          String field = n < 4 ? BBOX_FIELDS[n] : "bbox[" + n + "]";
          double v = number(field);
          if (n < 4) {
            if (!Double.isFinite(v)) {
              fail(count, field, AnnotationProblem.BAD_VALUE, "must be finite, got " + v);
            }
            box[n] = v;
          }
          n++;
        } while (more(']', "bbox"));
      }
      if (n != 4) {
        fail(
            count,
            "bbox",
            AnnotationProblem.BAD_VALUE,
            "must have 4 values [x, y, w, h], got " + n);
      }
      if (box[2] < 0 || box[3] < 0) {
        fail(
            count,
            "bbox",
            AnnotationProblem.NEGATIVE_BOX_SIZE,
            "width and height must be >= 0, got [" + box[2] + ", " + box[3] + "]");
      }
    }

    /** Reads a compressed RLE object into {@link #counts}; returns {@code h << 32 | w}. */
    private long readRle() throws IOException, Stop {
      if (peekNonWhitespace() != '{') {
        wrongType(
            "segmentation", "must be a compressed RLE {\"size\": [h, w], \"counts\": \"...\"}");
      }
      pos++;
      long h = -1;
      long w = -1;
      boolean hasCounts = false;
      if (!empty('}')) {
        do {
          byte[] name = fieldName();
          int c = peekNonWhitespace();
          if (c == 'n' && literal("null")) {
            // absent
          } else if (name == SIZE) {
            long size = readSize();
            h = size >>> 32;
            w = size & 0xffffffffL;
          } else if (name == COUNTS) {
            if (c != '"') {
              wrongType(
                  "segmentation.counts",
                  "expected a compressed RLE string (results cannot use uncompressed RLE)");
            }
            next();
            readString(true);
            hasCounts = true;
          } else {
            skipValue();
          }
        } while (more('}', "segmentation"));
      }
      if (h < 0) {
        fail(count, "segmentation.size", AnnotationProblem.MISSING_FIELD, "is required");
      }
      if (!hasCounts) {
        fail(count, "segmentation.counts", AnnotationProblem.MISSING_FIELD, "is required");
      }
      return h << 32 | w;
    }

    /** {@code [h, w]}, both in {@code [0, 2^31)}; returns {@code h << 32 | w}. */
    private long readSize() throws IOException, Stop {
      String field = "segmentation.size";
      if (peekNonWhitespace() != '[') {
        wrongType(field, "must be [h, w]");
      }
      pos++;
      long h = 0;
      long w = 0;
      int n = 0;
      if (!empty(']')) {
        do {
          long x = integer(field, 0, Integer.MAX_VALUE);
          if (n == 0) {
            h = x;
          } else if (n == 1) {
            w = x;
          }
          n++;
        } while (more(']', "segmentation.size"));
      }
      if (n != 2) {
        fail(
            count, field, AnnotationProblem.BAD_VALUE, "must be [h, w] >= 0, got " + n + " values");
      }
      return h << 32 | w;
    }

    /** An integer in {@code [min, max]} (an integral float is accepted). */
    private long integer(String field, long min, long max) throws IOException, Stop {
      int c = peekNonWhitespace();
      if (!(c == '-' || (c >= '0' && c <= '9'))) {
        if (c == 'N' || c == 'I' || c == '+') {
          double v = nonNumeric();
          fail(count, field, AnnotationProblem.BAD_VALUE, "must be an integer, got " + v);
        }
        wrongType(field, "must be an integer");
      }
      readNumber();
      long v;
      if (integral) {
        v = longValue;
      } else {
        double d = doubleValue;
        if (d != Math.rint(d) || Math.abs(d) >= 0x1p53) {
          fail(
              count, field, AnnotationProblem.BAD_VALUE, "must be an integer, got " + numberText());
        }
        v = (long) d;
      }
      if (v < min || v > max) {
        fail(
            count, field, AnnotationProblem.BAD_VALUE, "integer out of range, got " + numberText());
      }
      return v;
    }

    /**
     * A number, also {@code NaN} and {@code Infinity} (Python's json writes them; the caller
     * reports them as bad values with the field).
     */
    private double number(String field) throws IOException, Stop {
      int c = peekNonWhitespace();
      if (c == 'N' || c == 'I' || c == '+' || (c == '-' && peekAt(1) == 'I')) {
        return nonNumeric();
      }
      if (!(c == '-' || (c >= '0' && c <= '9'))) {
        wrongType(field, "must be a number");
      }
      readNumber();
      return integral ? (double) longValue : doubleValue;
    }

    // ---- problems ------------------------------------------------------------------------------

    private void wrongType(String field, String detail) throws IOException, Stop {
      fail(count, field, AnnotationProblem.WRONG_TYPE, detail + ", got " + describeNext());
    }

    @Override
    void syntax(String what) throws Stop {
      fail(
          count,
          null,
          AnnotationProblem.NOT_JSON,
          "not valid JSON at byte offset " + offset() + ": " + what);
    }

    private void fail(long at, String field, AnnotationProblem kind, String detail) throws Stop {
      if (problem == null) {
        problem = new Problem(at, field, kind, detail);
      }
      throw new Stop();
    }
  }
}
