package io.longtail.detection.finetune;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.longtail.core.classifier.LwsClassifier;
import io.longtail.core.loss.HeadActivation;
import io.longtail.datasets.lvis.LvisDataset;
import io.longtail.datasets.pipeline.DetectionBatch;
import io.longtail.datasets.pipeline.DetectionDataset;
import io.longtail.datasets.sampling.Seeds;
import io.longtail.detection.backbone.Backbone;
import io.longtail.detection.config.ClassificationLossConfig;
import io.longtail.detection.config.ClassifierConfig;
import io.longtail.detection.config.ClassifierKind;
import io.longtail.detection.config.ConfigIo;
import io.longtail.detection.config.DataConfig;
import io.longtail.detection.config.DetectorConfig;
import io.longtail.detection.config.ModelConfig;
import io.longtail.detection.config.RoiHeadsConfig;
import io.longtail.detection.config.ScheduleKind;
import io.longtail.detection.config.SolverConfig;
import io.longtail.detection.engine.BatchFeeder;
import io.longtail.detection.engine.DetectorTraining;
import io.longtail.detection.engine.EpochOrder;
import io.longtail.detection.model.FasterRcnn;
import io.longtail.detection.train.Checkpoint;
import io.longtail.detection.train.CheckpointInfo;
import io.longtail.detection.train.CheckpointStore;
import io.longtail.detection.train.IterationMetrics;
import io.longtail.detection.train.LossGuard;
import io.longtail.detection.train.LossTerms;
import io.longtail.detection.train.LrSchedule;
import io.longtail.detection.train.Provenance;
import io.longtail.detection.train.SamplerState;
import io.longtail.detection.train.SgdOptimizer;
import io.longtail.detection.train.TrainingLog;
import io.longtail.detection.train.TrainingProgress;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;

/**
 * The second stages of Kang et al. ("Decoupling Representation and Classifier for Long-Tailed
 * Recognition", ICLR 2020) over a trained detector's checkpoint, each writing a checkpoint in the
 * same format with a config that describes the new classifier, so that {@code TrainedDetector}
 * loads it:
 *
 * <ul>
 *   <li>{@link FinetuneScheme#TAU_NORM}: no training; the classifier becomes {@code TAU_NORM} with
 *       {@code tauNormPower = tau} over the trained weight and bias (every row of the {@code K + 1}
 *       or {@code K} logits, background included, is normalised; the bias is kept, as mmpretrain's
 *       tau-norm does).
 *   <li>{@link FinetuneScheme#LWS}: the classifier becomes {@code LWS}: the trained linear
 *       classifier, frozen, times one learnt scale per class (initialised to 1), trained with
 *       class-aware sampling; every other parameter is frozen.
 *   <li>{@link FinetuneScheme#CRT}: the classifier (same kind) is re-initialised from the seed and
 *       trained with class-aware sampling; every other parameter is frozen.
 * </ul>
 *
 * <p>Training runs the backbone and RPN in inference mode ({@link FrozenFeatureStep}) and the box
 * head with the baseline loss of its activation: softmax cross-entropy for softmax heads, BCE for
 * sigmoid heads (the saved config's {@code roiHeads.loss} says so; a Seesaw objectness head becomes
 * a {@code K + 1} softmax head under cRT). LWS and tau-norm need a {@code LINEAR} classifier with
 * {@code K + 1} softmax or {@code K} sigmoid logits. The saved solver section describes the second
 * stage (class-aware sampler, cosine schedule over its iterations); the YAML starts with a comment
 * naming the scheme and the source checkpoint. A second stage is short and has no resume: it writes
 * one checkpoint at the end.
 */
public final class SecondStageTraining {

  private SecondStageTraining() {}

  /**
   * Where and how to run.
   *
   * @param outputDir run directory (checkpoints/, config.yaml, metrics.jsonl)
   * @param quiet no progress bar
   * @param log where status lines go
   * @param data training data for cRT and LWS, or {@code null} for the checkpoint's {@code data}
   */
  public record Options(Path outputDir, boolean quiet, PrintStream log, DataConfig data) {

    /** Validates the output directory and the log. */
    public Options {
      Objects.requireNonNull(outputDir, "outputDir");
      Objects.requireNonNull(log, "log");
    }

    /** Defaults: progress bar, status on stderr, the checkpoint's data. */
    public static Options of(Path outputDir) {
      return new Options(outputDir, false, System.err, null);
    }

    /** A copy without (or with) progress bar. */
    public Options withQuiet(boolean value) {
      return new Options(outputDir, value, log, data);
    }

    /** A copy with other training data. */
    public Options withData(DataConfig value) {
      return new Options(outputDir, quiet, log, value);
    }

    /** A copy that prints status lines elsewhere. */
    public Options withLog(PrintStream value) {
      return new Options(outputDir, quiet, value, data);
    }
  }

  /**
   * What the stage produced.
   *
   * @param checkpoint the new checkpoint
   * @param config its configuration
   * @param iterations training iterations run (0 for tau-norm)
   * @param lastLosses the last iteration's losses (empty for tau-norm)
   * @param secondsPerIteration mean wall time per iteration (0 for tau-norm)
   */
  public record Result(
      Path checkpoint,
      DetectorConfig config,
      long iterations,
      Optional<LossTerms> lastLosses,
      double secondsPerIteration) {}

  /**
   * Runs a second stage.
   *
   * @param checkpoint the trained detector's checkpoint
   * @param settings scheme and its settings
   * @param options output directory, progress, data
   * @return the new checkpoint and its config
   * @throws IOException when the checkpoint or the data cannot be read, or the output not written
   * @throws IllegalArgumentException when the scheme does not apply to the checkpoint's classifier
   */
  public static Result run(Path checkpoint, FinetuneConfig settings, Options options)
      throws IOException {
    Checkpoint source = Checkpoint.read(checkpoint);
    DetectorConfig trained = ConfigIo.parse(source.info().config(), checkpoint + " (config)");
    if (trained.categories().isEmpty()) {
      throw new IOException(checkpoint + ": the checkpoint's config has no categories");
    }
    if (options.data() != null) {
      trained = trained.withData(options.data());
    }
    DetectorConfig config = secondStageConfig(trained, settings);
    int numForeground = config.categories().size();
    String header =
        "# second stage "
            + settings.scheme()
            + " over "
            + checkpoint.toAbsolutePath()
            + " (iteration "
            + source.info().iteration()
            + ")\n";
    String yaml = header + ConfigIo.toYaml(config);
    long seed = config.solver().seed();
    Files.createDirectories(options.outputDir());
    CheckpointStore store =
        new CheckpointStore(
            options.outputDir().resolve(DetectorTraining.CHECKPOINTS),
            config.solver().keepCheckpoints());
    Engine.getInstance().setRandomSeed((int) seed);
    FasterRcnn model = new FasterRcnn(config.model(), numForeground);
    try (NDManager root = NDManager.newBaseManager()) {
      model.initialize(root, DataType.FLOAT32, new Shape(1, 3, 64, 64));
      try (NDManager scratch = NDManager.newBaseManager()) {
        FasterRcnn trainedModel = new FasterRcnn(trained.model(), numForeground);
        trainedModel.initialize(scratch, DataType.FLOAT32, new Shape(1, 3, 64, 64));
        try {
          trainedModel.loadParameters(scratch, source.parameterStream());
        } catch (MalformedModelException | RuntimeException e) {
          throw new IOException(
              checkpoint + ": parameters do not fit the saved config: " + e.getMessage(), e);
        }
        ParameterTransfer.copy(trainedModel, model, settings.scheme() != FinetuneScheme.CRT);
      }
      Files.writeString(options.outputDir().resolve(DetectorTraining.CONFIG_FILE), yaml);
      if (!settings.scheme().trains()) {
        Provenance provenance =
            Provenance.capture(seed, source.info().provenance().dataset(), Clock.systemUTC());
        Path file =
            store.save(
                new CheckpointInfo(0, SamplerState.start(seed), yaml, provenance),
                model::saveParameters,
                out -> {});
        options.log().printf("tau-norm (tau=%s): wrote %s%n", settings.tau(), file);
        return new Result(file, config, 0, Optional.empty(), 0);
      }
      return train(model, root, config, yaml, store, options);
    }
  }

  /**
   * The second stage's configuration: the trained one with the new classifier, the baseline loss of
   * the head's activation for the trained schemes, and a solver describing the stage.
   *
   * @param trained the checkpoint's configuration (categories included)
   * @param settings the stage's settings
   * @return the configuration the new checkpoint is saved with
   * @throws IllegalArgumentException when the scheme does not apply to the trained classifier
   */
  public static DetectorConfig secondStageConfig(DetectorConfig trained, FinetuneConfig settings) {
    FinetuneScheme scheme = settings.scheme();
    RoiHeadsConfig roi = trained.model().roiHeads();
    ClassifierConfig classifier = roi.classifier();
    ClassificationLossConfig loss = roi.loss();
    boolean objectness = loss instanceof ClassificationLossConfig.Seesaw s && s.objectness();
    if (scheme == FinetuneScheme.CRT) {
      if (classifier.kind() == ClassifierKind.LWS || classifier.kind() == ClassifierKind.TAU_NORM) {
        throw new IllegalArgumentException(
            "scheme crt re-trains a LINEAR, COSINE or CAUSAL_NORM classifier; this checkpoint's"
                + " classifier is already a second stage ("
                + classifier.kind()
                + ")");
      }
    } else {
      if (classifier.kind() != ClassifierKind.LINEAR) {
        throw new IllegalArgumentException(
            "scheme "
                + scheme
                + " rescales a trained LINEAR classifier; this checkpoint's classifier is "
                + classifier.kind()
                + (classifier.kind() == ClassifierKind.LWS
                        || classifier.kind() == ClassifierKind.TAU_NORM
                    ? " (already a second stage)"
                    : "; use scheme crt"));
      }
      if (objectness) {
        throw new IllegalArgumentException(
            "scheme "
                + scheme
                + " needs K + 1 softmax or K sigmoid logits; this checkpoint's Seesaw head has two"
                + " extra objectness columns; use scheme crt");
      }
    }
    ClassifierConfig newClassifier =
        switch (scheme) {
          case TAU_NORM ->
              classifier.withKind(ClassifierKind.TAU_NORM).withTauNormPower(settings.tau());
          case LWS -> classifier.withKind(ClassifierKind.LWS);
          case CRT -> classifier;
        };
    ClassificationLossConfig newLoss = loss;
    if (scheme.trains()) {
      newLoss =
          loss.activation() == HeadActivation.SIGMOID
              ? new ClassificationLossConfig.Bce(null)
              : new ClassificationLossConfig.Softmax(null);
    }
    RoiHeadsConfig newRoi = roi.withLoss(newLoss).withClassifier(newClassifier);
    ModelConfig model = new ModelConfig(trained.model().backbone(), trained.model().rpn(), newRoi);
    SolverConfig solver = trained.solver();
    if (scheme.trains()) {
      int iterations =
          settings.iterations() > 0 ? settings.iterations() : Math.max(1, solver.maxIter() / 10);
      solver =
          new SolverConfig(
              settings.imagesPerBatch() > 0 ? settings.imagesPerBatch() : solver.imagesPerBatch(),
              settings.baseLr() > 0 ? (float) settings.baseLr() : solver.baseLr(),
              solver.momentum(),
              solver.weightDecay(),
              0,
              solver.warmupFactor(),
              ScheduleKind.COSINE,
              List.of(),
              solver.gamma(),
              iterations,
              solver.clipGradNorm(),
              Math.min(solver.checkpointPeriod(), iterations),
              solver.keepCheckpoints(),
              settings.sampler(),
              solver.repeatThreshold(),
              settings.workers() > 0 ? settings.workers() : solver.workers(),
              settings.seed() != null ? settings.seed() : solver.seed());
    }
    return new DetectorConfig(model, trained.input(), solver, trained.data(), trained.categories());
  }

  private static Result train(
      FasterRcnn model,
      NDManager root,
      DetectorConfig config,
      String yaml,
      CheckpointStore store,
      Options options)
      throws IOException {
    SolverConfig solver = config.solver();
    DetectorTraining.TrainingData data =
        DetectorTraining.TrainingData.read(
            config, "(in the checkpoint's config or as an option) for a second stage");
    Path trainJson = data.annotationsFile();
    LvisDataset annotations = data.annotations();
    if (!data.categories().equals(config.categories())) {
      throw new IllegalArgumentException(
          "the categories of "
              + trainJson
              + " differ from the checkpoint's; a second stage trains on the first stage's label"
              + " space");
    }
    DetectionDataset dataset = data.dataset();
    freezeAllButTheClassifier(model);
    long seed = solver.seed();
    SgdOptimizer optimizer =
        SgdOptimizer.builder()
            .setParameters(model.getParameters())
            .optMomentum(solver.momentum())
            .optWeightDecay(solver.weightDecay())
            .optNoWeightDecay(SgdOptimizer.normParameters())
            .build();
    LrSchedule schedule = LrSchedule.cosine(solver.baseLr(), solver.maxIter(), 0, 1);
    LossGuard guard = LossGuard.forStore(store);
    Provenance provenance = Provenance.capture(seed, trainJson.toString(), Clock.systemUTC());
    ParameterStore ps = new ParameterStore(root, false);
    FrozenFeatureStep step = new FrozenFeatureStep(model);
    Optional<LossTerms> last = Optional.empty();
    long end = solver.maxIter();
    long began = System.nanoTime();
    SamplerState samplerState;
    try (BatchFeeder feeder =
            new BatchFeeder(
                dataset,
                EpochOrder.of(solver, annotations),
                solver.imagesPerBatch(),
                SamplerState.start(seed),
                Backbone.SIZE_DIVISIBILITY,
                solver.workers());
        TrainingLog metrics = TrainingLog.builder().setRunDirectory(options.outputDir()).open();
        TrainingProgress progress =
            TrainingProgress.builder()
                .setMaxIterations(end)
                .optQuiet(options.quiet())
                .optTaskName("finetune")
                .build()) {
      for (long it = 0; it < end; it++) {
        long t0 = System.nanoTime();
        double lr = schedule.lr(it);
        LossTerms terms;
        try (DetectionBatch batch = feeder.next(root)) {
          Random random = new Random(Seeds.derive(seed, 0x5eed, it));
          FrozenFeatureStep.Prepared prepared = step.prepare(ps, batch, random);
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = step.classificationLoss(ps, prepared);
            terms = LossTerms.of("loss_cls", (double) loss.getFloat());
            guard.check(it, terms);
            gc.backward(loss);
          }
        }
        if (solver.clipGradNorm() > 0) {
          optimizer.clipGradNorm(solver.clipGradNorm());
        }
        optimizer.step(lr);
        metrics.append(
            new IterationMetrics(it, terms, lr, (System.nanoTime() - t0) / 1e9, Instant.now()));
        progress.update(it + 1, terms, lr);
        last = Optional.of(terms);
      }
      samplerState = feeder.state();
      metrics.flush();
    }
    Path file =
        store.save(
            new CheckpointInfo(end, samplerState, yaml, provenance),
            model::saveParameters,
            optimizer::saveState);
    optimizer.close();
    double perIteration = (System.nanoTime() - began) / 1e9 / end;
    options.log().printf("%s: %d iterations, wrote %s%n", "second stage", end, file);
    return new Result(file, config, end, last, perIteration);
  }

  /**
   * Freezes every parameter, then lets the classifier's trainable ones learn again: LWS's scales
   * only, or the weights and biases of a re-initialised classifier (a causal-norm moving feature
   * stays a buffer).
   */
  static void freezeAllButTheClassifier(FasterRcnn model) {
    model.freezeParameters(true);
    if (model.boxHead().classifier() instanceof LwsClassifier lws) {
      lws.getParameters().get("scales").freeze(false);
      return;
    }
    for (Parameter p : model.boxHead().classifier().getParameters().values()) {
      if (p.getType() == Parameter.Type.WEIGHT || p.getType() == Parameter.Type.BIAS) {
        p.freeze(false);
      }
    }
  }
}
