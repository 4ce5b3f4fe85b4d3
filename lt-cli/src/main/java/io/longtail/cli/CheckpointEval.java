package io.longtail.cli;

import io.longtail.core.classifier.InferenceMode;
import io.longtail.datasets.eval.EvalDetections;
import io.longtail.datasets.eval.IouType;
import io.longtail.datasets.lvis.Detection;
import io.longtail.datasets.lvis.LvisDataset;
import io.longtail.datasets.lvis.ResultsWriter;
import io.longtail.detection.engine.TrainedDetector;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The {@code --checkpoint} mode of {@code lt eval}: option checks and inference. */
final class CheckpointEval {

  private CheckpointEval() {}

  /**
   * Checks that the options describe one mode: {@code --results} (with {@code --iou-type}) or
   * {@code --checkpoint} with {@code --images} (boxes); fills {@code --iou-type bbox} for the
   * latter.
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
    if (c.iouType == null) {
      c.iouType = IouType.BBOX;
    } else if (c.iouType != IouType.BBOX) {
      throw new IllegalArgumentException(
          "--checkpoint evaluates boxes: --iou-type must be bbox, got " + c.iouType.key());
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
   * Loads the checkpoint, runs it on every image of the annotations and returns its detections.
   *
   * @param c the command's options
   * @param annotations the ground truth (its images are run)
   * @param out status lines
   */
  static EvalDetections detections(EvalCommand c, LvisDataset annotations, PrintWriter out)
      throws IOException {
    Path file = CliSupport.checkpoint(c.checkpoint);
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
      out.printf(
          Locale.ROOT,
          "inference: %d images in %.1f s (%.1f images/s)%n",
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
      return EvalDetections.from(detections);
    }
  }
}
