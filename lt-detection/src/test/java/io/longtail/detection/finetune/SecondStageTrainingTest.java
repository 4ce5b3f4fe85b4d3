package io.longtail.detection.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.longtail.core.classifier.InferenceMode;
import io.longtail.core.classifier.LinearClassifier;
import io.longtail.core.classifier.LwsClassifier;
import io.longtail.core.classifier.TauNorm;
import io.longtail.core.classifier.TauNormClassifier;
import io.longtail.datasets.lvis.Category;
import io.longtail.datasets.lvis.LvisDataset;
import io.longtail.datasets.lvis.LvisReader;
import io.longtail.datasets.pipeline.DetectionDataset;
import io.longtail.datasets.pipeline.PreparedImage;
import io.longtail.datasets.synth.LtShapesConfig;
import io.longtail.datasets.synth.LtShapesGenerator;
import io.longtail.detection.config.CategoryRef;
import io.longtail.detection.config.ClassificationLossConfig;
import io.longtail.detection.config.ClassifierKind;
import io.longtail.detection.config.ConfigIo;
import io.longtail.detection.config.DataConfig;
import io.longtail.detection.config.DetectorConfig;
import io.longtail.detection.config.SamplerKind;
import io.longtail.detection.engine.TrainedDetector;
import io.longtail.detection.model.FasterRcnn;
import io.longtail.detection.structures.ImageDetections;
import io.longtail.detection.train.CheckpointInfo;
import io.longtail.detection.train.CheckpointStore;
import io.longtail.detection.train.Provenance;
import io.longtail.detection.train.SamplerState;
import io.longtail.detection.train.TrainingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cRT, LWS and tau-norm over a checkpoint of a tiny detector on LT-Shapes: loadable checkpoints,
 * and only the intended parameters change (batch-norm statistics included).
 */
class SecondStageTrainingTest {

  @TempDir static Path shared;
  static Path data;
  static List<CategoryRef> categories;

  static final String MODEL =
      String.join(
          "\n",
          "model:",
          "  backbone: {depth: 18, baseWidth: 8, norm: BN, freezeAt: 0, fpnChannels: 16}",
          "  rpn: {anchorSizes: [16, 32, 64, 128, 256], preNmsTopKTrain: 200,"
              + " postNmsTopKTrain: 100, preNmsTopKTest: 100, postNmsTopKTest: 50,"
              + " batchSizePerImage: 64}",
          "  roiHeads: {fcDim: 32, batchSizePerImage: 32, scoreThreshold: 0.0}",
          "input: {minSizeTrain: 96, minSizeTest: 96, maxSize: 96}",
          "solver: {imagesPerBatch: 2, baseLr: 0.05, maxIter: 40, workers: 1, seed: 11}",
          "");

  @BeforeAll
  static void generate() throws Exception {
    data = shared.resolve("data");
    LtShapesGenerator.builder()
        .optConfig(
            LtShapesConfig.builder()
                .optCategories(4)
                .optTrainImages(16)
                .optValImages(4)
                .optImbalance(4)
                .optImageSize(96)
                .optSeed(2)
                .build())
        .optProgressBar(false)
        .build()
        .generate(data);
    LvisDataset train =
        LvisReader.builder().build().read(data.resolve(LtShapesGenerator.TRAIN_FILE));
    categories = new ArrayList<>();
    for (Category c : train.categories()) {
      categories.add(new CategoryRef(c.id(), c.name()));
    }
  }

  static DetectorConfig config(String roiHeadsExtra) {
    String yaml = MODEL.replace("scoreThreshold: 0.0", "scoreThreshold: 0.0" + roiHeadsExtra);
    return ConfigIo.parse(yaml, "test")
        .withData(
            new DataConfig(
                data.resolve(LtShapesGenerator.TRAIN_FILE).toString(),
                data.resolve(LtShapesGenerator.IMAGES_DIR).toString(),
                null,
                null))
        .withCategories(categories);
  }

  /** A first-stage checkpoint: the detector as initialised from the seed, with a random bias. */
  static Path checkpoint(Path dir, DetectorConfig config) throws Exception {
    Engine.getInstance().setRandomSeed(3);
    FasterRcnn model = new FasterRcnn(config.model(), categories.size());
    try (NDManager m = NDManager.newBaseManager()) {
      model.initialize(m, DataType.FLOAT32, new Shape(1, 3, 64, 64));
      // Unequal rows, so that tau-norm and LWS have something to rescale.
      for (Parameter p : model.boxHead().classifier().getParameters().values()) {
        NDArray a = p.getArray();
        a.set(
            a.mul(
                    m.arange((float) a.getShape().get(0))
                        .add(1)
                        .reshape(-1, 1)
                        .reshape(
                            p.getType() == Parameter.Type.BIAS ? new Shape(-1) : new Shape(-1, 1)))
                .toFloatArray());
      }
      return new CheckpointStore(dir)
          .save(
              new CheckpointInfo(
                  40,
                  SamplerState.start(11),
                  ConfigIo.toYaml(config),
                  Provenance.capture(11, "lt-shapes", Clock.systemUTC())),
              model::saveParameters,
              out -> {});
    }
  }

  static Map<String, float[]> parameters(FasterRcnn model) {
    Map<String, float[]> out = new HashMap<>();
    for (Pair<String, Parameter> p : model.getParameters()) {
      NDArray a = p.getValue().getArray();
      out.put(p.getKey(), a.toType(DataType.FLOAT32, false).toFloatArray());
    }
    return out;
  }

  /** Every parameter outside the box classifier is identical in the two detectors. */
  static void assertSameOutsideTheClassifier(TrainedDetector a, TrainedDetector b) {
    Map<String, float[]> pa = parameters(a.model());
    Map<String, float[]> pb = parameters(b.model());
    List<String> compared = new ArrayList<>();
    List<String> differing = new ArrayList<>();
    for (Map.Entry<String, float[]> e : pa.entrySet()) {
      if (e.getKey().contains("classifier_")) {
        continue;
      }
      compared.add(e.getKey());
      if (!pb.containsKey(e.getKey()) || !Arrays.equals(pb.get(e.getKey()), e.getValue())) {
        differing.add(e.getKey());
      }
    }
    assertThat(differing).isEmpty();
    assertThat(compared).hasSizeGreaterThan(50);
    // Batch-norm running statistics are among them.
    assertThat(pa.keySet()).anyMatch(k -> k.contains("runningMean") || k.contains("moving"));
  }

  static float[] array(Parameter p) {
    return p.getArray().toFloatArray();
  }

  static List<PreparedImage> images(TrainedDetector d) throws Exception {
    DetectionDataset ds =
        DetectionDataset.builder()
            .setAnnotations(
                LvisReader.builder().build().read(data.resolve(LtShapesGenerator.TRAIN_FILE)))
            .setImagesRoot(data.resolve(LtShapesGenerator.IMAGES_DIR))
            .optTransform(d.testTransform())
            .setSampling(1, false)
            .build();
    return List.of(ds.prepare(0, false), ds.prepare(1, false));
  }

  @Test
  void tauNormRescalesTheClassifierWithoutTrainingAndLoads(@TempDir Path dir) throws Exception {
    Path source = checkpoint(dir.resolve("stage1"), config(""));
    SecondStageTraining.Result r =
        SecondStageTraining.run(
            source,
            FinetuneConfig.builder(FinetuneScheme.TAU_NORM).optTau(0.5f).build(),
            SecondStageTraining.Options.of(dir.resolve("tau")).withQuiet(true));
    assertThat(r.iterations()).isZero();
    assertThat(r.config().model().roiHeads().classifier().kind())
        .isEqualTo(ClassifierKind.TAU_NORM);
    try (TrainedDetector before = TrainedDetector.load(source);
        TrainedDetector after = TrainedDetector.load(r.checkpoint())) {
      assertThat(after.config().model().roiHeads().classifier().tauNormPower()).isEqualTo(0.5f);
      assertSameOutsideTheClassifier(before, after);
      LinearClassifier trained = (LinearClassifier) before.model().boxHead().classifier();
      TauNormClassifier tau = (TauNormClassifier) after.model().boxHead().classifier();
      assertThat(tau.tau()).isEqualTo(0.5f);
      assertThat(array(tau.base().getParameters().get("weight")))
          .containsExactly(array(trained.getParameters().get("weight")));
      // Its logits are the tau-normalised ones.
      try (NDManager m = NDManager.newBaseManager()) {
        NDArray x = m.randomNormal(new Shape(3, 32));
        NDArray expected =
            TauNorm.logits(
                x,
                trained.getParameters().get("weight").getArray(),
                trained.getParameters().get("bias").getArray(),
                0.5f);
        assertThat(tau.logits(x).toFloatArray())
            .containsExactly(expected.toFloatArray(), org.assertj.core.data.Offset.offset(1e-6f));
      }
      List<ImageDetections> d = after.detect(images(after), InferenceMode.PLAIN, 0);
      assertThat(d).hasSize(2);
    }
  }

  @Test
  void lwsLearnsOnlyThePerClassScales(@TempDir Path dir) throws Exception {
    Path source = checkpoint(dir.resolve("stage1"), config(""));
    SecondStageTraining.Result r =
        SecondStageTraining.run(
            source,
            FinetuneConfig.builder(FinetuneScheme.LWS).optIterations(3).optBaseLr(0.05).build(),
            SecondStageTraining.Options.of(dir.resolve("lws")).withQuiet(true));
    assertThat(r.iterations()).isEqualTo(3);
    assertThat(r.lastLosses().orElseThrow().value("loss_cls")).isFinite();
    assertThat(r.config().solver().sampler()).isEqualTo(SamplerKind.CLASS_AWARE);
    assertThat(r.config().solver().maxIter()).isEqualTo(3);
    assertThat(TrainingLog.read(dir.resolve("lws").resolve(TrainingLog.FILE_NAME))).hasSize(3);
    assertThat(Files.readString(dir.resolve("lws").resolve("config.yaml")))
        .startsWith("# second stage lws over ");
    try (TrainedDetector before = TrainedDetector.load(source);
        TrainedDetector after = TrainedDetector.load(r.checkpoint())) {
      assertSameOutsideTheClassifier(before, after);
      LinearClassifier trained = (LinearClassifier) before.model().boxHead().classifier();
      LwsClassifier lws = (LwsClassifier) after.model().boxHead().classifier();
      assertThat(array(lws.base().getParameters().get("weight")))
          .containsExactly(array(trained.getParameters().get("weight")));
      assertThat(array(lws.base().getParameters().get("bias")))
          .containsExactly(array(trained.getParameters().get("bias")));
      float[] scales = lws.scales().toFloatArray();
      assertThat(scales).hasSize(categories.size() + 1);
      assertThat(scales).isNotEqualTo(new float[] {1, 1, 1, 1, 1});
      assertThat(after.detect(images(after), InferenceMode.PLAIN, 0)).hasSize(2);
    }
  }

  @Test
  void crtRetrainsAReinitialisedClassifierAndNothingElse(@TempDir Path dir) throws Exception {
    Path source = checkpoint(dir.resolve("stage1"), config(""));
    SecondStageTraining.Result r =
        SecondStageTraining.run(
            source,
            FinetuneConfig.builder(FinetuneScheme.CRT).optIterations(2).optSeed(5).build(),
            SecondStageTraining.Options.of(dir.resolve("crt")).withQuiet(true));
    try (TrainedDetector before = TrainedDetector.load(source);
        TrainedDetector after = TrainedDetector.load(r.checkpoint())) {
      assertThat(after.config().model().roiHeads().classifier().kind())
          .isEqualTo(ClassifierKind.LINEAR);
      assertSameOutsideTheClassifier(before, after);
      float[] w0 = array(before.model().boxHead().classifier().getParameters().get("weight"));
      float[] w1 = array(after.model().boxHead().classifier().getParameters().get("weight"));
      assertThat(w1).hasSameSizeAs(w0).isNotEqualTo(w0);
      assertThat(after.detect(images(after), InferenceMode.PLAIN, 0)).hasSize(2);
    }
  }

  @Test
  void sigmoidAndSeesawHeadsGetTheirBaselineLossInTheSecondStage(@TempDir Path dir)
      throws Exception {
    // LWS over an EQL-trained sigmoid head: K logits, trained with BCE.
    Path eql = checkpoint(dir.resolve("eql"), config(", loss: {kind: eql}"));
    SecondStageTraining.Result lws =
        SecondStageTraining.run(
            eql,
            FinetuneConfig.builder(FinetuneScheme.LWS).optIterations(1).build(),
            SecondStageTraining.Options.of(dir.resolve("eql-lws")).withQuiet(true));
    assertThat(lws.config().model().roiHeads().loss())
        .isEqualTo(new ClassificationLossConfig.Bce(1.0));
    try (TrainedDetector after = TrainedDetector.load(lws.checkpoint())) {
      assertThat(after.model().boxHead().logitColumns()).isEqualTo(categories.size());
    }
    // cRT over a Seesaw objectness head: a K + 1 softmax head trained with cross-entropy.
    Path seesaw = checkpoint(dir.resolve("seesaw"), config(", loss: seesaw"));
    SecondStageTraining.Result crt =
        SecondStageTraining.run(
            seesaw,
            FinetuneConfig.builder(FinetuneScheme.CRT).optIterations(1).build(),
            SecondStageTraining.Options.of(dir.resolve("seesaw-crt")).withQuiet(true));
    try (TrainedDetector after = TrainedDetector.load(crt.checkpoint())) {
      assertThat(after.model().boxHead().logitColumns()).isEqualTo(categories.size() + 1);
      assertThat(after.config().model().roiHeads().loss())
          .isEqualTo(new ClassificationLossConfig.Softmax(1.0));
    }
  }

  @Test
  void schemesThatDoNotFitTheClassifierAreRejectedWithTheReason() {
    FinetuneConfig lws = FinetuneConfig.builder(FinetuneScheme.LWS).build();
    assertThatThrownBy(
            () ->
                SecondStageTraining.secondStageConfig(
                    config(", classifier: {kind: CAUSAL_NORM}"), lws))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "scheme lws rescales a trained LINEAR classifier; this checkpoint's classifier is"
                + " CAUSAL_NORM; use scheme crt");
    assertThatThrownBy(
            () ->
                SecondStageTraining.secondStageConfig(
                    config(", classifier: {kind: LWS}"),
                    FinetuneConfig.builder(FinetuneScheme.CRT).build()))
        .hasMessageContaining("already a second stage (LWS)");
    assertThatThrownBy(
            () ->
                SecondStageTraining.secondStageConfig(
                    config(", loss: seesaw"),
                    FinetuneConfig.builder(FinetuneScheme.TAU_NORM).build()))
        .hasMessageContaining("two extra objectness columns; use scheme crt");
    assertThatThrownBy(() -> FinetuneScheme.fromName("decouple"))
        .hasMessage("scheme must be one of crt, lws, tau-norm, got decouple");
    assertThat(FinetuneScheme.fromName("TAU_NORM")).isEqualTo(FinetuneScheme.TAU_NORM);
    // Defaults: a tenth of the first stage, its learning rate, class-aware sampling.
    DetectorConfig c = SecondStageTraining.secondStageConfig(config(""), lws);
    assertThat(c.solver().maxIter()).isEqualTo(4);
    assertThat(c.solver().baseLr()).isEqualTo(0.05f);
    assertThat(c.solver().sampler()).isEqualTo(SamplerKind.CLASS_AWARE);
  }
}
