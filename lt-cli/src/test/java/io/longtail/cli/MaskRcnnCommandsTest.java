package io.longtail.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longtail.cli.DetectorCommandsTest.Run;
import io.longtail.datasets.lvis.LvisDataset;
import io.longtail.datasets.lvis.LvisReader;
import io.longtail.datasets.synth.LtShapesConfig;
import io.longtail.datasets.synth.LtShapesGenerator;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lt train}, {@code lt eval --checkpoint} and {@code lt predict} with a Mask R-CNN config: a
 * tiny causal-norm Mask R-CNN trained for three iterations on 64 px LT-Shapes images once for the
 * class (through {@code lt train}, with a {@code --set mask.*} override), then evaluation of boxes
 * and masks and a drawing with masks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MaskRcnnCommandsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Path root;
  private Path data;
  private Path config;
  private Path run;

  @BeforeAll
  void trainTinyMaskRcnn(@TempDir Path tmp) throws IOException {
    root = tmp;
    data = root.resolve("data");
    LtShapesGenerator.builder()
        .optConfig(
            LtShapesConfig.builder()
                .optCategories(3)
                .optTrainImages(12)
                .optValImages(4)
                .optImbalance(3)
                .optImageSize(64)
                .optMinValImages(1)
                .optSeed(2)
                .build())
        .optProgressBar(false)
        .optThreads(1)
        .build()
        .generate(data);
    Path configs = Files.createDirectories(root.resolve("configs"));
    config = configs.resolve("tiny-mask-rcnn.yaml");
    Files.writeString(config, TinyConfigs.maskRcnn());
    run = root.resolve("runs/mask");

    Run r =
        DetectorCommandsTest.run(
            "train",
            "--config",
            config.toString(),
            "--output",
            run.toString(),
            "--set",
            "mask.convDim=8",
            "--no-progress");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("Mask R-CNN")
        .contains("mask head of 1 convolutions x 8 channels")
        .contains("loss_mask")
        .contains("final checkpoint:");
    assertThat(run.resolve("checkpoints/model_0000003.ckpt")).isRegularFile();
  }

  @Test
  void trainWritesTheMaskSectionWithItsOverrideAndLogsTheMaskLoss() throws IOException {
    assertThat(Files.readString(run.resolve("config.yaml")))
        .contains("mask:")
        .containsPattern("convDim: 8\\b");
    assertThat(Files.readString(run.resolve("metrics.jsonl"))).contains("loss_mask");
  }

  @Test
  void evalOfAMaskRcnnCheckpointReportsAndWritesBboxAndSegm() throws IOException {
    Path json = root.resolve("eval/mask.json");
    Path results = root.resolve("eval/mask-results.json");
    Run r =
        DetectorCommandsTest.run(
            "eval",
            "--checkpoint",
            run.toString(),
            "--annotations",
            data.resolve(LtShapesGenerator.VAL_FILE).toString(),
            "--images",
            data.resolve(LtShapesGenerator.IMAGES_DIR).toString(),
            "--json",
            json.toString(),
            "--results-out",
            results.toString(),
            "--threads",
            "1",
            "--no-progress");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("Mask R-CNN, CAUSAL_NORM classifier")
        .contains("inference with masks:")
        .contains("bbox evaluation")
        .contains("segm evaluation")
        .contains("wrote " + json);
    assertThat(r.out().indexOf("bbox evaluation")).isLessThan(r.out().indexOf("segm evaluation"));
    JsonNode written = JSON.readTree(json.toFile());
    assertThat(written.fieldNames()).toIterable().containsExactly("bbox", "segm");
    for (String type : new String[] {"bbox", "segm"}) {
      JsonNode section = written.get(type);
      assertThat(section.get("summary").has("AP")).as(type).isTrue();
      assertThat(section.get("summary").has("APr")).as(type).isTrue();
      assertThat(section.get("perCategoryAP").size()).as(type).isPositive();
      assertThat(section.get("protocol").get("maxDetsPerImage").asInt()).as(type).isEqualTo(300);
    }
    JsonNode detections = JSON.readTree(results.toFile());
    assertThat(detections.isArray()).isTrue();
    assertThat(detections.size()).isPositive();
    assertThat(detections.get(0).has("bbox")).isTrue();
    assertThat(detections.get(0).get("segmentation").has("counts")).isTrue();

    // The results file evaluates to the same segm numbers in --results mode.
    Path again = root.resolve("eval/mask-again.json");
    Run fromFile =
        DetectorCommandsTest.run(
            "eval",
            "--results",
            results.toString(),
            "--annotations",
            data.resolve(LtShapesGenerator.VAL_FILE).toString(),
            "--iou-type",
            "segm",
            "--json",
            again.toString(),
            "--threads",
            "1",
            "--no-progress");
    assertThat(fromFile.exitCode()).as(fromFile.err()).isZero();
    assertThat(JSON.readTree(again.toFile()).get("segm").get("summary"))
        .isEqualTo(written.get("segm").get("summary"));
  }

  @Test
  void evalWithAnIouTypeEvaluatesOnlyThatType() throws IOException {
    Path json = root.resolve("eval/segm-only.json");
    Run r =
        DetectorCommandsTest.run(
            "eval",
            "--checkpoint",
            run.resolve("checkpoints/model_0000003.ckpt").toString(),
            "--annotations",
            data.resolve(LtShapesGenerator.VAL_FILE).toString(),
            "--images",
            data.resolve(LtShapesGenerator.IMAGES_DIR).toString(),
            "--iou-type",
            "segm",
            "--tde",
            "off",
            "--json",
            json.toString(),
            "--threads",
            "1",
            "--no-progress");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("--tde off").contains("segm evaluation");
    assertThat(r.out()).doesNotContain("bbox evaluation");
    assertThat(JSON.readTree(json.toFile()).fieldNames()).toIterable().containsExactly("segm");
  }

  @Test
  void predictDrawsMasksOnAnImageOfTheInputSize() throws IOException {
    LvisDataset val = LvisReader.builder().build().read(data.resolve(LtShapesGenerator.VAL_FILE));
    Path image = data.resolve(LtShapesGenerator.IMAGES_DIR).resolve(val.images().get(0).fileName());
    Path png = root.resolve("predict/masks.png");
    Run r =
        DetectorCommandsTest.run(
            "predict",
            "--checkpoint",
            run.toString(),
            "--image",
            image.toString(),
            "--out",
            png.toString(),
            "--score-threshold",
            "0",
            "--max-boxes",
            "5");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("Mask R-CNN, --tde bg-exempt").contains("wrote " + png);
    BufferedImage input = ImageIO.read(image.toFile());
    BufferedImage written = ImageIO.read(png.toFile());
    assertThat(written).isNotNull();
    assertThat(written.getWidth()).isEqualTo(input.getWidth());
    assertThat(written.getHeight()).isEqualTo(input.getHeight());
  }

  @Test
  void badMaskOverridesAndOutputsGiveOneLineErrors() throws IOException {
    Run badMask =
        DetectorCommandsTest.run(
            "train",
            "--config",
            config.toString(),
            "--output",
            root.resolve("runs/bad").toString(),
            "--set",
            "mask.convDim=0");
    assertThat(badMask.exitCode()).isEqualTo(1);
    assertThat(badMask.err()).startsWith("lt train: error:").contains("mask.convDim");
    assertThat(badMask.err().strip().lines()).hasSize(1);

    LvisDataset val = LvisReader.builder().build().read(data.resolve(LtShapesGenerator.VAL_FILE));
    Path image = data.resolve(LtShapesGenerator.IMAGES_DIR).resolve(val.images().get(0).fileName());
    Run badExt =
        DetectorCommandsTest.run(
            "predict",
            "--checkpoint",
            run.toString(),
            "--image",
            image.toString(),
            "--out",
            root.resolve("predict/out.xyz").toString());
    assertThat(badExt.exitCode()).isEqualTo(1);
    assertThat(badExt.err()).startsWith("lt predict: error:").contains("out.xyz");
  }
}
