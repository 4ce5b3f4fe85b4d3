package io.longtail.detection.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longtail.datasets.synth.LtShapesConfig;
import io.longtail.datasets.synth.LtShapesGenerator;
import io.longtail.detection.config.ConfigIo;
import io.longtail.detection.config.DataConfig;
import io.longtail.detection.config.DetectorConfig;
import io.longtail.detection.train.NonFiniteLossException;
import io.longtail.detection.train.TrainingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resume, NaN handling and steady native memory of the training loop, on a tiny model. */
class TrainingRobustnessTest {

  @TempDir static Path shared;
  static Path data;

  static final String CONFIG =
      String.join(
          "\n",
          "model:",
          "  backbone: {depth: 18, baseWidth: 8, norm: BN, freezeAt: 0, fpnChannels: 16}",
          "  rpn: {anchorSizes: [16, 32, 64, 128, 256], preNmsTopKTrain: 200,"
              + " postNmsTopKTrain: 100, preNmsTopKTest: 100, postNmsTopKTest: 50,"
              + " batchSizePerImage: 64}",
          "  roiHeads: {fcDim: 64, batchSizePerImage: 32,"
              + " classifier: {kind: CAUSAL_NORM, numHeads: 2}}",
          "input: {minSizeTrain: 96, minSizeTest: 96, maxSize: 96}",
          "solver: {imagesPerBatch: 2, baseLr: 0.01, warmupIters: 2, steps: [6], maxIter: 8,"
              + " checkpointPeriod: 100, sampler: REPEAT_FACTOR, workers: 1, seed: 11}",
          "");

  @BeforeAll
  static void generate() throws Exception {
    data = shared.resolve("data");
    LtShapesGenerator.builder()
        .optConfig(
            LtShapesConfig.builder()
                .optCategories(4)
                .optTrainImages(24)
                .optValImages(8)
                .optImbalance(4)
                .optImageSize(96)
                .optSeed(2)
                .build())
        .optProgressBar(false)
        .build()
        .generate(data);
  }

  static DetectorConfig config(String yaml) {
    return ConfigIo.parse(yaml, "test")
        .withData(
            new DataConfig(
                data.resolve(LtShapesGenerator.TRAIN_FILE).toString(),
                data.resolve(LtShapesGenerator.IMAGES_DIR).toString(),
                null,
                null));
  }

  @Test
  void resumedRunRepeatsTheUninterruptedLosses(@TempDir Path dir) throws Exception {
    Path full = dir.resolve("full");
    DetectorTraining.run(config(CONFIG), DetectorTraining.Options.of(full).withQuiet(true));

    Path split = dir.resolve("split");
    DetectorTraining.Result first =
        DetectorTraining.run(
            config(CONFIG), DetectorTraining.Options.of(split).withQuiet(true).withStopAt(4));
    assertThat(first.iterations()).isEqualTo(4);
    assertThat(first.checkpoint().getFileName().toString()).isEqualTo("model_0000004.ckpt");
    DetectorTraining.Result second =
        DetectorTraining.run(
            config(CONFIG), DetectorTraining.Options.of(split).withQuiet(true).withResume(true));
    assertThat(second.iterations()).isEqualTo(8);

    List<String> a = losses(full);
    List<String> b = losses(split);
    assertThat(b).hasSize(8);
    assertThat(b).isEqualTo(a);
  }

  @Test
  void nonFiniteLossStopsNamingIterationAndTermAndKeepsTheLastCheckpoint(@TempDir Path dir)
      throws Exception {
    String exploding =
        CONFIG
            .replace("baseLr: 0.01", "baseLr: 10000")
            .replace("warmupIters: 2", "warmupIters: 0")
            .replace("checkpointPeriod: 100", "checkpointPeriod: 1")
            .replace("maxIter: 8", "maxIter: 30");
    Path run = dir.resolve("nan");
    assertThatThrownBy(
            () ->
                DetectorTraining.run(
                    config(exploding), DetectorTraining.Options.of(run).withQuiet(true)))
        .isInstanceOf(NonFiniteLossException.class)
        .hasMessageMatching(
            "loss_\\w+ is (NaN|Infinity|-Infinity) at iteration \\d+.*model_\\d+\\.ckpt.*");
    // The last good checkpoint still loads.
    try (TrainedDetector d =
        TrainedDetector.load(
            Files.list(run.resolve(DetectorTraining.CHECKPOINTS))
                .filter(p -> p.toString().endsWith(".ckpt"))
                .sorted()
                .reduce((x, y) -> y)
                .orElseThrow())) {
      assertThat(d.config().categories()).hasSize(4);
    }
  }

  @Test
  void nativeArraysStayFlatAcrossIterations(@TempDir Path dir) throws Exception {
    List<Integer> live = new ArrayList<>();
    DetectorTraining.run(
        config(CONFIG.replace("maxIter: 8", "maxIter: 12")),
        DetectorTraining.Options.of(dir)
            .withQuiet(true)
            .withListener((it, root) -> live.add(root.getManagedArrays().size())));
    System.out.println("live arrays after each iteration: " + live);
    // After the first iterations (lazy gradient and momentum buffers) the count must not grow.
    assertThat(live.get(11)).isEqualTo(live.get(3));
  }

  private static List<String> losses(Path run) throws Exception {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(run.resolve(TrainingLog.FILE_NAME))) {
      // Drop timing fields; keep iteration, losses and lr.
      out.add(line.replaceAll(",\"seconds_per_iter\".*", ""));
    }
    return out;
  }
}
