package io.longtail.datasets.lvis;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Typed reading of the values of one JSON record from a streaming parser, remembering the first
 * problem of the record instead of throwing, so that the caller can name the record (with its id,
 * which may come after the bad field) and then throw or skip.
 *
 * <p>Every {@code read*} method expects the parser on the value's first token and leaves it on the
 * value's last token, also after a problem. Values of records with a problem are meaningless.
 */
final class JsonFields {

  /** The first problem of a record. */
  record Problem(AnnotationProblem kind, String field, String detail) {}

  private static final JsonFactory FACTORY =
      new JsonFactoryBuilder()
          // NaN and Infinity (written by Python's json module) are read, then reported as bad
          // values with their record and field instead of as a syntax error.
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
          .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .build();

  private final Path file;
  private final JsonParser parser;
  private Problem problem;
  private String section;
  private int index = -1;
  private double[] buffer = new double[256];

  private JsonFields(Path file, JsonParser parser) {
    this.file = file;
    this.parser = parser;
  }

  /** Opens a file ({@code .gz} files are decompressed) for streaming. */
  static JsonFields open(Path file) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    if (file.getFileName().toString().endsWith(".gz")) {
      in = new GZIPInputStream(in, 1 << 16);
    }
    return new JsonFields(file, FACTORY.createParser(in));
  }

  JsonParser parser() {
    return parser;
  }

  Path file() {
    return file;
  }

  void close() throws IOException {
    parser.close();
  }

  /** The next token; a syntax error becomes an {@link AnnotationFileException} for the file. */
  JsonToken next(String record) throws IOException {
    try {
      return parser.nextToken();
    } catch (JsonParseException e) {
      throw notJson(record, e);
    }
  }

  /** Skips the children of the current token, as {@link #next} does with syntax errors. */
  void skip(String record) throws IOException {
    try {
      parser.skipChildren();
    } catch (JsonParseException e) {
      throw notJson(record, e);
    }
  }

  /**
   * Sets the record being read, named in syntax errors: {@code section[index]}, or no record when
   * {@code index < 0}.
   */
  void position(String section, int index) {
    this.section = section;
    this.index = index;
  }

  AnnotationFileException notJson(String record, JsonParseException e) {
    if (record == null && index >= 0) {
      record = section + "[" + index + "]";
    }
    return new AnnotationFileException(
        file,
        record,
        null,
        AnnotationProblem.NOT_JSON,
        "not valid JSON at line "
            + e.getLocation().getLineNr()
            + ", column "
            + e.getLocation().getColumnNr()
            + ": "
            + e.getOriginalMessage(),
        e);
  }

  AnnotationFileException error(
      String record, String field, AnnotationProblem kind, String detail) {
    return new AnnotationFileException(file, record, field, kind, detail, null);
  }

  AnnotationFileException error(String record, Problem p) {
    return new AnnotationFileException(file, record, p.field(), p.kind(), p.detail(), null);
  }

  /** Starts a record: forgets the previous record's problem. */
  void beginRecord() {
    problem = null;
  }

  /** The first problem of the current record, or {@code null}. */
  Problem problem() {
    return problem;
  }

  /** Records a problem unless the record already has one. */
  void fail(AnnotationProblem kind, String field, String detail) {
    if (problem == null) {
      problem = new Problem(kind, field, detail);
    }
  }

  private void wrongType(String field, String expected) throws IOException {
    fail(AnnotationProblem.WRONG_TYPE, field, "expected " + expected + ", got " + describe());
    skip(null);
  }

  private String describe() throws IOException {
    JsonToken t = parser.currentToken();
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "the string \"" + parser.getText() + "\"";
      case VALUE_NULL -> "null";
      default -> parser.getText();
    };
  }

  /** Whether the current value is JSON {@code null} (treated as an absent field). */
  boolean isNull() {
    return parser.currentToken() == JsonToken.VALUE_NULL;
  }

  /** An integral number (an integral float such as {@code 640.0} is accepted). */
  long readLong(String field) throws IOException {
    JsonToken t = parser.currentToken();
    if (t == JsonToken.VALUE_NUMBER_INT) {
      if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
        fail(AnnotationProblem.BAD_VALUE, field, "integer out of range, got " + parser.getText());
        return 0;
      }
      return parser.getLongValue();
    }
    if (t == JsonToken.VALUE_NUMBER_FLOAT) {
      double d = parser.getDoubleValue();
      if (d == Math.rint(d) && Math.abs(d) < 0x1p53) {
        return (long) d;
      }
      fail(AnnotationProblem.BAD_VALUE, field, "expected an integer, got " + parser.getText());
      return 0;
    }
    wrongType(field, "an integer");
    return 0;
  }

  /** An integral number in the {@code int} range. */
  int readInt(String field) throws IOException {
    long v = readLong(field);
    if (v != (int) v) {
      fail(AnnotationProblem.BAD_VALUE, field, "integer out of range, got " + v);
      return 0;
    }
    return (int) v;
  }

  /** A finite number. */
  double readDouble(String field) throws IOException {
    JsonToken t = parser.currentToken();
    if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
      double d = parser.getDoubleValue();
      if (!Double.isFinite(d)) {
        fail(AnnotationProblem.BAD_VALUE, field, "must be finite, got " + parser.getText());
      }
      return d;
    }
    wrongType(field, "a number");
    return 0;
  }

  /** A string. */
  String readString(String field) throws IOException {
    if (parser.currentToken() == JsonToken.VALUE_STRING) {
      return parser.getText();
    }
    wrongType(field, "a string");
    return null;
  }

  /** A flag given as {@code 0}/{@code 1} (COCO) or as a boolean. */
  boolean readFlag(String field) throws IOException {
    JsonToken t = parser.currentToken();
    if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
      return t == JsonToken.VALUE_TRUE;
    }
    if (t == JsonToken.VALUE_NUMBER_INT) {
      long v = parser.getLongValue();
      if (v == 0 || v == 1) {
        return v == 1;
      }
      fail(AnnotationProblem.BAD_VALUE, field, "must be 0 or 1, got " + v);
      return false;
    }
    wrongType(field, "0, 1 or a boolean");
    return false;
  }

  /** An array of integers. */
  List<Integer> readIntList(String field) throws IOException {
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      wrongType(field, "an array of integers");
      return List.of();
    }
    List<Integer> values = new ArrayList<>();
    while (next(null) != JsonToken.END_ARRAY) {
      values.add(readInt(field + "[" + values.size() + "]"));
    }
    return values;
  }

  /** An array of strings. */
  List<String> readStringList(String field) throws IOException {
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      wrongType(field, "an array of strings");
      return List.of();
    }
    List<String> values = new ArrayList<>();
    while (next(null) != JsonToken.END_ARRAY) {
      values.add(readString(field + "[" + values.size() + "]"));
    }
    return values;
  }

  /**
   * A COCO box {@code [x, y, w, h]}: four finite numbers, {@code w, h >= 0} (a negative size is
   * {@link AnnotationProblem#NEGATIVE_BOX_SIZE}).
   */
  double[] readBbox(String field) throws IOException {
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      wrongType(field, "an array [x, y, w, h]");
      return null;
    }
    double[] box = new double[4];
    int n = 0;
    while (next(null) != JsonToken.END_ARRAY) {
      double v = readDouble(field + "[" + n + "]");
      if (n < 4) {
        box[n] = v;
      }
      n++;
    }
    if (n != 4) {
      fail(AnnotationProblem.BAD_VALUE, field, "must have 4 values [x, y, w, h], got " + n);
    } else if (box[2] < 0 || box[3] < 0) {
      fail(
          AnnotationProblem.NEGATIVE_BOX_SIZE,
          field,
          "width and height must be >= 0, got [" + box[2] + ", " + box[3] + "]");
    }
    return box;
  }

  /**
   * A segmentation: an array of polygons, or an RLE object {@code {"size": [h, w], "counts": ...}}
   * with string (compressed) or integer (uncompressed) counts.
   */
  Segmentation readSegmentation(String field) throws IOException {
    JsonToken t = parser.currentToken();
    if (t == JsonToken.START_ARRAY) {
      return readPolygons(field);
    }
    if (t == JsonToken.START_OBJECT) {
      return readRle(field, true);
    }
    wrongType(field, "an array of polygons or an RLE object");
    return null;
  }

  private PolygonSegmentation readPolygons(String field) throws IOException {
    List<double[]> parts = new ArrayList<>(2);
    while (next(null) != JsonToken.END_ARRAY) {
      String partField = field + "[" + parts.size() + "]";
      if (parser.currentToken() != JsonToken.START_ARRAY) {
        wrongType(partField, "a polygon [x0, y0, x1, y1, ...]");
        parts.add(null);
        continue;
      }
      int n = 0;
      JsonToken v;
      while ((v = next(null)) != JsonToken.END_ARRAY) {
        double d;
        if (v == JsonToken.VALUE_NUMBER_FLOAT || v == JsonToken.VALUE_NUMBER_INT) {
          d = parser.getDoubleValue();
          if (!Double.isFinite(d)) {
            fail(AnnotationProblem.BAD_VALUE, partField, "coordinates must be finite, got " + d);
          }
        } else {
          wrongType(partField + "[" + n + "]", "a number");
          d = 0;
        }
        if (n == buffer.length) {
          buffer = Arrays.copyOf(buffer, 2 * n);
        }
        buffer[n++] = d;
      }
      if (n % 2 != 0) {
        fail(
            AnnotationProblem.ODD_POLYGON_COORDINATES,
            partField,
            "a polygon needs an even number of coordinates, got " + n);
      } else if (n < 6) {
        fail(
            AnnotationProblem.TOO_FEW_POLYGON_POINTS,
            partField,
            "a polygon needs at least 3 points, got " + n / 2);
      }
      parts.add(Arrays.copyOf(buffer, n));
    }
    if (parts.isEmpty()) {
      fail(
          AnnotationProblem.TOO_FEW_POLYGON_POINTS,
          field,
          "must hold at least one polygon, got []");
    }
    if (problem != null) {
      return null;
    }
    return new PolygonSegmentation(parts.toArray(new double[0][]));
  }

  /**
   * An RLE object {@code {"size": [h, w], "counts": ...}}; with {@code allowUncompressed} false
   * only string counts are accepted.
   */
  Segmentation readRle(String field, boolean allowUncompressed) throws IOException {
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      wrongType(field, "an RLE object {\"size\": [h, w], \"counts\": \"...\"}");
      return null;
    }
    List<Integer> size = null;
    String compressed = null;
    int[] counts = null;
    while (next(null) == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      next(null);
      if (isNull()) {
        continue;
      }
      switch (name) {
        case "size" -> size = readIntList(field + ".size");
        case "counts" -> {
          JsonToken t = parser.currentToken();
          if (t == JsonToken.VALUE_STRING) {
            compressed = parser.getText();
          } else if (t == JsonToken.START_ARRAY && allowUncompressed) {
            counts = readIntList(field + ".counts").stream().mapToInt(Integer::intValue).toArray();
          } else {
            wrongType(
                field + ".counts",
                allowUncompressed ? "a string or an array of integers" : "a string");
          }
        }
        default -> skip(null);
      }
    }
    if (size == null) {
      fail(AnnotationProblem.MISSING_FIELD, field + ".size", "is required");
    } else if (size.size() != 2 || size.get(0) < 0 || size.get(1) < 0) {
      fail(AnnotationProblem.BAD_VALUE, field + ".size", "must be [h, w] >= 0, got " + size);
    }
    if (compressed == null && counts == null) {
      fail(AnnotationProblem.MISSING_FIELD, field + ".counts", "is required");
    }
    if (problem != null) {
      return null;
    }
    int h = size.get(0);
    int w = size.get(1);
    if (compressed != null) {
      return new RleSegmentation(h, w, compressed);
    }
    long sum = 0;
    for (int c : counts) {
      if (c < 0) {
        fail(AnnotationProblem.BAD_VALUE, field + ".counts", "run lengths must be >= 0, got " + c);
        return null;
      }
      sum += c;
    }
    if (sum != (long) h * w) {
      fail(
          AnnotationProblem.BAD_VALUE,
          field + ".counts",
          "run lengths must sum to h * w = " + (long) h * w + ", got " + sum);
      return null;
    }
    return new UncompressedRleSegmentation(h, w, counts);
  }
}
