package io.longtail.datasets.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longtail.datasets.lvis.Detection;
import io.longtail.datasets.lvis.LvisDataset;
import io.longtail.datasets.lvis.LvisReader;
import io.longtail.datasets.lvis.ResultsReader;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every {@code expected-*.json} of the golden directory (system property {@code
 * lt.golden.lvisEval}, default this module's {@code lvis-eval} test resources) is reproduced: every
 * summary metric and every per-category AP of the official lvis-api, to 1e-9.
 */
class LvisEvalGoldenTest {

  private static final double TOLERANCE = 1e-9;
  private static final ObjectMapper JSON = new ObjectMapper();

  static Path goldenDir() throws URISyntaxException {
    String dir = System.getProperty("lt.golden.lvisEval");
    if (dir != null && !dir.isBlank()) {
      return Path.of(dir);
    }
    return Path.of(LvisEvalGoldenTest.class.getResource("/lvis-eval").toURI());
  }

  /** The annotation file an expected file names: in the golden directory, else our copy. */
  static Path annotations(Path goldenDir, String name) throws URISyntaxException {
    Path inGolden = goldenDir.resolve(name);
    if (Files.exists(inGolden)) {
      return inGolden;
    }
    return Path.of(LvisEvalGoldenTest.class.getResource("/lvis-eval/" + name).toURI());
  }

  @TestFactory
  Stream<DynamicTest> reproducesOfficialLvisApiOnEveryGoldenFile() throws Exception {
    Path dir = goldenDir();
    List<Path> expectedFiles;
    try (Stream<Path> files = Files.list(dir)) {
      expectedFiles =
          files
              .filter(p -> p.getFileName().toString().matches("expected-.*\\.json"))
              .sorted()
              .toList();
    }
    assertThat(expectedFiles).as("expected-*.json in " + dir).isNotEmpty();
    List<DynamicTest> tests = new ArrayList<>();
    for (Path expectedFile : expectedFiles) {
      JsonNode expected = JSON.readTree(expectedFile.toFile());
      assertThat(expected.path("maxDetsPerImage").asInt(300)).isEqualTo(300);
      String stem = expectedFile.getFileName().toString().replaceAll("^expected-|\\.json$", "");
      for (IouType type : IouType.values()) {
        if (!expected.has(type.key())) {
          continue;
        }
        tests.add(
            DynamicTest.dynamicTest(
                expectedFile.getFileName() + " " + type.key(),
                () -> {
                  Path gtFile = annotations(dir, expected.get("annotations").asText());
                  Path predictions =
                      dir.resolve("predictions-" + stem + "-" + type.key() + ".json");
                  checkAgainst(expected.get(type.key()), gtFile, predictions, type);
                }));
      }
    }
    return tests.stream();
  }

  private static void checkAgainst(JsonNode expected, Path gtFile, Path predictions, IouType type)
      throws IOException {
    LvisDataset gt = LvisReader.builder().build().read(gtFile);
    List<Detection> detections = ResultsReader.read(predictions, gt);
    LvisEvaluator evaluator = LvisEvaluator.builder().setIouType(type).optParallelism(2).build();
    LvisEvalResult result = evaluator.evaluate(gt, detections);
    if (type == IouType.BBOX) {
      // ./lt eval's path: annotation bytes straight into the evaluator's arrays, results in pieces.
      LvisEvalResult direct =
          evaluator.evaluate(
              EvalGroundTruth.readBoxes(gtFile), EvalDetections.read(predictions, 2));
      assertThat(direct.perCategoryAp()).isEqualTo(result.perCategoryAp());
      for (Metric m : Metric.values()) {
        assertThat(direct.get(m)).as(result.key(m)).isEqualTo(result.get(m));
      }
    }

    JsonNode summary = expected.get("summary");
    assertThat(summary.size()).isEqualTo(Metric.values().length);
    double maxDiff = 0;
    for (Metric m : Metric.values()) {
      String key = result.key(m);
      assertThat(summary.has(key)).as("golden has " + key).isTrue();
      assertThat(result.get(m)).as(key).isCloseTo(summary.get(key).asDouble(), within(TOLERANCE));
      maxDiff = Math.max(maxDiff, Math.abs(result.get(m) - summary.get(key).asDouble()));
    }

    JsonNode perCategory = expected.get("perCategoryAP");
    Map<Integer, Double> ours = result.perCategoryAp();
    assertThat(ours).hasSize(perCategory.size());
    for (Iterator<Map.Entry<String, JsonNode>> it = perCategory.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      int id = Integer.parseInt(e.getKey());
      assertThat(ours).containsKey(id);
      assertThat(ours.get(id))
          .as("AP of category " + id)
          .isCloseTo(e.getValue().asDouble(), within(TOLERANCE));
      maxDiff = Math.max(maxDiff, Math.abs(ours.get(id) - e.getValue().asDouble()));
    }
    System.out.printf(
        "%s %s: %d metrics + %d per-category APs, max |ours - lvis-api| = %.3g%n",
        predictions.getFileName(), type.key(), summary.size(), perCategory.size(), maxDiff);
  }
}
