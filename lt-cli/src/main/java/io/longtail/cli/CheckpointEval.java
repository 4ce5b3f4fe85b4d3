package io.longtail.cli;

import io.longtail.core.classifier.InferenceMode;
import io.longtail.datasets.eval.EvalDetections;
import io.longtail.datasets.eval.IouType;
import io.longtail.datasets.lvis.Detection;
import io.longtail.datasets.lvis.LvisDataset;
import io.longtail.datasets.lvis.ResultsWriter;
import io.longtail.datasets.pipeline.DetectionDataset;
import io.longtail.detection.config.ClassifierConfig;
import io.longtail.detection.engine.TrainedDetector;
import io.longtail.segmentation.engine.TrainedMaskRcnn;
import io.longtail.segmentation.model.InferenceOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;

/** The {@code --checkpoint} mode of {@code lt eval}: option checks and inference. */
final class CheckpointEval {

  private CheckpointEval() {}

  /**
   * Checks that the options describe one mode: {@code --results} (with {@code --iou-type}) or
   * {@code --checkpoint} with {@code --images} (the checkpoint decides which types {@link
   * #detections} evaluates).
   */
  static void checkOptions(EvalCommand c) {
    if (c.results == null && c.checkpoint == null) {
      throw new IllegalArgumentException(
          "give --results RES.json, or --checkpoint CKPT with --images DIR");
    }
    if (c.results != null && c.checkpoint != null) {
      throw new IllegalArgumentException("--results and --checkpoint exclude each other");
    }
    if (c.results != null) {
      if (c.iouType == null) {
        throw new IllegalArgumentException("--iou-type bbox|segm is required with --results");
      }
      if (c.images != null || c.tde != null || c.alpha != null || c.resultsOut != null) {
        throw new IllegalArgumentException(
            "--images, --tde, --alpha and --results-out go with --checkpoint, not --results");
      }
      return;
    }
    if (c.images == null) {
      throw new IllegalArgumentException("--images DIR is required with --checkpoint");
    }
    if (!Files.exists(c.checkpoint)) {
      throw new IllegalArgumentException("checkpoint not found: " + c.checkpoint);
    }
    if (!Files.isDirectory(c.images)) {
      throw new IllegalArgumentException("images folder not found: " + c.images);
    }
  }

  /**
   * Loads the checkpoint, runs it on every image of the annotations and returns its detections
   * under each type to evaluate: {@code bbox} for a detector; {@code bbox} and {@code segm} (or the
   * one {@code --iou-type} names) for a Mask R-CNN, from the same results.
   *
   * @param c the command's options
   * @param annotations the ground truth (its images are run)
   * @param out status lines
   * @return the detections per IoU type, in evaluation order
   */
  static Map<IouType, EvalDetections> detections(
      EvalCommand c, LvisDataset annotations, PrintWriter out) throws IOException {
    Path file = CliSupport.checkpoint(c.checkpoint);
    if (TrainedMaskRcnn.isMaskRcnnCheckpoint(file)) {
      return maskRcnnDetections(c, file, annotations, out);
    }
    if (c.iouType != null && c.iouType != IouType.BBOX) {
      throw new IllegalArgumentException(
          file
              + " is a detector checkpoint (no masks): --iou-type must be bbox, got "
              + c.iouType.key());
    }
    try (TrainedDetector detector = TrainedDetector.load(file)) {
      InferenceMode mode = CheckpointRun.mode(detector, c.tde);
      float alpha = CheckpointRun.alpha(detector, c.alpha);
      CheckpointRun.checkCategories(detector, annotations, c.annotations);
      out.printf(
          Locale.ROOT,
          "checkpoint: %s (%s classifier, %d categories); inference --tde %s%s%n",
          file,
          detector.config().model().roiHeads().classifier().kind(),
          detector.config().categories().size(),
          CliSupport.tdeName(mode),
          mode == InferenceMode.PLAIN ? "" : String.format(Locale.ROOT, " --alpha %.3g", alpha));
      out.flush();
      long t0 = System.nanoTime();
      List<Detection> detections =
          CheckpointRun.detect(
              detector,
              annotations,
              c.images,
              mode,
              alpha,
              c.batchSize,
              Math.max(1, c.threads),
              !c.noProgress);
      double seconds = (System.nanoTime() - t0) / 1e9;
      finish(c, annotations, detections, seconds, "", out);
      return Map.of(IouType.BBOX, EvalDetections.from(detections));
    }
  }

  /** The Mask R-CNN case of {@link #detections}: results with boxes and masks. */
  private static Map<IouType, EvalDetections> maskRcnnDetections(
      EvalCommand c, Path file, LvisDataset annotations, PrintWriter out) throws IOException {
    if (c.batchSize < 1) {
      throw new IllegalArgumentException("--batch-size must be >= 1, got " + c.batchSize);
    }
    try (TrainedMaskRcnn model = TrainedMaskRcnn.load(file)) {
      ClassifierConfig classifier = model.config().detector().model().roiHeads().classifier();
      InferenceMode mode = CheckpointRun.mode(classifier, file, c.tde);
      float alpha = CheckpointRun.alpha(classifier, c.alpha);
      CheckpointRun.checkCategories(model.categories(), file, annotations, c.annotations);
      InferenceOptions options = model.defaultOptions().withMode(mode).withAlpha(alpha);
      out.printf(
          Locale.ROOT,
          "checkpoint: %s (Mask R-CNN, %s classifier, %d categories); inference --tde %s%s%n",
          file,
          classifier.kind(),
          model.categories().size(),
          CliSupport.tdeName(mode),
          mode == InferenceMode.PLAIN ? "" : String.format(Locale.ROOT, " --alpha %.3g", alpha));
      out.flush();
      DetectionDataset dataset =
          DetectionDataset.builder()
              .setAnnotations(annotations)
              .setImagesRoot(c.images)
              .optTransform(model.testTransform())
              .setSampling(1, false)
              .build();
      int workers = Math.max(1, c.threads);
      long t0 = System.nanoTime();
      List<Detection> detections;
      if (c.noProgress) {
        detections = model.detectAll(dataset, options, c.batchSize, workers, n -> {});
      } else {
        try (ProgressBar bar = CliSupport.inferenceBar(dataset.size(), "inference")) {
          detections = model.detectAll(dataset, options, c.batchSize, workers, bar::stepTo);
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      finish(c, annotations, detections, seconds, " with masks", out);
      EvalDetections all = EvalDetections.from(detections);
      Map<IouType, EvalDetections> byType = new LinkedHashMap<>();
      if (c.iouType == null || c.iouType == IouType.BBOX) {
        byType.put(IouType.BBOX, all);
      }
      if (c.iouType == null || c.iouType == IouType.SEGM) {
        byType.put(IouType.SEGM, all);
      }
      return byType;
    }
  }

  /** Prints the inference speed and writes {@code --results-out}. */
  private static void finish(
      EvalCommand c,
      LvisDataset annotations,
      List<Detection> detections,
      double seconds,
      String what,
      PrintWriter out)
      throws IOException {
    out.printf(
        Locale.ROOT,
        "inference%s: %d images in %.1f s (%.1f images/s)%n",
        what,
        annotations.images().size(),
        seconds,
        annotations.images().size() / Math.max(seconds, 1e-9));
    if (c.resultsOut != null) {
      Path parent = c.resultsOut.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      ResultsWriter.write(c.resultsOut, detections);
      out.printf(Locale.ROOT, "wrote %s%n", c.resultsOut);
    }
    out.flush();
  }
}
