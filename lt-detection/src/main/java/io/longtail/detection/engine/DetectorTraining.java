package io.longtail.detection.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.longtail.datasets.lvis.Category;
import io.longtail.datasets.lvis.LvisDataset;
import io.longtail.datasets.lvis.LvisReader;
import io.longtail.datasets.pipeline.DetectionBatch;
import io.longtail.datasets.pipeline.DetectionDataset;
import io.longtail.datasets.pipeline.DetectionTransform;
import io.longtail.datasets.sampling.Seeds;
import io.longtail.detection.backbone.Backbone;
import io.longtail.detection.config.CategoryRef;
import io.longtail.detection.config.DetectorConfig;
import io.longtail.detection.config.ScheduleKind;
import io.longtail.detection.config.SolverConfig;
import io.longtail.detection.roiheads.LabelStatistics;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * The detector's training loop: SGD with momentum and weight decay under a warm-up + step/cosine
 * schedule, optional gradient clipping, images from the configured sampler, a progress bar, a
 * per-iteration metrics log, atomic checkpoints every {@code checkpointPeriod} iterations and at
 * the end, and exact resume (parameters, causal-norm moving feature, optimizer state, iteration and
 * sampler position come back; per-iteration randomness is derived from the seed and the iteration,
 * so a resumed run computes the same losses as an uninterrupted one). A non-finite loss stops the
 * run before the update, naming the iteration and the term; the last good checkpoint stays.
 */
public final class DetectorTraining {

  /** Checkpoint directory inside the output directory. */
  public static final String CHECKPOINTS = "checkpoints";

  /** The resolved config written into the output directory. */
  public static final String CONFIG_FILE = "config.yaml";

  private DetectorTraining() {}

  /** Called after every iteration with the model's root manager (for monitoring and tests). */
  @FunctionalInterface
  public interface IterationListener {
    /**
     * An iteration finished.
     *
     * @param completed iterations completed so far
     * @param root the manager holding the model's parameters
     */
    void onIteration(long completed, NDManager root);
  }

  /**
   * How to run.
   *
   * @param outputDir run directory (checkpoints, metrics.jsonl, config.yaml)
   * @param resume continue from the latest checkpoint in {@code outputDir} when there is one
   * @param quiet no progress bar
   * @param log where to print status lines
   * @param stopAt stop (with a checkpoint) once this many iterations are completed, before {@code
   *     solver.maxIter}; 0 runs to the end. The schedule still follows maxIter, so a later {@code
   *     resume} continues the same run (time-boxed runs, tests).
   * @param listener called after every iteration (may be a no-op)
   */
  public record Options(
      Path outputDir,
      boolean resume,
      boolean quiet,
      PrintStream log,
      long stopAt,
      IterationListener listener) {

    /** Defaults: fresh run, progress bar, status on stderr, to the end, no listener. */
    public static Options of(Path outputDir) {
      return new Options(outputDir, false, false, System.err, 0, (it, root) -> {});
    }

    /** A copy that resumes (or not). */
    public Options withResume(boolean value) {
      return new Options(outputDir, value, quiet, log, stopAt, listener);
    }

    /** A copy without (or with) progress bar. */
    public Options withQuiet(boolean value) {
      return new Options(outputDir, resume, value, log, stopAt, listener);
    }

    /** A copy that stops after {@code iterations} completed iterations. */
    public Options withStopAt(long iterations) {
      return new Options(outputDir, resume, quiet, log, iterations, listener);
    }

    /** A copy with an iteration listener. */
    public Options withListener(IterationListener value) {
      return new Options(outputDir, resume, quiet, log, stopAt, value);
    }
  }

  /**
   * What the run produced.
   *
   * @param iterations completed iterations
   * @param lastLosses the losses of the last iteration run (empty when nothing ran)
   * @param checkpoint the final checkpoint
   * @param secondsPerIteration mean wall time per iteration of this invocation
   */
  public record Result(
      long iterations,
      Optional<LossTerms> lastLosses,
      Path checkpoint,
      double secondsPerIteration) {}

  /**
   * Trains.
   *
   * @param config the configuration (data paths already resolved)
   * @param options output and resume
   * @return the result
   * @throws IOException on unreadable data or unwritable output
   */
  public static Result run(DetectorConfig config, Options options) throws IOException {
    return run(config, options, TrainableModel.fasterRcnn());
  }

  /**
   * Trains any {@link TrainableModel} with this loop (Mask R-CNN uses it).
   *
   * @param config the configuration (data paths already resolved)
   * @param options output and resume
   * @param factory builds the model from the config with its categories filled in
   * @return the result
   * @throws IOException on unreadable data or unwritable output
   */
  public static Result run(DetectorConfig config, Options options, TrainableModel.Factory factory)
      throws IOException {
    SolverConfig solver = config.solver();
    TrainingData data = TrainingData.read(config, "in the config");
    LvisDataset annotations = data.annotations();
    if (!config.categories().isEmpty() && !config.categories().equals(data.categories())) {
      throw new IllegalArgumentException(
          "the config's categories differ from those of "
              + data.annotationsFile()
              + "; remove the categories section to train on this dataset");
    }
    config = config.withCategories(data.categories());
    DetectionDataset dataset = data.dataset();
    Files.createDirectories(options.outputDir());
    String configYaml = factory.configText(config);
    CheckpointStore store =
        new CheckpointStore(options.outputDir().resolve(CHECKPOINTS), solver.keepCheckpoints());
    Optional<Checkpoint> resumeFrom = options.resume() ? store.latest() : Optional.empty();

    Engine.getInstance().setRandomSeed((int) (long) solver.seed());
    TrainableModel trainable = factory.create(config, LabelStatistics.of(annotations));
    Block model = trainable.block();
    try (NDManager root = NDManager.newBaseManager()) {
      model.initialize(root, DataType.FLOAT32, new Shape(1, 3, 64, 64));
      SgdOptimizer optimizer =
          SgdOptimizer.builder()
              .setParameters(model.getParameters())
              .optMomentum(solver.momentum())
              .optWeightDecay(solver.weightDecay())
              .optNoWeightDecay(SgdOptimizer.normParameters())
              .build();
      long start = 0;
      SamplerState samplerState = SamplerState.start(solver.seed());
      if (resumeFrom.isPresent()) {
        Checkpoint ckpt = resumeFrom.get();
        try {
          model.loadParameters(root, ckpt.parameterStream());
        } catch (ai.djl.MalformedModelException e) {
          throw new IOException(
              ckpt.file() + ": parameters do not fit the configured model: " + e.getMessage(), e);
        }
        // Loading replaces the parameter arrays: initialise again to attach their gradients.
        model.initialize(root, DataType.FLOAT32, new Shape(1, 3, 64, 64));
        optimizer.loadState(ckpt.optimizerStream());
        start = ckpt.info().iteration();
        samplerState = ckpt.info().sampler();
        options.log().printf("resuming from %s at iteration %d%n", ckpt.file(), start);
      } else if (options.resume()) {
        options
            .log()
            .println("no checkpoint to resume from in " + store.directory() + ": starting");
      }
      Files.writeString(options.outputDir().resolve(CONFIG_FILE), configYaml);
      LrSchedule schedule = schedule(solver);
      LossGuard guard = LossGuard.forStore(store);
      Provenance provenance =
          Provenance.capture(solver.seed(), data.annotationsFile().toString(), Clock.systemUTC());
      ParameterStore ps = new ParameterStore(root, false);
      Optional<LossTerms> last = Optional.empty();
      Path checkpoint = store.latestPath().orElse(null);
      long end =
          options.stopAt() > 0 ? Math.min(options.stopAt(), solver.maxIter()) : solver.maxIter();
      long began = System.nanoTime();
      long ran = 0;
      try (BatchFeeder feeder =
              new BatchFeeder(
                  dataset,
                  EpochOrder.of(solver, annotations),
                  solver.imagesPerBatch(),
                  samplerState,
                  Backbone.SIZE_DIVISIBILITY,
                  solver.workers());
          TrainingLog metrics =
              TrainingLog.builder()
                  .setRunDirectory(options.outputDir())
                  .optStartIteration(start)
                  .open();
          TrainingProgress progress =
              TrainingProgress.builder()
                  .setMaxIterations(solver.maxIter())
                  .optStartIteration(start)
                  .optQuiet(options.quiet())
                  .build()) {
        for (long it = start; it < end; it++) {
          long t0 = System.nanoTime();
          double lr = schedule.lr(it);
          LossTerms terms;
          try (DetectionBatch batch = feeder.next(root)) {
            Random random = new Random(Seeds.derive(solver.seed(), 0x5eed, it));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
              TrainableModel.StepLosses losses = trainable.losses(ps, batch, random);
              terms = losses.values();
              guard.check(it, terms);
              try (NDArray total = losses.total()) {
                gc.backward(total);
              }
            }
          }
          if (solver.clipGradNorm() > 0) {
            optimizer.clipGradNorm(solver.clipGradNorm());
          }
          optimizer.step(lr);
          double seconds = (System.nanoTime() - t0) / 1e9;
          metrics.append(new IterationMetrics(it, terms, lr, seconds, Instant.now()));
          progress.update(it + 1, terms, lr);
          last = Optional.of(terms);
          ran++;
          if (it + 1 == end || (it + 1) % solver.checkpointPeriod() == 0) {
            metrics.flush();
            checkpoint =
                store.save(
                    new CheckpointInfo(
                        it + 1, feeder.state(), configYaml, provenance.at(Instant.now())),
                    model::saveParameters,
                    optimizer::saveState);
          }
          options.listener().onIteration(it + 1, root);
        }
      }
      if (checkpoint == null) {
        // Nothing left to run and no checkpoint yet (maxIter reached before): save the state.
        checkpoint =
            store.save(
                new CheckpointInfo(start, samplerState, configYaml, provenance),
                model::saveParameters,
                optimizer::saveState);
      }
      double perIteration = ran == 0 ? 0 : (System.nanoTime() - began) / 1e9 / ran;
      optimizer.close();
      return new Result(Math.max(start, end), last, checkpoint, perIteration);
    }
  }

  /** The learning-rate schedule of a solver config. */
  public static LrSchedule schedule(SolverConfig solver) {
    int warmup = Math.min(solver.warmupIters(), solver.maxIter());
    if (solver.schedule() == ScheduleKind.COSINE) {
      return LrSchedule.cosine(solver.baseLr(), solver.maxIter(), warmup, solver.warmupFactor());
    }
    List<Long> steps = new ArrayList<>();
    for (int s : solver.steps()) {
      if (s < solver.maxIter()) {
        steps.add((long) s);
      }
    }
    return LrSchedule.step(
        solver.baseLr(), solver.maxIter(), steps, solver.gamma(), warmup, solver.warmupFactor());
  }

  /**
   * The training set of a config, read once for a training loop.
   *
   * @param annotationsFile {@code data.trainAnnotations}
   * @param annotations its annotations
   * @param categories its categories in file order (the contiguous classes {@code 0..K-1})
   * @param dataset its images with the config's training transform (resize, random flip)
   */
  public record TrainingData(
      Path annotationsFile,
      LvisDataset annotations,
      List<CategoryRef> categories,
      DetectionDataset dataset) {

    /**
     * Reads {@code data.trainAnnotations} and prepares the images of {@code data.trainImages}.
     *
     * @param config the configuration (data paths resolved)
     * @param where where an unset path must be set, for the error message (e.g. {@code in the
     *     config})
     * @return the training data
     * @throws IllegalArgumentException if a path is unset
     * @throws IOException if the annotations cannot be read
     */
    public static TrainingData read(DetectorConfig config, String where) throws IOException {
      Path json = requirePath(config.data().trainAnnotations(), "data.trainAnnotations", where);
      Path images = requirePath(config.data().trainImages(), "data.trainImages", where);
      LvisDataset annotations = LvisReader.builder().build().read(json);
      List<CategoryRef> categories = new ArrayList<>();
      for (Category c : annotations.categories()) {
        categories.add(new CategoryRef(c.id(), c.name()));
      }
      DetectionDataset dataset =
          DetectionDataset.builder()
              .setAnnotations(annotations)
              .setImagesRoot(images)
              .optTransform(
                  DetectionTransform.builder()
                      .optMinSize(config.input().minSizeTrain())
                      .optMaxSize(config.input().maxSize())
                      .optFlipProbability(config.input().flipProbability())
                      .build())
              .setSampling(1, false)
              .build();
      return new TrainingData(json, annotations, List.copyOf(categories), dataset);
    }
  }

  private static Path requirePath(String value, String field, String where) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " must be set " + where);
    }
    return Path.of(value);
  }
}
