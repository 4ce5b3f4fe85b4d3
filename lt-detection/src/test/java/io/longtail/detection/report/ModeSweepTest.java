package io.longtail.detection.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longtail.core.classifier.InferenceMode;
import io.longtail.datasets.lvis.Detection;
import io.longtail.datasets.lvis.LvisDataset;
import io.longtail.datasets.lvis.LvisReader;
import io.longtail.datasets.pipeline.DetectionDataset;
import io.longtail.datasets.synth.LtShapesConfig;
import io.longtail.datasets.synth.LtShapesGenerator;
import io.longtail.detection.config.ConfigIo;
import io.longtail.detection.config.DataConfig;
import io.longtail.detection.config.DetectorConfig;
import io.longtail.detection.engine.DetectorTraining;
import io.longtail.detection.engine.TrainedDetector;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three causal-norm inference modes from one backbone pass give exactly the detections of one
 * {@link TrainedDetector#detectAll} per mode.
 */
class ModeSweepTest {

  static final String CONFIG =
      String.join(
          "\n",
          "model:",
          "  backbone: {depth: 18, baseWidth: 8, norm: BN, freezeAt: 0, fpnChannels: 16}",
          "  rpn: {anchorSizes: [16, 32, 64, 128, 256], preNmsTopKTrain: 200,"
              + " postNmsTopKTrain: 100, preNmsTopKTest: 100, postNmsTopKTest: 50}",
          "  roiHeads: {fcDim: 32, batchSizePerImage: 32, classifier: {kind: CAUSAL_NORM}}",
          "input: {minSizeTrain: 96, minSizeTest: 96, maxSize: 96}",
          "solver: {imagesPerBatch: 2, baseLr: 0.01, warmupIters: 1, maxIter: 3,"
              + " checkpointPeriod: 3, sampler: RANDOM, workers: 1, seed: 4}",
          "");

  @Test
  void sweepEqualsOneRunPerMode(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    LtShapesGenerator.builder()
        .optConfig(
            LtShapesConfig.builder()
                .optCategories(3)
                .optTrainImages(12)
                .optValImages(5)
                .optImbalance(3)
                .optImageSize(96)
                .optMinValImages(1)
                .optSeed(9)
                .build())
        .optProgressBar(false)
        .optThreads(1)
        .build()
        .generate(data);
    DetectorConfig config =
        ConfigIo.parse(CONFIG, "sweep")
            .withData(
                new DataConfig(
                    data.resolve(LtShapesGenerator.TRAIN_FILE).toString(),
                    data.resolve(LtShapesGenerator.IMAGES_DIR).toString(),
                    null,
                    null));
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    DetectorTraining.Result trained =
        DetectorTraining.run(
            config,
            new DetectorTraining.Options(dir.resolve("run"), false, true, quiet, 0, (i, r) -> {}));
    LvisDataset val = LvisReader.builder().build().read(data.resolve(LtShapesGenerator.VAL_FILE));
    List<InferenceMode> modes =
        List.of(InferenceMode.PLAIN, InferenceMode.TDE, InferenceMode.BACKGROUND_EXEMPT);
    try (TrainedDetector detector = TrainedDetector.load(trained.checkpoint())) {
      DetectionDataset valSet =
          DetectionDataset.builder()
              .setAnnotations(val)
              .setImagesRoot(data.resolve(LtShapesGenerator.IMAGES_DIR))
              .optTransform(detector.testTransform())
              .setSampling(1, false)
              .build();
      int[] progress = {0};
      Map<InferenceMode, List<Detection>> swept =
          ModeSweep.detectAll(detector, valSet, modes, 1.5f, 2, 1, n -> progress[0] = n);
      assertThat(progress[0]).isEqualTo(5);
      assertThat(swept).containsOnlyKeys(modes);
      for (InferenceMode mode : modes) {
        List<Detection> single = detector.detectAll(valSet, mode, 1.5f, 2, 1, n -> {});
        assertThat(swept.get(mode)).as(mode.name()).isNotEmpty().isEqualTo(single);
      }
      // TDE changes the scores.
      assertThat(swept.get(InferenceMode.TDE)).isNotEqualTo(swept.get(InferenceMode.PLAIN));
      assertThatThrownBy(() -> ModeSweep.detectAll(detector, valSet, List.of(), 1f, 2, 1, n -> {}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("modes");
    }
  }
}
