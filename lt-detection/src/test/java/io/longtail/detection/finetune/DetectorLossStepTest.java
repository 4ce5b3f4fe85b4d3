package io.longtail.detection.finetune;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.longtail.core.classifier.InferenceMode;
import io.longtail.datasets.lvis.LvisDataset;
import io.longtail.datasets.lvis.LvisReader;
import io.longtail.datasets.pipeline.DetectionBatch;
import io.longtail.datasets.pipeline.DetectionDataset;
import io.longtail.datasets.pipeline.DetectionTransform;
import io.longtail.datasets.synth.LtShapesConfig;
import io.longtail.datasets.synth.LtShapesGenerator;
import io.longtail.detection.backbone.Backbone;
import io.longtail.detection.config.ConfigIo;
import io.longtail.detection.config.DataConfig;
import io.longtail.detection.config.DetectorConfig;
import io.longtail.detection.config.ModelConfig;
import io.longtail.detection.engine.BatchFeeder;
import io.longtail.detection.engine.DetectorTraining;
import io.longtail.detection.engine.TrainedDetector;
import io.longtail.detection.model.FasterRcnn;
import io.longtail.detection.roiheads.FastRcnnLosses;
import io.longtail.detection.roiheads.LabelStatistics;
import io.longtail.detection.roiheads.RoiBoxHead;
import io.longtail.detection.train.SamplerState;
import io.longtail.detection.train.TrainingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every selectable box-head loss in training steps of a tiny detector on LT-Shapes: real images,
 * RPN proposals, sampled ROIs and pooled features, the training set's class statistics.
 */
class DetectorLossStepTest {

  @TempDir static Path shared;
  static Path data;
  static LvisDataset annotations;

  static final String CONFIG =
      String.join(
          "\n",
          "model:",
          "  backbone: {depth: 18, baseWidth: 8, norm: GN, freezeAt: 0, fpnChannels: 16}",
          "  rpn: {anchorSizes: [16, 32, 64, 128, 256], preNmsTopKTrain: 200,"
              + " postNmsTopKTrain: 100, preNmsTopKTest: 100, postNmsTopKTest: 50,"
              + " batchSizePerImage: 64}",
          "  roiHeads: {fcDim: 32, batchSizePerImage: 32, loss: LOSS}",
          "input: {minSizeTrain: 96, minSizeTest: 96, maxSize: 96}",
          "solver: {imagesPerBatch: 2, baseLr: 0.01, warmupIters: 1, steps: [3], maxIter: 3,"
              + " checkpointPeriod: 100, sampler: RANDOM, workers: 1, seed: 11}",
          "");

  static final String[] LOSSES = {
    "softmax",
    "bce",
    "{kind: focal}",
    "{kind: class-balanced, beta: 0.99}",
    "{kind: logit-adjusted}",
    "{kind: eql, lambda: 0.5}",
    "seesaw",
    "{kind: seesaw, objectness: false}",
    "{kind: distribution-balanced}"
  };

  @BeforeAll
  static void generate() throws Exception {
    data = shared.resolve("data");
    LtShapesGenerator.builder()
        .optConfig(
            LtShapesConfig.builder()
                .optCategories(4)
                .optTrainImages(12)
                .optValImages(2)
                .optImbalance(4)
                .optImageSize(96)
                .optSeed(5)
                .build())
        .optProgressBar(false)
        .build()
        .generate(data);
    annotations = LvisReader.builder().build().read(data.resolve(LtShapesGenerator.TRAIN_FILE));
  }

  static DetectorConfig config(String loss) {
    return ConfigIo.parse(CONFIG.replace("LOSS", loss), "test")
        .withData(
            new DataConfig(
                data.resolve(LtShapesGenerator.TRAIN_FILE).toString(),
                data.resolve(LtShapesGenerator.IMAGES_DIR).toString(),
                null,
                null));
  }

  @Test
  void everySelectableLossTrainsTheBoxHeadOnDetectorRois() throws Exception {
    int k = annotations.categories().size();
    LabelStatistics stats = LabelStatistics.of(annotations);
    DetectionDataset dataset =
        DetectionDataset.builder()
            .setAnnotations(annotations)
            .setImagesRoot(data.resolve(LtShapesGenerator.IMAGES_DIR))
            .optTransform(DetectionTransform.builder().optMinSize(96).optMaxSize(96).build())
            .setSampling(1, false)
            .build();
    Engine.getInstance().setRandomSeed(1);
    FasterRcnn detector = new FasterRcnn(config("softmax").model(), k);
    try (NDManager root = NDManager.newBaseManager()) {
      detector.initialize(root, DataType.FLOAT32, new Shape(1, 3, 64, 64));
      ParameterStore ps = new ParameterStore(root, false);
      FrozenFeatureStep step = new FrozenFeatureStep(detector);
      for (String loss : LOSSES) {
        // The same two images every iteration.
        BatchFeeder feeder =
            new BatchFeeder(
                dataset,
                epoch -> new long[] {0, 1},
                2,
                SamplerState.start(1),
                Backbone.SIZE_DIVISIBILITY,
                1);
        ModelConfig model = config(loss).model();
        RoiBoxHead head = new RoiBoxHead(model.roiHeads(), k, stats);
        head.initialize(root, DataType.FLOAT32, new Shape(1, 16, 7, 7));
        List<Float> values = new ArrayList<>();
        for (int it = 0; it < 2; it++) {
          try (DetectionBatch batch = feeder.next(root)) {
            FrozenFeatureStep.Prepared p = step.prepare(ps, batch, new Random(it));
            assertThat(p.sampled().foregroundRows()).isNotEmpty();
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
              NDArray y = batch.images().getManager().create(p.sampled().labels());
              NDList out = head.forward(ps, new NDList(p.pooled()), new NDList(y), null);
              FastRcnnLosses.Losses l = head.losses(out, p.sampled());
              values.add(l.classification().getFloat());
              gc.backward(l.classification().add(l.box()));
            }
            for (Pair<String, Parameter> q : head.getParameters()) {
              if (q.getValue().requiresGradient()) {
                NDArray g = q.getValue().getArray().getGradient();
                assertThat(g.abs().sum().getFloat()).as(loss + " " + q.getKey()).isFinite();
                q.getValue().getArray().subi(g.mul(0.01f));
              }
            }
            NDList test = head.forward(ps, new NDList(p.pooled()), false);
            assertThat(head.scores(test.get(2), InferenceMode.PLAIN, 0).getShape())
                .isEqualTo(new Shape(p.sampled().size(), k + 1));
          }
        }
        feeder.close();
        assertThat(values).as(loss).allSatisfy(v -> assertThat(v).isFinite().isPositive());
      }
    }
  }

  /**
   * The full training loop with a loss that needs statistics (EQL) and one with state (Seesaw):
   * runs once {@code FasterRcnn} builds its box head with the training set's statistics and
   * computes the ROI losses with {@code RoiBoxHead.losses} (the change this package asks of the
   * detector).
   */
  @Test
  void detectorTrainingRunsWithSelectedLossesAndSavesSeesawCounts(@TempDir Path dir)
      throws Exception {
    boolean wired;
    try {
      FasterRcnn.class.getConstructor(ModelConfig.class, int.class, LabelStatistics.class);
      wired = true;
    } catch (NoSuchMethodException e) {
      wired = false;
    }
    Assumptions.assumeTrue(
        wired, "FasterRcnn does not take LabelStatistics yet: the detector uses softmax CE only");
    for (String loss : new String[] {"{kind: eql, lambda: 0.5}", "seesaw"}) {
      Path run = dir.resolve(loss.replaceAll("\\W", ""));
      DetectorTraining.Result r =
          DetectorTraining.run(config(loss), DetectorTraining.Options.of(run).withQuiet(true));
      assertThat(TrainingLog.read(run.resolve(TrainingLog.FILE_NAME)))
          .allSatisfy(m -> assertThat(m.losses().value("loss_cls")).isFinite());
      try (TrainedDetector d = TrainedDetector.load(r.checkpoint())) {
        assertThat(d.config().model().roiHeads().loss().lossKind().configName())
            .isEqualTo(loss.startsWith("{") ? "eql" : "seesaw");
        if (loss.equals("seesaw")) {
          double counted = 0;
          for (Pair<String, Parameter> p : d.model().getParameters()) {
            if (p.getKey().contains("seesawCounts")) {
              counted = p.getValue().getArray().sum().toType(DataType.FLOAT64, false).getDouble();
            }
          }
          // 3 iterations of 2 images, 32 sampled ROIs each.
          assertThat(counted).isEqualTo(3 * 2 * 32);
        }
        DetectionDataset val =
            DetectionDataset.builder()
                .setAnnotations(annotations)
                .setImagesRoot(data.resolve(LtShapesGenerator.IMAGES_DIR))
                .optTransform(d.testTransform())
                .setSampling(1, false)
                .build();
        assertThat(d.detect(List.of(val.prepare(0, false)), InferenceMode.PLAIN, 0)).hasSize(1);
      }
      assertThat(Files.exists(r.checkpoint())).isTrue();
    }
  }
}
