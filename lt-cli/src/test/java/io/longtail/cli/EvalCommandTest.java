package io.longtail.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code lt eval} on the lvis-api golden files (system property {@code lt.golden.lvisEval}, default
 * lt-datasets' copy): the JSON it writes holds lvis-api's numbers.
 */
class EvalCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private static Path goldenDir() {
    String dir = System.getProperty("lt.golden.lvisEval");
    return dir != null && !dir.isBlank()
        ? Path.of(dir)
        : Path.of("..", "lt-datasets", "src", "test", "resources", "lvis-eval");
  }

  private static Path annotations(Path golden, String name) {
    Path p = golden.resolve(name);
    return Files.exists(p)
        ? p
        : Path.of("..", "lt-datasets", "src", "test", "resources", "lvis-eval", name);
  }

  private record Run(int exitCode, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cmd = LtCommand.newCommandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    int code = cmd.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void writesLvisApiNumbersForBoxesAndMasks() throws Exception {
    Path golden = goldenDir();
    Path expectedFile = golden.resolve("expected-12.json");
    JsonNode expected = JSON.readTree(expectedFile.toFile());
    Path gt = annotations(golden, expected.get("annotations").asText());
    for (String type : new String[] {"bbox", "segm"}) {
      Path out = tmp.resolve(type + ".json");
      Run r =
          run(
              "eval",
              "--annotations",
              gt.toString(),
              "--results",
              golden.resolve("predictions-12-" + type + ".json").toString(),
              "--iou-type",
              type,
              "--json",
              out.toString(),
              "--no-progress");
      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(r.out())
          .contains(
              " Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=300 catIds=all] = ")
          .contains("frequent");

      JsonNode written = JSON.readTree(out.toFile()).get(type);
      assertThat(written).isNotNull();
      JsonNode want = expected.get(type);
      assertSameNumbers(written.get("summary"), want.get("summary"));
      assertSameNumbers(written.get("perCategoryAP"), want.get("perCategoryAP"));
      assertThat(written.get("protocol").get("name").asText()).isEqualTo("standard");
    }
  }

  private static void assertSameNumbers(JsonNode actual, JsonNode expected) {
    assertThat(actual.size()).isEqualTo(expected.size());
    for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      assertThat(actual.has(e.getKey())).as(e.getKey()).isTrue();
      assertThat(actual.get(e.getKey()).asDouble())
          .as(e.getKey())
          .isCloseTo(e.getValue().asDouble(), within(1e-9));
    }
  }

  @Test
  void apFixedIsLabelled() throws Exception {
    Path golden = goldenDir();
    Path out = tmp.resolve("fixed.json");
    Run r =
        run(
            "eval",
            "--annotations",
            annotations(golden, "lvis-v0.5-val-100.json").toString(),
            "--results",
            golden.resolve("predictions-11-bbox.json").toString(),
            "--iou-type",
            "BBOX",
            "--ap-fixed",
            "--json",
            out.toString(),
            "--no-progress");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("AP-fixed").contains("maxDets= -1");
    JsonNode written = JSON.readTree(out.toFile()).get("bbox");
    assertThat(written.get("protocol").get("name").asText()).isEqualTo("ap-fixed");
    assertThat(written.get("protocol").get("maxDetsPerCategory").asInt()).isEqualTo(10000);
    assertThat(written.get("summary").has("AR@-1")).isTrue();
  }

  @Test
  void missingFileIsOneLineNamingIt() {
    Path missing = tmp.resolve("nope.json");
    Run r =
        run(
            "eval",
            "--annotations",
            missing.toString(),
            "--results",
            missing.toString(),
            "--iou-type",
            "bbox");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err().strip()).doesNotContain("\n").contains(missing.toString());
    assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void badJsonIsOneLineNamingTheFile() throws Exception {
    Path bad = tmp.resolve("bad.json");
    Files.writeString(bad, "[{\"image_id\": 1,");
    Run r =
        run(
            "eval",
            "--annotations",
            annotations(goldenDir(), "lvis-v0.5-val-100.json").toString(),
            "--results",
            bad.toString(),
            "--iou-type",
            "segm",
            "--no-progress");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err().strip()).doesNotContain("\n").contains(bad.toString());
  }

  @Test
  void unknownIouTypeIsRejected() {
    Run r = run("eval", "--annotations", "a", "--results", "b", "--iou-type", "keypoints");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err()).contains("bbox or segm");
  }
}
