package io.longtail.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longtail.datasets.lvis.LvisDataset;
import io.longtail.datasets.lvis.LvisReader;
import io.longtail.datasets.synth.LtShapesConfig;
import io.longtail.datasets.synth.LtShapesGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lt train}, {@code lt eval --checkpoint} and {@code lt predict} on a tiny LT-Shapes set: a
 * linear and a causal-norm detector trained for a few iterations once for the class, then each
 * command and its one-line errors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DetectorCommandsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Path root;
  private Path data;
  private Path linearConfig;
  private Path linearCheckpoint;
  private Path causalCheckpoint;

  record Run(int exitCode, String out, String err) {}

  static Run run(String... args) {
    var cmd = LtCommand.newCommandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    int code = cmd.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @BeforeAll
  void trainTinyDetectors(@TempDir Path tmp) throws IOException {
    root = tmp;
    data = root.resolve("data");
    LtShapesGenerator.builder()
        .optConfig(
            LtShapesConfig.builder()
                .optCategories(4)
                .optTrainImages(24)
                .optValImages(6)
                .optImbalance(5)
                .optImageSize(96)
                .optMinValImages(1)
                .optSeed(2)
                .build())
        .optProgressBar(false)
        .optThreads(1)
        .build()
        .generate(data);
    Path configs = Files.createDirectories(root.resolve("configs"));
    linearConfig = configs.resolve("tiny-linear.yaml");
    Files.writeString(linearConfig, TinyConfigs.detector("LINEAR"));
    Path causalConfig = configs.resolve("tiny-causal.yaml");
    Files.writeString(causalConfig, TinyConfigs.detector("CAUSAL_NORM"));

    Run linear =
        run(
            "train",
            "--config",
            linearConfig.toString(),
            "--output",
            root.resolve("runs/linear").toString(),
            "--no-progress");
    assertThat(linear.exitCode()).as(linear.err()).isZero();
    assertThat(linear.out())
        .contains("checkpoints: " + root.resolve("runs/linear/checkpoints"))
        .contains("final checkpoint:");
    linearCheckpoint = root.resolve("runs/linear/checkpoints/model_0000002.ckpt");
    assertThat(linearCheckpoint).isRegularFile();

    Run causal =
        run(
            "train",
            "--config",
            causalConfig.toString(),
            "--output",
            root.resolve("runs/causal").toString(),
            "--no-progress");
    assertThat(causal.exitCode()).as(causal.err()).isZero();
    causalCheckpoint = root.resolve("runs/causal/checkpoints/model_0000002.ckpt");
    assertThat(causalCheckpoint).isRegularFile();
  }

  @Test
  void resumeContinuesFromTheLatestCheckpoint() throws IOException {
    Path out = root.resolve("runs/resumed");
    Run first =
        run(
            "train",
            "--config",
            linearConfig.toString(),
            "--output",
            out.toString(),
            "--max-iter",
            "4",
            "--stop-at",
            "2",
            "--no-progress");
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(out.resolve("checkpoints/model_0000002.ckpt")).isRegularFile();
    assertThat(out.resolve("checkpoints/model_0000004.ckpt")).doesNotExist();

    Run second =
        run(
            "train",
            "--config",
            linearConfig.toString(),
            "--output",
            out.toString(),
            "--max-iter",
            "4",
            "--resume",
            "--no-progress");
    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(second.out())
        .contains("resuming from " + out.resolve("checkpoints/model_0000002.ckpt"))
        .contains("at iteration 2")
        .contains("trained to iteration 4");
    assertThat(out.resolve("checkpoints/model_0000004.ckpt")).isRegularFile();
    // The metrics log holds iterations 0..3 once each.
    assertThat(Files.readAllLines(out.resolve("metrics.jsonl"))).hasSize(4);
  }

  @Test
  void setOverridesAConfigKey() throws IOException {
    Path out = root.resolve("runs/set");
    Run r =
        run(
            "train",
            "--config",
            linearConfig.toString(),
            "--output",
            out.toString(),
            "--set",
            "solver.maxIter=1",
            "--set",
            "solver.checkpointPeriod=1",
            "--no-progress");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(out.resolve("checkpoints/model_0000001.ckpt")).isRegularFile();
    assertThat(Files.readString(out.resolve("config.yaml"))).contains("maxIter: 1");
  }

  @Test
  void evalCheckpointWritesTheEvalJsonAndResults() throws IOException {
    Path json = root.resolve("eval/linear.json");
    Path results = root.resolve("eval/linear-results.json");
    Run r =
        run(
            "eval",
            "--checkpoint",
            linearCheckpoint.toString(),
            "--annotations",
            data.resolve(LtShapesGenerator.VAL_FILE).toString(),
            "--images",
            data.resolve(LtShapesGenerator.IMAGES_DIR).toString(),
            "--json",
            json.toString(),
            "--results-out",
            results.toString(),
            "--no-progress");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("inference --tde off")
        .contains("inference: 6 images")
        .contains(" Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=300");
    JsonNode bbox = JSON.readTree(json.toFile()).get("bbox");
    assertThat(bbox.get("summary").has("AP")).isTrue();
    assertThat(bbox.get("summary").has("APr")).isTrue();
    assertThat(bbox.get("perCategoryAP").size()).isPositive();
    JsonNode detections = JSON.readTree(results.toFile());
    assertThat(detections.isArray()).isTrue();
    assertThat(detections.size()).isPositive();
    assertThat(detections.get(0).has("bbox")).isTrue();

    // The results file it wrote evaluates to the same numbers in --results mode.
    Path again = root.resolve("eval/linear-again.json");
    Run fromFile =
        run(
            "eval",
            "--results",
            results.toString(),
            "--annotations",
            data.resolve(LtShapesGenerator.VAL_FILE).toString(),
            "--iou-type",
            "bbox",
            "--json",
            again.toString(),
            "--no-progress");
    assertThat(fromFile.exitCode()).as(fromFile.err()).isZero();
    assertThat(JSON.readTree(again.toFile()).get("bbox").get("summary"))
        .isEqualTo(bbox.get("summary"));
  }

  @Test
  void evalRunsEveryTdeModeOfACausalNormCheckpoint() {
    for (String mode : new String[] {"off", "on", "bg-exempt"}) {
      Run r =
          run(
              "eval",
              "--checkpoint",
              root.resolve("runs/causal").toString(),
              "--annotations",
              data.resolve(LtShapesGenerator.VAL_FILE).toString(),
              "--images",
              data.resolve(LtShapesGenerator.IMAGES_DIR).toString(),
              "--tde",
              mode,
              "--alpha",
              "1.0",
              "--no-progress");
      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(r.out()).contains("CAUSAL_NORM classifier").contains("inference --tde " + mode);
    }
  }

  @Test
  void predictWritesAnImageWithBoxes() throws IOException {
    LvisDataset val = LvisReader.builder().build().read(data.resolve(LtShapesGenerator.VAL_FILE));
    Path image = data.resolve(LtShapesGenerator.IMAGES_DIR).resolve(val.images().get(0).fileName());
    Path png = root.resolve("predict/out.png");
    Run r =
        run(
            "predict",
            "--checkpoint",
            causalCheckpoint.toString(),
            "--image",
            image.toString(),
            "--out",
            png.toString(),
            "--score-threshold",
            "0");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("--tde bg-exempt").contains("wrote " + png);
    Mat written = opencv_imgcodecs.imread(png.toString());
    // 96 px inputs are upscaled to 512 px so that labels stay readable.
    assertThat(written.cols()).isEqualTo(512);
    assertThat(written.rows()).isEqualTo(512);
    written.close();
  }

  @Test
  void badInputsGiveOneLineErrorsAndNonZeroExit() throws IOException {
    Path badKey = root.resolve("configs/bad-key.yaml");
    Files.writeString(badKey, "solver: {baseLR: 0.1}\n");
    Path badData = root.resolve("configs/bad-data.yaml");
    Files.writeString(badData, "data: {trainAnnotations: nowhere.json, trainImages: .}\n");
    String val = data.resolve(LtShapesGenerator.VAL_FILE).toString();
    String images = data.resolve(LtShapesGenerator.IMAGES_DIR).toString();
    String anImage;
    try (var files = Files.walk(data.resolve(LtShapesGenerator.IMAGES_DIR))) {
      anImage = files.filter(Files::isRegularFile).findFirst().orElseThrow().toString();
    }
    String[][] cases = {
      {"config file not found: ", "train", "--config", root.resolve("none.yaml").toString()},
      {"bad-key.yaml: solver.baseLR: Unrecognized field", "train", "--config", badKey.toString()},
      {
        "solver.baseLr must be positive",
        "train",
        "--config",
        linearConfig.toString(),
        "--set",
        "solver.baseLr=-1"
      },
      {"--set expects key=value", "train", "--config", linearConfig.toString(), "--set", "oops"},
      {"data.trainAnnotations: file not found", "train", "--config", badData.toString()},
      {
        "checkpoint not found: ",
        "eval",
        "--checkpoint",
        root.resolve("none.ckpt").toString(),
        "--annotations",
        val,
        "--images",
        images
      },
      {
        "needs a causal-norm checkpoint",
        "eval",
        "--checkpoint",
        linearCheckpoint.toString(),
        "--annotations",
        val,
        "--images",
        images,
        "--tde",
        "on"
      },
      {
        "--images DIR is required",
        "eval",
        "--checkpoint",
        linearCheckpoint.toString(),
        "--annotations",
        val
      },
      {"give --results RES.json, or --checkpoint", "eval", "--annotations", val},
      {
        "checkpoint not found: ",
        "predict",
        "--checkpoint",
        root.resolve("none.ckpt").toString(),
        "--image",
        anImage,
        "--out",
        root.resolve("x.png").toString()
      },
      {
        "image not found: ",
        "predict",
        "--checkpoint",
        linearCheckpoint.toString(),
        "--image",
        root.resolve("none.jpg").toString(),
        "--out",
        root.resolve("x.png").toString()
      },
    };
    for (String[] c : cases) {
      String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
      Run r = run(args);
      assertThat(r.exitCode()).as(String.join(" ", args)).isNotZero();
      assertThat(r.err().strip()).as(String.join(" ", args)).contains(c[0]).doesNotContain("\n");
      assertThat(r.err()).startsWith("lt " + c[1] + ": error: ");
    }
  }
}
