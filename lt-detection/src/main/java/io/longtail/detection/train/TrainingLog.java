package io.longtail.detection.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The per-iteration metrics of a run, one JSON object per line in {@code metrics.jsonl} in the run
 * directory (detectron2's {@code metrics.json} is the same idea), e.g.
 *
 * <pre>{"iteration":12,"loss_rpn_cls":0.61,"loss_rpn_box":0.08,"loss_cls":1.9,"loss_box_reg":0.3,
 * "total_loss":2.89,"lr":0.0024,"seconds_per_iter":0.41,"time":"2025-01-31T10:15:30.120Z"}</pre>
 *
 * <p>The keys are {@code iteration}, each loss term by name in the order of {@link LossTerms},
 * {@code total_loss}, {@code lr}, {@code seconds_per_iter} and {@code time} (ISO-8601); a
 * non-finite value is written as the JSON string {@code "NaN"}, {@code "Infinity"} or {@code
 * "-Infinity"}. Lines are buffered and flushed every {@code flushEvery} lines, every {@code
 * flushInterval}, on {@link #flush()} and on {@link #close()}.
 *
 * <p>Resuming: opened with {@code startIteration = n} (the checkpoint's iteration), the log keeps
 * the existing lines of iterations {@code < n} and drops the rest (iterations that the killed run
 * got past its last checkpoint, and a partial last line), so after the resumed run the file equals
 * an uninterrupted run's. To make sure no line before a checkpoint is lost when the process is
 * killed, call {@link #flush()} right before saving each checkpoint.
 */
public final class TrainingLog implements Closeable {
  /** The log's file name in the run directory. */
  public static final String FILE_NAME = "metrics.jsonl";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final int flushEvery;
  private final long flushIntervalNanos;
  private final BufferedWriter writer;
  private long nextIteration;
  private int unflushed;
  private long lastFlush;

  private TrainingLog(Builder b) throws IOException {
    this.file = b.runDirectory.toAbsolutePath().resolve(FILE_NAME);
    this.flushEvery = b.flushEvery;
    this.flushIntervalNanos = b.flushInterval.toNanos();
    Files.createDirectories(file.getParent());
    truncateFrom(file, b.startIteration);
    this.writer =
        Files.newBufferedWriter(
            file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    this.nextIteration = b.startIteration;
    this.lastFlush = System.nanoTime();
  }

  /**
   * Starts configuring a log.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** The log file. */
  public Path file() {
    return file;
  }

  /**
   * Appends one iteration's line.
   *
   * @param metrics the values; iterations must increase and not precede the start iteration
   * @throws IOException if writing fails
   */
  public void append(IterationMetrics metrics) throws IOException {
    if (metrics.iteration() < nextIteration) {
      throw new IllegalArgumentException(
          "iteration must be >= " + nextIteration + " (increasing), got " + metrics.iteration());
    }
    writer.write(toJson(metrics));
    writer.newLine();
    nextIteration = metrics.iteration() + 1;
    unflushed++;
    if (unflushed >= flushEvery || System.nanoTime() - lastFlush >= flushIntervalNanos) {
      flush();
    }
  }

  /**
   * Writes buffered lines to the file.
   *
   * @throws IOException if writing fails
   */
  public void flush() throws IOException {
    writer.flush();
    unflushed = 0;
    lastFlush = System.nanoTime();
  }

  /** Flushes and closes the file. */
  @Override
  public void close() throws IOException {
    writer.close();
  }

  /**
   * Reads a log back (e.g. for plots or tests); a partial last line is skipped.
   *
   * @param file a {@code metrics.jsonl}
   * @return its lines in order, loss terms in their logged order
   * @throws IOException if the file cannot be read or a complete line is not a metrics object
   */
  public static List<IterationMetrics> read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<IterationMetrics> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      IterationMetrics m = parse(lines.get(i));
      if (m == null) {
        if (i == lines.size() - 1) {
          break;
        }
        throw new IOException(
            file + " line " + (i + 1) + " is not a metrics line: " + lines.get(i));
      }
      out.add(m);
    }
    return out;
  }

  private static void truncateFrom(Path file, long startIteration) throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    if (startIteration == 0) {
      Files.delete(file);
      return;
    }
    List<String> kept = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      IterationMetrics m = parse(line);
      if (m != null && m.iteration() < startIteration) {
        kept.add(line);
      }
    }
    Path tmp = Checkpoint.temporarySibling(file);
    try {
      Files.write(tmp, kept, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  static String toJson(IterationMetrics m) {
    ObjectNode o = JSON.createObjectNode();
    o.put("iteration", m.iteration());
    for (LossTerms.Term t : m.losses().terms()) {
      putNumber(o, t.name(), t.value());
    }
    putNumber(o, "total_loss", m.losses().total());
    putNumber(o, "lr", m.lr());
    putNumber(o, "seconds_per_iter", m.secondsPerIter());
    o.put("time", m.time().toString());
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void putNumber(ObjectNode o, String key, double value) {
    if (Double.isFinite(value)) {
      o.put(key, value);
    } else {
      o.put(key, Double.toString(value));
    }
  }

  /** The metrics of a line, or {@code null} if it is not one (e.g. cut by a kill). */
  private static IterationMetrics parse(String line) {
    try {
      JsonNode o = JSON.readTree(line);
      if (o == null || !o.isObject() || !o.path("iteration").isIntegralNumber()) {
        return null;
      }
      List<LossTerms.Term> terms = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!LossTerms.RESERVED.contains(e.getKey())) {
          terms.add(new LossTerms.Term(e.getKey(), number(e.getValue())));
        }
      }
      return new IterationMetrics(
          o.get("iteration").asLong(),
          new LossTerms(terms),
          number(o.path("lr")),
          number(o.path("seconds_per_iter")),
          Instant.parse(o.path("time").asText()));
    } catch (JsonProcessingException | RuntimeException e) {
      return null;
    }
  }

  private static double number(JsonNode n) {
    if (n.isNumber()) {
      return n.asDouble();
    }
    if (n.isTextual()) {
      return Double.parseDouble(n.asText()); // "NaN", "Infinity", "-Infinity"
    }
    throw new IllegalArgumentException("not a number: " + n);
  }

  /** Configures and opens a {@link TrainingLog}. */
  public static final class Builder {
    private Path runDirectory;
    private long startIteration;
    private int flushEvery = 20;
    private Duration flushInterval = Duration.ofSeconds(10);

    private Builder() {}

    /** The run directory (required; created if missing). */
    public Builder setRunDirectory(Path runDirectory) {
      this.runDirectory = Objects.requireNonNull(runDirectory, "runDirectory");
      return this;
    }

    /**
     * The first iteration this process will log (default 0: a fresh log, an existing file is
     * replaced); the resumed checkpoint's iteration when resuming.
     */
    public Builder optStartIteration(long startIteration) {
      if (startIteration < 0) {
        throw new IllegalArgumentException("startIteration must be >= 0, got " + startIteration);
      }
      this.startIteration = startIteration;
      return this;
    }

    /** Flush after this many lines (default 20). */
    public Builder optFlushEvery(int lines) {
      if (lines < 1) {
        throw new IllegalArgumentException("flushEvery must be >= 1, got " + lines);
      }
      this.flushEvery = lines;
      return this;
    }

    /** Flush when a line is appended this long after the last flush (default 10 s). */
    public Builder optFlushInterval(Duration interval) {
      if (interval.isNegative()) {
        throw new IllegalArgumentException("flushInterval must be >= 0, got " + interval);
      }
      this.flushInterval = interval;
      return this;
    }

    /**
     * Opens the log, truncating it to the lines before the start iteration.
     *
     * @return the log
     * @throws IOException if the file cannot be read or written
     */
    public TrainingLog open() throws IOException {
      if (runDirectory == null) {
        throw new IllegalArgumentException("runDirectory must be set, got none");
      }
      return new TrainingLog(this);
    }
  }
}
