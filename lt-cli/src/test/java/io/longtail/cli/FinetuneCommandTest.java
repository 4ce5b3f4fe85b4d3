package io.longtail.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.longtail.core.classifier.LwsClassifier;
import io.longtail.core.classifier.TauNormClassifier;
import io.longtail.datasets.synth.LtShapesConfig;
import io.longtail.datasets.synth.LtShapesGenerator;
import io.longtail.detection.engine.TrainedDetector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code lt finetune} over a tiny trained detector: each scheme, and its one-line errors. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FinetuneCommandTest {

  private Path root;
  private Path linear;
  private Path causal;

  @BeforeAll
  void trainTinyDetectors(@TempDir Path tmp) throws IOException {
    root = tmp;
    LtShapesGenerator.builder()
        .optConfig(
            LtShapesConfig.builder()
                .optCategories(4)
                .optTrainImages(12)
                .optValImages(2)
                .optImbalance(5)
                .optImageSize(96)
                .optMinValImages(1)
                .optSeed(2)
                .build())
        .optProgressBar(false)
        .optThreads(1)
        .build()
        .generate(root.resolve("data"));
    Path configs = Files.createDirectories(root.resolve("configs"));
    for (String kind : new String[] {"LINEAR", "CAUSAL_NORM"}) {
      Path config = configs.resolve(kind + ".yaml");
      Files.writeString(config, TinyConfigs.detector(kind));
      DetectorCommandsTest.Run r =
          DetectorCommandsTest.run(
              "train",
              "--config",
              config.toString(),
              "--output",
              root.resolve("runs/" + kind).toString(),
              "--no-progress");
      assertThat(r.exitCode()).as(r.err()).isZero();
    }
    linear = root.resolve("runs/LINEAR");
    causal = root.resolve("runs/CAUSAL_NORM");
  }

  @Test
  void tauNormAndLwsWriteLoadableCheckpoints() throws IOException {
    Path tauOut = root.resolve("runs/tau");
    DetectorCommandsTest.Run tau =
        DetectorCommandsTest.run(
            "finetune",
            "--checkpoint",
            linear.toString(),
            "--scheme",
            "tau-norm",
            "--tau",
            "0.7",
            "--output",
            tauOut.toString());
    assertThat(tau.exitCode()).as(tau.err()).isZero();
    assertThat(tau.out()).contains("finetune tau-norm over ").contains("checkpoint: ");
    try (TrainedDetector d =
        TrainedDetector.load(tauOut.resolve("checkpoints/model_0000000.ckpt"))) {
      assertThat(((TauNormClassifier) d.model().boxHead().classifier()).tau()).isEqualTo(0.7f);
    }
    Path lwsOut = root.resolve("runs/lws");
    DetectorCommandsTest.Run lws =
        DetectorCommandsTest.run(
            "finetune",
            "--checkpoint",
            linear.resolve("checkpoints/model_0000002.ckpt").toString(),
            "--scheme",
            "LWS",
            "--iterations",
            "2",
            "--output",
            lwsOut.toString(),
            "--no-progress");
    assertThat(lws.exitCode()).as(lws.err()).isZero();
    assertThat(lws.out()).contains("trained the LWS classifier for 2 iterations");
    try (TrainedDetector d =
        TrainedDetector.load(lwsOut.resolve("checkpoints/model_0000002.ckpt"))) {
      assertThat(d.model().boxHead().classifier()).isInstanceOf(LwsClassifier.class);
    }
    // The result evaluates like any checkpoint.
    DetectorCommandsTest.Run eval =
        DetectorCommandsTest.run(
            "eval",
            "--checkpoint",
            lwsOut.toString(),
            "--annotations",
            root.resolve("data").resolve(LtShapesGenerator.VAL_FILE).toString(),
            "--images",
            root.resolve("data").resolve(LtShapesGenerator.IMAGES_DIR).toString(),
            "--no-progress");
    assertThat(eval.exitCode()).as(eval.err()).isZero();
  }

  @Test
  void errorsAreOneLine() {
    DetectorCommandsTest.Run wrongClassifier =
        DetectorCommandsTest.run(
            "finetune",
            "--checkpoint",
            causal.toString(),
            "--scheme",
            "lws",
            "--output",
            root.resolve("runs/x").toString());
    assertThat(wrongClassifier.exitCode()).isEqualTo(1);
    assertThat(wrongClassifier.err())
        .isEqualTo(
            "lt finetune: error: scheme lws rescales a trained LINEAR classifier; this"
                + " checkpoint's classifier is CAUSAL_NORM; use scheme crt\n");
    DetectorCommandsTest.Run badScheme =
        DetectorCommandsTest.run(
            "finetune",
            "--checkpoint",
            linear.toString(),
            "--scheme",
            "decouple",
            "--output",
            root.resolve("runs/y").toString());
    assertThat(badScheme.exitCode()).isEqualTo(2);
    assertThat(badScheme.err()).contains("scheme must be one of crt, lws, tau-norm, got decouple");
    DetectorCommandsTest.Run missing =
        DetectorCommandsTest.run(
            "finetune",
            "--checkpoint",
            root.resolve("nope").toString(),
            "--scheme",
            "crt",
            "--output",
            root.resolve("runs/z").toString());
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).startsWith("lt finetune: error: checkpoint not found: ");
  }
}
