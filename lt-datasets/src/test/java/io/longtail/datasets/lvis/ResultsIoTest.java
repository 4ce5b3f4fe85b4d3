package io.longtail.datasets.lvis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsIoTest {

  private static LvisDataset fixture;

  @TempDir Path dir;

  @BeforeAll
  static void readFixture() throws IOException {
    fixture = LvisReaderTest.fixture();
  }

  private static List<Detection> detections() {
    return List.of(
        new Detection(266409, 954, new double[] {371.41, 440.42, 10.23, 42.63}, 0.4506, null),
        new Detection(
            266409,
            954,
            null,
            0.4506,
            new RleSegmentation(480, 640, "mk]54o0Oj<T10000000000001O:Cl]i3")),
        new Detection(
            266409,
            1,
            new double[] {0.1, 1e-7, 1.0 / 3, 123456.789},
            1.0 / 3,
            new RleSegmentation(480, 640, "\\\"odd\"\\")));
  }

  @Test
  void writesAndReadsBackEqualDetections() throws IOException {
    Path file = dir.resolve("results.json");

    ResultsWriter.write(file, detections());

    assertThat(ResultsReader.read(file, fixture)).containsExactlyElementsOf(detections());
  }

  @Test
  void writesTheCocoResultsFormat() throws IOException {
    Path file = dir.resolve("results.json");
    try (ResultsWriter out = ResultsWriter.open(file)) {
      for (Detection d : detections()) {
        out.write(d);
      }
      assertThat(out.count()).isEqualTo(3);
    }

    JsonNode json = new ObjectMapper().readTree(file.toFile());

    assertThat(json.isArray()).isTrue();
    assertThat(json).hasSize(3);
    JsonNode box = json.get(0);
    assertThat(box.get("image_id").asLong()).isEqualTo(266409);
    assertThat(box.get("category_id").asInt()).isEqualTo(954);
    assertThat(box.get("bbox").get(2).asDouble()).isEqualTo(10.23);
    assertThat(box.get("score").asDouble()).isEqualTo(0.4506);
    assertThat(box.has("segmentation")).isFalse();
    JsonNode segm = json.get(1);
    assertThat(segm.has("bbox")).isFalse();
    assertThat(segm.get("segmentation").get("size").toString()).isEqualTo("[480,640]");
    assertThat(segm.get("segmentation").get("counts").asText())
        .isEqualTo("mk]54o0Oj<T10000000000001O:Cl]i3");
  }

  @Test
  void writesAnEmptyArrayForNoDetections() throws IOException {
    Path file = dir.resolve("none.json");

    ResultsWriter.write(file, List.of());

    assertThat(Files.readString(file)).isEqualTo("[]");
    assertThat(ResultsReader.read(file, fixture)).isEmpty();
  }

  @Test
  void readsResultsWrittenByPython() throws IOException {
    Path file = dir.resolve("python.json");
    Files.writeString(
        file,
        "[{\"image_id\": 266409, \"category_id\": 954, \"bbox\": [371.41, 440.42, 10.23, 42.63],"
            + " \"score\": 0.4506},\n"
            + " {\"image_id\": 266409, \"category_id\": 954, \"segmentation\": {\"size\": [480,"
            + " 640], \"counts\": \"mk]54o0Oj<T10000000000001O:Cl]i3\"}, \"score\": 0.4506}]");

    assertThat(ResultsReader.read(file, fixture))
        .containsExactlyElementsOf(detections().subList(0, 2));
  }

  private Path result(String second) throws IOException {
    Path file = dir.resolve("bad-results.json");
    Files.writeString(
        file,
        "[{\"image_id\": 266409, \"category_id\": 954, \"bbox\": [1, 2, 3, 4], \"score\": 0.5},\n "
            + second
            + "]");
    return file;
  }

  private static void assertRejected(Path file, AnnotationProblem problem, String field) {
    assertThatThrownBy(() -> ResultsReader.read(file, fixture))
        .isInstanceOf(AnnotationFileException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("results[1]")
        .hasMessageContaining("'" + field + "'")
        .extracting(e -> ((AnnotationFileException) e).problem())
        .isEqualTo(problem);
  }

  @Test
  void rejectsAResultOfAnUnknownImage() throws IOException {
    Path file =
        result("{\"image_id\": 5, \"category_id\": 954, \"bbox\": [1, 2, 3, 4], \"score\": 0.5}");

    assertRejected(file, AnnotationProblem.UNKNOWN_IMAGE, "image_id");
  }

  @Test
  void rejectsAResultOfAnUnknownCategory() throws IOException {
    Path file =
        result(
            "{\"image_id\": 266409, \"category_id\": 5000, \"bbox\": [1, 2, 3, 4], \"score\": 0.5}");

    assertRejected(file, AnnotationProblem.UNKNOWN_CATEGORY, "category_id");
  }

  @Test
  void rejectsAResultWithoutScore() throws IOException {
    Path file = result("{\"image_id\": 266409, \"category_id\": 954, \"bbox\": [1, 2, 3, 4]}");

    assertRejected(file, AnnotationProblem.MISSING_FIELD, "score");
  }

  @Test
  void rejectsANanScore() throws IOException {
    Path file =
        result(
            "{\"image_id\": 266409, \"category_id\": 954, \"bbox\": [1, 2, 3, 4], \"score\": NaN}");

    assertRejected(file, AnnotationProblem.BAD_VALUE, "score");
  }

  @Test
  void rejectsAnInfiniteBboxValue() throws IOException {
    Path file =
        result(
            "{\"image_id\": 266409, \"category_id\": 954, \"bbox\": [1, 2, Infinity, 4],"
                + " \"score\": 0.5}");

    assertRejected(file, AnnotationProblem.BAD_VALUE, "bbox[2]");
  }

  @Test
  void rejectsAResultWithNeitherBboxNorSegmentation() throws IOException {
    Path file = result("{\"image_id\": 266409, \"category_id\": 954, \"score\": 0.5}");

    assertRejected(file, AnnotationProblem.MISSING_FIELD, "bbox");
  }

  @Test
  void rejectsAMaskOfAnotherSizeThanTheImage() throws IOException {
    Path file =
        result(
            "{\"image_id\": 266409, \"category_id\": 954, \"score\": 0.5,"
                + " \"segmentation\": {\"size\": [640, 480], \"counts\": \"abc\"}}");

    assertRejected(file, AnnotationProblem.BAD_VALUE, "segmentation.size");
  }

  @Test
  void rejectsUncompressedCountsInResults() throws IOException {
    Path file =
        result(
            "{\"image_id\": 266409, \"category_id\": 954, \"score\": 0.5,"
                + " \"segmentation\": {\"size\": [480, 640], \"counts\": [307200]}}");

    assertRejected(file, AnnotationProblem.WRONG_TYPE, "segmentation.counts");
  }

  @Test
  void rejectsAResultsFileThatIsNotAnArray() throws IOException {
    Path file = dir.resolve("object.json");
    Files.writeString(file, "{\"results\": []}");

    assertThatThrownBy(() -> ResultsReader.read(file, fixture))
        .isInstanceOf(AnnotationFileException.class)
        .hasMessageContaining("object.json")
        .hasMessageContaining("array");
  }
}
