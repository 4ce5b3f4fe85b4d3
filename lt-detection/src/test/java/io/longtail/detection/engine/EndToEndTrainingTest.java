package io.longtail.detection.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.longtail.core.classifier.InferenceMode;
import io.longtail.datasets.eval.IouType;
import io.longtail.datasets.eval.LvisEvalResult;
import io.longtail.datasets.eval.LvisEvaluator;
import io.longtail.datasets.eval.Metric;
import io.longtail.datasets.lvis.Detection;
import io.longtail.datasets.lvis.LvisDataset;
import io.longtail.datasets.lvis.LvisReader;
import io.longtail.datasets.pipeline.DetectionDataset;
import io.longtail.datasets.synth.LtShapesConfig;
import io.longtail.datasets.synth.LtShapesGenerator;
import io.longtail.detection.config.ConfigIo;
import io.longtail.detection.config.DataConfig;
import io.longtail.detection.config.DetectorConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trains a tiny detector on a small LT-Shapes set on the CPU, evaluates it with the LVIS evaluator
 * and checks that it detects well above chance; then reloads the checkpoint and checks that it
 * gives identical detections.
 */
class EndToEndTrainingTest {

  static final String TINY_CONFIG =
      String.join(
          "\n",
          "model:",
          "  backbone: {depth: 18, baseWidth: 8, norm: BN, freezeAt: 0, fpnChannels: 32}",
          "  rpn: {anchorSizes: [16, 32, 64, 128, 256], preNmsTopKTrain: 400,"
              + " postNmsTopKTrain: 200, preNmsTopKTest: 300, postNmsTopKTest: 100,"
              + " batchSizePerImage: 128}",
          "  roiHeads: {fcDim: 128, batchSizePerImage: 64, classifier: {kind: LINEAR}}",
          "input: {minSizeTrain: 128, minSizeTest: 128, maxSize: 128, flipProbability: 0.5}",
          "solver: {imagesPerBatch: 4, baseLr: 0.01, warmupIters: 20, steps: [250], clipGradNorm: 5,"
              + " maxIter: 300, checkpointPeriod: 100, sampler: RANDOM, workers: 2, seed: 3}",
          "");

  @Test
  void tinyDetectorLearnsLtShapes(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    LtShapesGenerator.builder()
        .optConfig(
            LtShapesConfig.builder()
                .optCategories(6)
                .optTrainImages(240)
                .optValImages(40)
                .optImbalance(10)
                .optImageSize(128)
                .optSeed(5)
                .build())
        .optProgressBar(false)
        .build()
        .generate(data);
    DetectorConfig config =
        ConfigIo.parse(TINY_CONFIG, "tiny")
            .withData(
                new DataConfig(
                    data.resolve(LtShapesGenerator.TRAIN_FILE).toString(),
                    data.resolve(LtShapesGenerator.IMAGES_DIR).toString(),
                    null,
                    null));
    long t0 = System.nanoTime();
    DetectorTraining.Result result =
        DetectorTraining.run(
            config, DetectorTraining.Options.of(dir.resolve("run")).withQuiet(true));
    System.out.printf(
        "trained %d iterations, %.3f s/iteration, last losses %s (%.1f s)%n",
        result.iterations(),
        result.secondsPerIteration(),
        result.lastLosses().orElseThrow(),
        (System.nanoTime() - t0) / 1e9);

    LvisDataset val = LvisReader.builder().build().read(data.resolve(LtShapesGenerator.VAL_FILE));
    try (TrainedDetector detector = TrainedDetector.load(result.checkpoint())) {
      DetectionDataset valSet =
          DetectionDataset.builder()
              .setAnnotations(val)
              .setImagesRoot(data.resolve(LtShapesGenerator.IMAGES_DIR))
              .optTransform(detector.testTransform())
              .setSampling(1, false)
              .build();
      long t1 = System.nanoTime();
      List<Detection> detections =
          detector.detectAll(valSet, InferenceMode.PLAIN, 0f, 4, 2, n -> {});
      double seconds = (System.nanoTime() - t1) / 1e9;
      LvisEvalResult eval =
          LvisEvaluator.builder().setIouType(IouType.BBOX).build().evaluate(val, detections);
      System.out.println(eval.formatTable());
      System.out.printf("inference: %.1f images/s%n", valSet.size() / seconds);
      assertThat(eval.get(Metric.AP50)).as("box AP50").isGreaterThan(0.3);

      try (TrainedDetector again = TrainedDetector.load(result.checkpoint())) {
        List<Detection> repeated = again.detectAll(valSet, InferenceMode.PLAIN, 0f, 4, 2, n -> {});
        assertThat(repeated).isEqualTo(detections);
      }
    }
  }
}
