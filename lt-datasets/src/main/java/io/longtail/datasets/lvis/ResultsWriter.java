package io.longtail.datasets.lvis;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes detections in the COCO/LVIS results format, one record at a time: a JSON array of {@code
 * {"image_id", "category_id", "bbox": [x, y, w, h], "score", "segmentation": {"size": [h, w],
 * "counts": "..."}}}, where {@code bbox} and {@code segmentation} appear when the detection has
 * them. Numbers are written in Java's shortest round-trip form, so {@link ResultsReader} gives back
 * equal values.
 *
 * <pre>{@code
 * try (ResultsWriter out = ResultsWriter.open(path)) {
 *   for (Detection d : detections) out.write(d);
 * }
 * }</pre>
 */
public final class ResultsWriter implements Closeable {

  private static final JsonFactory FACTORY = new JsonFactory();

  private final JsonGenerator generator;
  private long count;

  private ResultsWriter(JsonGenerator generator) throws IOException {
    this.generator = generator;
    generator.writeStartArray();
  }

  /**
   * Opens a results file for writing (created or truncated).
   *
   * @throws IOException if the file cannot be created
   */
  public static ResultsWriter open(Path file) throws IOException {
    OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
    return new ResultsWriter(FACTORY.createGenerator(out, JsonEncoding.UTF8));
  }

  /** Writes all detections to a results file. */
  public static void write(Path file, Iterable<Detection> detections) throws IOException {
    try (ResultsWriter out = open(file)) {
      for (Detection d : detections) {
        out.write(d);
      }
    }
  }

  /** Appends one detection. */
  public void write(Detection d) throws IOException {
    JsonGenerator g = generator;
    g.writeStartObject();
    g.writeNumberField("image_id", d.imageId());
    g.writeNumberField("category_id", d.categoryId());
    if (d.hasBbox()) {
      double[] b = d.bbox();
      g.writeFieldName("bbox");
      g.writeArray(b, 0, 4);
    }
    g.writeNumberField("score", d.score());
    RleSegmentation rle = d.segmentation();
    if (rle != null) {
      g.writeObjectFieldStart("segmentation");
      g.writeFieldName("size");
      g.writeArray(new int[] {rle.height(), rle.width()}, 0, 2);
      g.writeStringField("counts", rle.compressedCounts());
      g.writeEndObject();
    }
    g.writeEndObject();
    count++;
  }

  /** Number of detections written so far. */
  public long count() {
    return count;
  }

  /** Closes the array and the file. */
  @Override
  public void close() throws IOException {
    try {
      generator.writeEndArray();
    } finally {
      generator.close();
    }
  }
}
