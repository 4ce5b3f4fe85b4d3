package io.longtail.datasets.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longtail.datasets.lvis.AnnotationFileException;
import io.longtail.datasets.lvis.AnnotationProblem;
import io.longtail.datasets.lvis.LvisDataset;
import io.longtail.datasets.lvis.LvisReader;
import io.longtail.datasets.lvis.ResultsReader;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EvalResultsReaderTest {

  @TempDir Path tmp;

  private static Path resource(String name) throws Exception {
    return Path.of(EvalResultsReaderTest.class.getResource("/lvis-eval/" + name).toURI());
  }

  private static void assertSame(EvalDetections a, EvalDetections b) {
    assertThat(a.size()).isEqualTo(b.size());
    int n = a.size();
    assertThat(Arrays.copyOf(a.imageIds, n)).isEqualTo(Arrays.copyOf(b.imageIds, n));
    assertThat(Arrays.copyOf(a.categoryIds, n)).isEqualTo(Arrays.copyOf(b.categoryIds, n));
    assertThat(Arrays.copyOf(a.scores, n)).isEqualTo(Arrays.copyOf(b.scores, n));
    for (int r = 0; r < n; r++) {
      assertThat(a.hasBox(r)).isEqualTo(b.hasBox(r));
      if (a.hasBox(r)) {
        assertThat(Arrays.copyOfRange(a.boxes, 4 * r, 4 * r + 4))
            .isEqualTo(Arrays.copyOfRange(b.boxes, 4 * r, 4 * r + 4));
      }
      assertThat(a.hasMask(r)).isEqualTo(b.hasMask(r));
      if (a.hasMask(r)) {
        assertThat(a.masks[r]).isEqualTo(b.masks[r]);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"predictions-11-bbox.json", "predictions-12-segm.json"})
  void readsWhatResultsReaderReadsInAnyNumberOfChunks(String name) throws Exception {
    Path file = resource(name);
    LvisDataset gt = LvisReader.builder().build().read(resource("lvis-v0.5-val-100.json"));
    EvalDetections expected = EvalDetections.from(ResultsReader.read(file, gt));
    assertSame(EvalResultsReader.read(file, 1), expected);
    // Chunks of ~4 KB: hundreds of splits, read by 3 threads.
    assertSame(EvalResultsReader.read(file, 3, 4096), expected);
  }

  @Test
  void splitInsideARecordFallsBackToOnePiece() throws Exception {
    // An unknown field holding objects puts "}, {" inside records: splits may land there.
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < 400; i++) {
      sb.append(i == 0 ? "" : ", ")
          .append("{\"image_id\": ")
          .append(i)
          .append(", \"extra\": [{\"a\": 1}, {\"b\": [2]}, {\"c\": 3}], \"category_id\": 7,")
          .append(" \"bbox\": [1, 2, 3, 4], \"score\": ")
          .append(i / 400.0)
          .append("}");
    }
    Path file = tmp.resolve("extra.json");
    Files.writeString(file, sb.append("]").toString());
    EvalDetections one = EvalResultsReader.read(file, 1);
    assertThat(one.size()).isEqualTo(400);
    for (long chunk : new long[] {50, 97, 200, 1000}) {
      assertSame(EvalResultsReader.read(file, 4, chunk), one);
    }
  }

  @Test
  void problemInALaterChunkNamesTheRecordOfTheFile() throws Exception {
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
      assertThatThrownBy(() -> EvalResultsReader.read(file, 4, chunk))
          .isInstanceOf(AnnotationFileException.class)
          .hasMessageContaining(file.toString())
          .hasMessageContaining("results[250]")
          .hasMessageContaining("score");
    }
  }

  @Test
  void rejectsSyntaxErrorsAndNonArrays() throws Exception {
    Path truncated = tmp.resolve("truncated.json");
    Files.writeString(truncated, "[{\"image_id\": 1, \"category_id\": 2, \"score\": 0.5,");
    assertThatThrownBy(() -> EvalResultsReader.read(truncated, 2))
        .isInstanceOf(AnnotationFileException.class)
        .hasMessageContaining("not valid JSON")
        .extracting(e -> ((AnnotationFileException) e).problem())
        .isEqualTo(AnnotationProblem.NOT_JSON);
    Path object = tmp.resolve("object.json");
    Files.writeString(object, "{\"results\": []}");
    assertThatThrownBy(() -> EvalResultsReader.read(object, 2))
        .isInstanceOf(AnnotationFileException.class)
        .hasMessageContaining("JSON array");
    Path noBox = tmp.resolve("nobox.json");
    Files.writeString(noBox, "[{\"image_id\": 1, \"category_id\": 2, \"score\": 0.5}]");
    assertThatThrownBy(() -> EvalResultsReader.read(noBox, 2))
        .hasMessageContaining("results[0]")
        .hasMessageContaining("bbox or segmentation");
  }

  @Test
  void readsEmptyArraysAndGzip() throws Exception {
    Path empty = tmp.resolve("empty.json");
    Files.writeString(empty, " [ ] ");
    assertThat(EvalResultsReader.read(empty, 2).size()).isZero();

    Path gz = tmp.resolve("r.json.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(Files.readAllBytes(resource("predictions-12-bbox.json")));
    }
    assertSame(
        EvalResultsReader.read(gz, 2),
        EvalResultsReader.read(resource("predictions-12-bbox.json"), 1));
  }
}
