package io.longtail.datasets.lvis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The parallel, piece-wise reading of {@link ResultsReader}; checks are in {@link ResultsIoTest}.
 */
class ResultsReaderTest {

  @TempDir Path tmp;

  private static Path resource(String name) throws Exception {
    return Path.of(ResultsReaderTest.class.getResource("/lvis-eval/" + name).toURI());
  }

  private static List<Detection> read(Path file, int threads, long minChunk) throws IOException {
    List<Detection> all = new ArrayList<>();
    for (ResultsReader.DetectionList part :
        ResultsReader.read(file, threads, minChunk, n -> new ResultsReader.DetectionList())) {
      all.addAll(part.detections);
    }
    return all;
  }

  @ParameterizedTest
  @ValueSource(strings = {"predictions-11-bbox.json", "predictions-12-segm.json"})
  void readsTheSameRecordsInAnyNumberOfPieces(String name) throws Exception {
    Path file = resource(name);
    LvisDataset gt = LvisReader.builder().build().read(resource("lvis-v0.5-val-100.json"));
    List<Detection> expected = ResultsReader.read(file, gt);
    assertThat(expected).hasSizeGreaterThan(100);
    assertThat(read(file, 1, Long.MAX_VALUE)).containsExactlyElementsOf(expected);
    // Pieces of ~4 KB: hundreds of splits, read by 3 threads.
    assertThat(read(file, 3, 4096)).containsExactlyElementsOf(expected);
  }

  @Test
  void splitInsideARecordFallsBackToOnePiece() throws Exception {
    // An unknown field holding objects puts "}, {" inside records: splits may land there.
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < 400; i++) {
      sb.append(i == 0 ? "" : ", ")
          .append("{\"image_id\": ")
          .append(i)
          .append(
              ", \"extra\": [{\"a\": 1}, {\"b\": [2, \"}, {\"]}, {\"c\": 3e5}], \"category_id\": 7,")
          .append(" \"bbox\": [1, 2, 3, 4], \"score\": ")
          .append(i / 400.0)
          .append("}");
    }
    Path file = tmp.resolve("extra.json");
    Files.writeString(file, sb.append("]").toString());
    List<Detection> one = read(file, 1, Long.MAX_VALUE);
    assertThat(one).hasSize(400);
    assertThat(one.get(399).score()).isEqualTo(399 / 400.0);
    for (long chunk : new long[] {50, 97, 200, 1000}) {
      assertThat(read(file, 4, chunk)).containsExactlyElementsOf(one);
    }
  }

  @Test
  void problemInALaterPieceNamesTheRecordOfTheFile() throws Exception {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < 300; i++) {
      String score = i == 250 ? "\"high\"" : Double.toString(i / 300.0);
      sb.append(i == 0 ? "" : ",\n")
          .append("{\"image_id\": 1, \"category_id\": 2, \"bbox\": [1, 2, 3, 4], \"score\": ")
          .append(score)
          .append("}");
    }
    Path file = tmp.resolve("bad.json");
    Files.writeString(file, sb.append("]").toString());
    for (long chunk : new long[] {Long.MAX_VALUE, 512}) {
      assertThatThrownBy(() -> read(file, 4, chunk))
          .isInstanceOf(AnnotationFileException.class)
          .hasMessageContaining(file.toString())
          .hasMessageContaining("results[250]")
          .hasMessageContaining("'score'")
          .extracting(e -> ((AnnotationFileException) e).problem())
          .isEqualTo(AnnotationProblem.WRONG_TYPE);
    }
  }

  @Test
  void rejectsSyntaxErrorsAndNonArrays() throws Exception {
    Path truncated = tmp.resolve("truncated.json");
    Files.writeString(truncated, "[{\"image_id\": 1, \"category_id\": 2, \"score\": 0.5,");
    assertThatThrownBy(() -> read(truncated, 2, Long.MAX_VALUE))
        .isInstanceOf(AnnotationFileException.class)
        .hasMessageContaining("not valid JSON")
        .extracting(e -> ((AnnotationFileException) e).problem())
        .isEqualTo(AnnotationProblem.NOT_JSON);
    Path object = tmp.resolve("object.json");
    Files.writeString(object, "{\"results\": []}");
    assertThatThrownBy(() -> read(object, 2, Long.MAX_VALUE))
        .isInstanceOf(AnnotationFileException.class)
        .hasMessageContaining("JSON array");
    Path trailing = tmp.resolve("trailing.json");
    Files.writeString(trailing, "[] x");
    assertThatThrownBy(() -> read(trailing, 2, Long.MAX_VALUE))
        .hasMessageContaining("after the results array");
    Path leadingZero = tmp.resolve("zero.json");
    Files.writeString(
        leadingZero,
        "[{\"image_id\": 01, \"category_id\": 2, \"bbox\": [1, 2, 3, 4], \"score\": 1}]");
    assertThatThrownBy(() -> read(leadingZero, 2, Long.MAX_VALUE))
        .hasMessageContaining("results[0]")
        .hasMessageContaining("not valid JSON");
    Path noBox = tmp.resolve("nobox.json");
    Files.writeString(noBox, "[{\"image_id\": 1, \"category_id\": 2, \"score\": 0.5}]");
    assertThatThrownBy(() -> read(noBox, 2, Long.MAX_VALUE))
        .hasMessageContaining("results[0]")
        .hasMessageContaining("bbox or segmentation");
  }

  @Test
  void readsNumbersExactlyAsParseDouble() throws Exception {
    String[] values = {
      "0",
      "-0.0",
      "1e-7",
      "0.1",
      "0.30000000000000004",
      "123456.789",
      "1.7976931348623157e308",
      "4.9e-324",
      "2.2250738585072014E-308",
      "9007199254740993",
      "0.000001234567890123456789",
      "12345678901234567890",
      "3.14159265358979323846",
      "1E22",
      "1e23",
      "-7.5e-3"
    };
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < values.length; i++) {
      sb.append(i == 0 ? "" : ",")
          .append("{\"image_id\": 1.0, \"category_id\": -3, \"score\": ")
          .append(values[i])
          .append(", \"bbox\": [")
          .append(values[i])
          .append(", 0, 1, 2]}");
    }
    Path file = tmp.resolve("numbers.json");
    Files.writeString(file, sb.append("]").toString());
    List<Detection> read = read(file, 1, Long.MAX_VALUE);
    for (int i = 0; i < values.length; i++) {
      double expected = Double.parseDouble(values[i]);
      assertThat(read.get(i).score()).as(values[i]).isEqualTo(expected);
      assertThat(read.get(i).bbox()[0]).as(values[i]).isEqualTo(expected);
      assertThat(read.get(i).imageId()).isEqualTo(1);
      assertThat(read.get(i).categoryId()).isEqualTo(-3);
    }
  }

  @Test
  void readsRandomNumbersExactlyAsParseDouble() throws Exception {
    java.util.Random random = new java.util.Random(7);
    List<String> values = new java.util.ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      double v = (random.nextDouble() - 0.2) * Math.pow(10, random.nextInt(12) - 4);
      String text =
          switch (i % 4) {
            case 0 -> Double.toString(v); // shortest repr, as Python writes
            case 1 -> String.format(java.util.Locale.ROOT, "%." + (1 + i % 19) + "f", v);
            case 2 -> String.format(java.util.Locale.ROOT, "%." + (i % 20) + "e", v);
            default -> Long.toString(random.nextLong() >>> random.nextInt(64)) + "." + i;
          };
      values.add(text);
    }
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < values.size(); i++) {
      sb.append(i == 0 ? "" : ",")
          .append("{\"image_id\": 1, \"category_id\": 1, \"score\": ")
          .append(values.get(i))
          .append(", \"bbox\": [0, 0, 1, 2]}");
    }
    Path file = tmp.resolve("random-numbers.json");
    Files.writeString(file, sb.append("]").toString());
    List<Detection> read = read(file, 1, Long.MAX_VALUE);
    for (int i = 0; i < values.size(); i++) {
      assertThat(read.get(i).score())
          .as(values.get(i))
          .isEqualTo(Double.parseDouble(values.get(i)));
    }
  }

  @Test
  void unescapesMaskStrings() throws Exception {
    Path file = tmp.resolve("escapes.json");
    Files.writeString(
        file,
        "[{\"image_id\": 1, \"category_id\": 2, \"score\": 0.5, \"segmentation\":"
            + " {\"counts\": \"a\\\\b\\\"c\\u0041\\/\", \"size\": [3, 4]}, \"extra\": null}]");
    Detection d = read(file, 1, Long.MAX_VALUE).get(0);
    assertThat(d.segmentation()).isEqualTo(new RleSegmentation(3, 4, "a\\b\"cA/"));
    assertThat(d.hasBbox()).isFalse();
  }

  @Test
  void readsEmptyArraysAndGzip() throws Exception {
    Path empty = tmp.resolve("empty.json");
    Files.writeString(empty, " [ ] ");
    assertThat(read(empty, 2, Long.MAX_VALUE)).isEmpty();

    Path gz = tmp.resolve("r.json.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(Files.readAllBytes(resource("predictions-12-bbox.json")));
    }
    assertThat(read(gz, 2, 4096))
        .containsExactlyElementsOf(read(resource("predictions-12-bbox.json"), 1, 4096));
  }

  /** A number as written in a results file, and the value the reader must give it. */
  private record Token(String text, double value) {
    static Token of(String text) {
      return new Token(text, expectedValue(text));
    }
  }

  /** A random number token, in the formats Python's json and numpy write (and a few others). */
  private static Token numberToken(java.util.SplittableRandom rnd) {
    String t =
        switch (rnd.nextInt(12)) {
          case 0 -> Integer.toString(rnd.nextInt(2000));
          case 1 -> "-0"; // the integer 0
          case 2 -> String.format(java.util.Locale.ROOT, "%.2f", rnd.nextDouble(0, 1000));
          case 3 -> Double.toString(rnd.nextDouble(0, 1000)); // up to 17 digits, as Python writes
          case 4 -> String.format(java.util.Locale.ROOT, "%.4f", rnd.nextDouble(0, 1));
          case 5 -> rnd.nextInt(1, 999) + "e" + rnd.nextInt(-3, 3); // exponent: general path
          case 6 -> "12345678901234567890." + rnd.nextInt(10); // 21 digits: general path
          case 7 -> "-0.0";
          case 8 -> "0." + "0".repeat(rnd.nextInt(1, 25)) + rnd.nextInt(1, 9); // tiny: scale < -22
          case 9 -> Long.toString(rnd.nextLong(1L << 53, Long.MAX_VALUE)); // long integer
          case 10 -> rnd.nextInt(100) + ".0";
          default -> String.format(java.util.Locale.ROOT, "%.6f", rnd.nextDouble(0, 1));
        };
    return Token.of(t);
  }

  /** An integer literal converts as a long does (so "-0" is 0.0), anything else as a double. */
  private static double expectedValue(String t) {
    boolean integral = !t.contains(".") && !t.contains("e");
    return integral ? (double) Long.parseLong(t) : Double.parseDouble(t);
  }

  /**
   * Records of every shape (field order, spacing, number formats, extra and null fields, masks)
   * read to the values Double.parseDouble gives, whichever path the reader takes for them.
   */
  @Test
  void everyRecordShapeReadsToTheExactValues() throws Exception {
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(11);
    StringBuilder sb = new StringBuilder("[");
    List<Detection> expected = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      long imageId = rnd.nextInt(3) == 0 ? rnd.nextLong(1L << 40) : rnd.nextInt(100_000);
      int categoryId = rnd.nextInt(1, 1300);
      Token score = numberToken(rnd);
      double[] box = new double[4];
      StringBuilder boxText = new StringBuilder("[");
      for (int k = 0; k < 4; k++) {
        Token n = numberToken(rnd);
        if (k < 2 && rnd.nextInt(4) == 0 && !n.text().startsWith("-")) {
          n = Token.of("-" + n.text()); // negative x, y
        }
        boxText.append(k == 0 ? "" : rnd.nextBoolean() ? ", " : ",").append(n.text());
        box[k] = n.value();
      }
      boxText.append(']');
      boolean mask = rnd.nextInt(10) == 0;
      String sp = rnd.nextInt(4) == 0 ? " \n " : rnd.nextBoolean() ? " " : "";
      List<String> fields = new ArrayList<>();
      fields.add("\"image_id\":" + sp + (rnd.nextInt(8) == 0 ? imageId + ".0" : imageId));
      fields.add("\"category_id\":" + sp + categoryId);
      fields.add("\"score\":" + sp + score.text());
      fields.add("\"bbox\":" + sp + boxText);
      if (mask) {
        fields.add("\"segmentation\": {\"size\": [4, 5], \"counts\": \"a\\\\b\"}");
      }
      if (rnd.nextInt(10) == 0) {
        fields.add("\"extra\": " + (rnd.nextBoolean() ? "null" : "[1, {\"x\": \"y\"}]"));
      }
      if (rnd.nextInt(20) == 0) {
        fields.add("\"segmentation\": null");
      }
      java.util.Collections.shuffle(fields, new java.util.Random(rnd.nextLong()));
      sb.append(i == 0 ? "" : "," + sp)
          .append('{')
          .append(sp)
          .append(String.join("," + sp, fields));
      sb.append(sp).append('}');
      expected.add(
          new Detection(
              imageId,
              categoryId,
              box,
              score.value(),
              mask ? new RleSegmentation(4, 5, "a\\b") : null));
    }
    Path file = tmp.resolve("shapes.json");
    Files.writeString(file, sb.append(']').toString());
    assertThat(read(file, 1, Long.MAX_VALUE)).containsExactlyElementsOf(expected);
    assertThat(read(file, 3, 4096)).containsExactlyElementsOf(expected);
  }

  /** Mask results (where the box fast path gives way after some records) read the same. */
  @Test
  void maskOnlyResultsReadTheSameInPieces() throws Exception {
    StringBuilder sb = new StringBuilder("[");
    List<Detection> expected = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      sb.append(i == 0 ? "" : ", ")
          .append("{\"image_id\": ")
          .append(i / 3)
          .append(", \"category_id\": 2, \"segmentation\": {\"size\": [2, 2], \"counts\": \"04\"}")
          .append(", \"score\": 0.")
          .append(i)
          .append('}');
      expected.add(
          new Detection(
              i / 3, 2, null, Double.parseDouble("0." + i), new RleSegmentation(2, 2, "04")));
    }
    Path file = tmp.resolve("masks.json");
    Files.writeString(file, sb.append(']').toString());
    assertThat(read(file, 2, 2048)).containsExactlyElementsOf(expected);
  }
}
