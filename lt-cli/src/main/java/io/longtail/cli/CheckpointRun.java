package io.longtail.cli;

import io.longtail.core.classifier.InferenceMode;
import io.longtail.datasets.lvis.Detection;
import io.longtail.datasets.lvis.LvisDataset;
import io.longtail.datasets.pipeline.DetectionDataset;
import io.longtail.detection.config.CategoryRef;
import io.longtail.detection.config.ClassifierConfig;
import io.longtail.detection.config.ClassifierKind;
import io.longtail.detection.engine.TrainedDetector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import me.tongfei.progressbar.ProgressBar;

/** Running a loaded checkpoint from the command line: mode checks and dataset inference. */
final class CheckpointRun {

  private CheckpointRun() {}

  /**
   * The inference mode to use: the requested one, or the checkpoint's default.
   *
   * @throws IllegalArgumentException if TDE is requested of a classifier other than causal-norm
   */
  static InferenceMode mode(TrainedDetector detector, InferenceMode requested) {
    return mode(detector.config().model().roiHeads().classifier(), detector.source(), requested);
  }

  /**
   * The inference mode to use for a box classifier: the requested one, or the classifier's default.
   *
   * @param c the checkpoint's classifier config
   * @param source the checkpoint, for the error message
   * @param requested {@code --tde}, or {@code null}
   * @throws IllegalArgumentException if TDE is requested of a classifier other than causal-norm
   */
  static InferenceMode mode(ClassifierConfig c, Object source, InferenceMode requested) {
    InferenceMode mode = requested != null ? requested : c.inference();
    if (mode != InferenceMode.PLAIN && c.kind() != ClassifierKind.CAUSAL_NORM) {
      throw new IllegalArgumentException(
          "--tde "
              + CliSupport.tdeName(mode)
              + " needs a causal-norm checkpoint; "
              + source
              + " has a "
              + c.kind()
              + " classifier (use --tde off)");
    }
    return mode;
  }

  /** The TDE strength to use: the requested one, or the checkpoint's default. */
  static float alpha(TrainedDetector detector, Float requested) {
    return alpha(detector.config().model().roiHeads().classifier(), requested);
  }

  /** The TDE strength to use: the requested one, or the classifier's default. */
  static float alpha(ClassifierConfig c, Float requested) {
    float alpha = requested != null ? requested : c.alpha();
    if (!(alpha >= 0) || Float.isInfinite(alpha)) {
      throw new IllegalArgumentException("--alpha must be >= 0 and finite, got " + alpha);
    }
    return alpha;
  }

  /**
   * Checks that every category the detector predicts exists in the annotations (detections of
   * unknown categories cannot be evaluated).
   */
  static void checkCategories(TrainedDetector detector, LvisDataset annotations, Path file) {
    checkCategories(detector.config().categories(), detector.source(), annotations, file);
  }

  /**
   * Checks that every category a checkpoint predicts exists in the annotations.
   *
   * @param categories the checkpoint's categories
   * @param source the checkpoint, for the error message
   * @param annotations the ground truth
   * @param file its file, for the error message
   */
  static void checkCategories(
      List<CategoryRef> categories, Object source, LvisDataset annotations, Path file) {
    int missing = 0;
    CategoryRef example = null;
    for (CategoryRef c : categories) {
      if (!annotations.hasCategory(c.id())) {
        missing++;
        example = example == null ? c : example;
      }
    }
    if (missing > 0) {
      throw new IllegalArgumentException(
          source
              + " predicts "
              + missing
              + " categories that "
              + file
              + " does not have (e.g. id "
              + example.id()
              + " '"
              + example.name()
              + "'): the checkpoint was trained on another label space");
    }
  }

  /**
   * Detections of every image of an annotation file.
   *
   * @param detector the detector
   * @param annotations images to run on
   * @param images folder the file names are relative to
   * @param mode inference mode
   * @param alpha TDE strength
   * @param batchSize images per forward pass
   * @param workers decoding threads
   * @param progress draw a progress bar on stderr
   * @return LVIS results
   */
  static List<Detection> detect(
      TrainedDetector detector,
      LvisDataset annotations,
      Path images,
      InferenceMode mode,
      float alpha,
      int batchSize,
      int workers,
      boolean progress) {
    if (!Files.isDirectory(images)) {
      throw new IllegalArgumentException("images folder not found: " + images);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("--batch-size must be >= 1, got " + batchSize);
    }
    DetectionDataset dataset =
        DetectionDataset.builder()
            .setAnnotations(annotations)
            .setImagesRoot(images)
            .optTransform(detector.testTransform())
            .setSampling(1, false)
            .build();
    if (!progress) {
      return detector.detectAll(dataset, mode, alpha, batchSize, workers, n -> {});
    }
    try (ProgressBar bar = CliSupport.inferenceBar(dataset.size(), "inference")) {
      return detector.detectAll(dataset, mode, alpha, batchSize, workers, bar::stepTo);
    }
  }
}
