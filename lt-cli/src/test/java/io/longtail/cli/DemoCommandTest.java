package io.longtail.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longtail.cli.DetectorCommandsTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lt demo --quick}: the whole pipeline on a tiny dataset, then a re-run that reuses it. */
class DemoCommandTest {

  @TempDir Path dir;

  @Test
  void quickDemoWritesTheReportAndReusesItsWork() throws Exception {
    Path out = dir.resolve("report");
    Run r = DetectorCommandsTest.run("demo", "--quick", "--out", out.toString(), "--no-progress");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("[1/5] LT-Shapes: generating")
        .contains("Method")
        .contains("AP^bbox")
        .contains("Baseline (softmax)")
        .contains("Causal norm + TDE + bg-exempt")
        .contains("over the softmax baseline");

    JsonNode results = new ObjectMapper().readTree(out.resolve(DemoCommand.RESULTS).toFile());
    List<String> keys = new ArrayList<>();
    results.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactlyElementsOf(DemoCommand.VARIANT_KEYS);
    for (String key : keys) {
      JsonNode bbox = results.get(key).get("bbox");
      assertThat(bbox.get("summary").get("AP").isNumber()).as(key).isTrue();
      assertThat(bbox.get("summary").has("APr")).as(key).isTrue();
      assertThat(bbox.get("perCategoryAP").size()).as(key).isPositive();
    }

    String html = Files.readString(out.resolve(DemoCommand.INDEX));
    assertThat(html)
        .contains("<table class=\"results\">")
        .contains("AP<sub>r</sub>")
        .contains("src=\"" + DemoCommand.PLOT + "\"")
        .contains("src=\"" + DemoCommand.GRID + "\"");
    for (String png : new String[] {DemoCommand.PLOT, DemoCommand.GRID, DemoCommand.LONG_TAIL}) {
      assertThat(out.resolve(png)).isRegularFile();
      assertThat(Files.size(out.resolve(png))).as(png).isGreaterThan(1000);
    }
    // The written configs train with ./lt train as they are.
    assertThat(out.resolve("configs/lt-shapes-demo-causal-norm-quick.yaml")).isRegularFile();

    Run again =
        DetectorCommandsTest.run("demo", "--quick", "--out", out.toString(), "--no-progress");
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.out()).contains("LT-Shapes: reusing").contains("reused ");
    assertThat(new ObjectMapper().readTree(out.resolve(DemoCommand.RESULTS).toFile()))
        .isEqualTo(results);
  }

  @Test
  void quickSegmDemoReportsMaskApBesideBoxAp() throws Exception {
    Path out = dir.resolve("segm");
    Run r =
        DetectorCommandsTest.run(
            "demo", "--quick", "--task", "segm", "--out", out.toString(), "--no-progress");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("(Mask R-CNN)")
        .contains("images/s with masks")
        .contains("mask AP in %")
        .contains("Mask APr: baseline");
    JsonNode results = new ObjectMapper().readTree(out.resolve(DemoCommand.RESULTS).toFile());
    List<String> keys = new ArrayList<>();
    results.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactlyElementsOf(DemoCommand.VARIANT_KEYS);
    for (String key : keys) {
      for (String type : new String[] {"bbox", "segm"}) {
        JsonNode section = results.get(key).get(type);
        assertThat(section).as(key + " " + type).isNotNull();
        assertThat(section.get("summary").get("APr").isNumber()).isTrue();
        assertThat(section.get("summary").get("APf").isNumber()).isTrue();
      }
    }
    assertThat(Files.readString(out.resolve(DemoCommand.INDEX)))
        .contains("instance segmentation")
        .contains("mask AP");
    assertThat(out.resolve("configs/lt-shapes-demo-causal-norm-segm-quick.yaml")).isRegularFile();
  }

  @Test
  void quickDemoTrainsTheListedMethods() throws Exception {
    Path out = dir.resolve("methods");
    Run r =
        DetectorCommandsTest.run(
            "demo",
            "--quick",
            "--methods",
            "causal-norm,eql",
            "--out",
            out.toString(),
            "--no-progress");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("training EQL").contains("Highest APr of the 4 variants");
    JsonNode results = new ObjectMapper().readTree(out.resolve(DemoCommand.RESULTS).toFile());
    List<String> keys = new ArrayList<>();
    results.fieldNames().forEachRemaining(keys::add);
    assertThat(keys)
        .containsExactly("causal-norm", "causal-norm-tde", "causal-norm-tde-bg-exempt", "eql");
    assertThat(results.get("eql").get("bbox").get("perCategoryAP").size()).isPositive();
    assertThat(Files.readString(out.resolve("configs/lt-shapes-demo-eql-quick.yaml")))
        .contains("kind: \"eql\"");

    Run bad = DetectorCommandsTest.run("demo", "--quick", "--methods", "softmax,foo");
    assertThat(bad.exitCode()).isNotZero();
    assertThat(bad.err()).contains("unknown method 'foo'");
  }
}
