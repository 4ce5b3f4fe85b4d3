package io.longtail.segmentation.engine;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
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
import io.longtail.detection.config.SolverConfig;
import io.longtail.detection.engine.BatchFeeder;
import io.longtail.detection.engine.DetectorTraining;
import io.longtail.detection.engine.EpochOrder;
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
import io.longtail.segmentation.api.DjlModelFiles;
import io.longtail.segmentation.config.MaskRcnnConfig;
import io.longtail.segmentation.config.MaskRcnnConfigIo;
import io.longtail.segmentation.model.MaskRcnn;
import io.longtail.segmentation.model.MaskRcnnLosses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * The Mask R-CNN training loop: the detector's ({@link DetectorTraining}: SGD with momentum and
 * weight decay, warm-up + step/cosine schedule, optional gradient clipping, the configured image
 * sampler, progress bar, {@code metrics.jsonl}, atomic checkpoints, exact resume, NaN guard) with
 * the mask loss as a fifth term ({@code loss_mask}).
 *
 * <p>The run directory gets {@code config.yaml} (the full Mask R-CNN config, {@code mask:}
 * included), {@code checkpoints/} and {@code serving.properties}, which makes the directory a model
 * that DJL's {@code Criteria} loads ({@link DjlModelFiles}). Checkpoints carry the same config
 * text, so {@link TrainedMaskRcnn#load} needs nothing else.
 */
public final class MaskRcnnTraining {

  private MaskRcnnTraining() {}

  /**
   * Trains.
   *
   * @param config the configuration (data paths already resolved)
   * @param options output directory, resume, progress bar, log, stop-at and listener (the same
   *     options as the detector's loop)
   * @return iterations done, last losses (five terms), final checkpoint, seconds per iteration
   * @throws IOException on unreadable data or unwritable output
   */
  public static DetectorTraining.Result run(MaskRcnnConfig config, DetectorTraining.Options options)
      throws IOException {
    DetectorConfig detector = config.detector();
    SolverConfig solver = detector.solver();
    Path trainJson = requirePath(detector.data().trainAnnotations(), "data.trainAnnotations");
    Path trainImages = requirePath(detector.data().trainImages(), "data.trainImages");
    LvisDataset annotations = LvisReader.builder().build().read(trainJson);
    List<CategoryRef> categories = new ArrayList<>();
    for (Category c : annotations.categories()) {
      categories.add(new CategoryRef(c.id(), c.name()));
    }
    if (!detector.categories().isEmpty() && !detector.categories().equals(categories)) {
      throw new IllegalArgumentException(
          "the config's categories differ from those of "
              + trainJson
              + "; remove the categories section to train on this dataset");
    }
    config = config.withDetector(detector.withCategories(categories));
    int numForeground = categories.size();
    DetectionDataset dataset =
        DetectionDataset.builder()
            .setAnnotations(annotations)
            .setImagesRoot(trainImages)
            .optTransform(
                DetectionTransform.builder()
                    .optMinSize(detector.input().minSizeTrain())
                    .optMaxSize(detector.input().maxSize())
                    .optFlipProbability(detector.input().flipProbability())
                    .build())
            .setSampling(1, false)
            .build();
    Files.createDirectories(options.outputDir());
    String configYaml = MaskRcnnConfigIo.toYaml(config);
    CheckpointStore store =
        new CheckpointStore(
            options.outputDir().resolve(DetectorTraining.CHECKPOINTS), solver.keepCheckpoints());
    Optional<Checkpoint> resumeFrom = options.resume() ? store.latest() : Optional.empty();

    Engine.getInstance().setRandomSeed((int) (long) solver.seed());
    MaskRcnn model = new MaskRcnn(config, numForeground);
    Shape inputShape = new Shape(1, 3, 64, 64);
    try (NDManager root = NDManager.newBaseManager()) {
      model.initialize(root, DataType.FLOAT32, inputShape);
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
        } catch (MalformedModelException e) {
          throw new IOException(
              ckpt.file() + ": parameters do not fit the configured model: " + e.getMessage(), e);
        }
        // Loading replaces the parameter arrays: initialise again to attach their gradients.
        model.initialize(root, DataType.FLOAT32, inputShape);
        optimizer.loadState(ckpt.optimizerStream());
        start = ckpt.info().iteration();
        samplerState = ckpt.info().sampler();
        options.log().printf("resuming from %s at iteration %d%n", ckpt.file(), start);
      } else if (options.resume()) {
        options
            .log()
            .println("no checkpoint to resume from in " + store.directory() + ": starting");
      }
      Files.writeString(options.outputDir().resolve(DetectorTraining.CONFIG_FILE), configYaml);
      DjlModelFiles.writeServingProperties(options.outputDir());
      LrSchedule schedule = DetectorTraining.schedule(solver);
      LossGuard guard = LossGuard.forStore(store);
      Provenance provenance =
          Provenance.capture(solver.seed(), trainJson.toString(), Clock.systemUTC());
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
            // The detector's per-iteration stream: a resumed run draws the same samples.
            Random random = new Random(Seeds.derive(solver.seed(), 0x5eed, it));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
              MaskRcnnLosses losses = model.losses(ps, batch, random);
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
        checkpoint =
            store.save(
                new CheckpointInfo(start, samplerState, configYaml, provenance),
                model::saveParameters,
                optimizer::saveState);
      }
      double perIteration = ran == 0 ? 0 : (System.nanoTime() - began) / 1e9 / ran;
      optimizer.close();
      return new DetectorTraining.Result(Math.max(start, end), last, checkpoint, perIteration);
    }
  }

  private static Path requirePath(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " must be set in the config");
    }
    return Path.of(value);
  }
}
