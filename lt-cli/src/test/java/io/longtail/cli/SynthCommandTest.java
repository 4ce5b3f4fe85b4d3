package io.longtail.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code lt synth} then {@code lt eval} of the val ground truth against itself: AP = 1. */
class SynthCommandTest {

  @TempDir Path tmp;

  private static String run(String... args) {
    CommandLine cmd = LtCommand.newCommandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    int code = cmd.execute(args);
    assertThat(code).as(err.toString()).isZero();
    return out.toString();
  }

  @Test
  void synthThenEvalOfTheValGroundTruthGivesApOne() throws Exception {
    Path dir = tmp.resolve("lt-shapes");
    String out =
        run(
            "synth",
            "--out",
            dir.toString(),
            "--categories",
            "12",
            "--train-images",
            "80",
            "--val-images",
            "40",
            "--imbalance",
            "20",
            "--size",
            "128",
            "--seed",
            "3",
            "--gt-results",
            "--no-progress");
    assertThat(out).contains("r/c/f: ").contains("rare (r)").contains("common (c)");
    assertThat(dir.resolve(SynthCommand.PLOT_FILE)).isRegularFile();
    assertThat(dir.resolve(SynthCommand.SAMPLES_FILE)).isRegularFile();
    for (String type : new String[] {"bbox", "segm"}) {
      Path json = tmp.resolve(type + ".json");
      run(
          "eval",
          "--annotations",
          dir.resolve("lvis_v1_val.json").toString(),
          "--results",
          dir.resolve(SynthCommand.GT_RESULTS_FILE).toString(),
          "--iou-type",
          type,
          "--json",
          json.toString());
      JsonNode result = new ObjectMapper().readTree(json.toFile());
      assertThat(result.toString()).contains("\"AP\":1.0");
    }
  }
}
