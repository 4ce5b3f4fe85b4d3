package io.longtail.cli;

import io.longtail.core.classifier.InferenceMode;
import io.longtail.datasets.lvis.CategoryIndex;
import io.longtail.datasets.pipeline.PreparedImage;
import io.longtail.detection.config.CategoryRef;
import io.longtail.detection.config.ClassifierConfig;
import io.longtail.detection.engine.TrainedDetector;
import io.longtail.detection.report.DetectionPainter;
import io.longtail.detection.report.DetectionPainter.LabelledBox;
import io.longtail.detection.structures.ImageDetections;
import io.longtail.segmentation.api.InstanceDrawing;
import io.longtail.segmentation.api.InstanceSegmenter;
import io.longtail.segmentation.api.PredictOptions;
import io.longtail.segmentation.api.SegmentedInstance;
import io.longtail.segmentation.engine.TrainedMaskRcnn;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./lt predict}: runs a detector checkpoint on one image and draws its boxes, or a Mask
 * R-CNN checkpoint and draws its masks (translucent, one colour per instance) with their boxes.
 */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description = {
      "Detect objects in one image with a trained checkpoint and write a copy with the boxes,"
          + " class names and scores drawn (one colour per class); the detections are also"
          + " printed.",
      "With a Mask R-CNN checkpoint, each instance's mask is filled with a translucent colour of"
          + " its own and its box and label drawn in that colour, at the input's size."
    })
final class PredictCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--checkpoint",
      required = true,
      paramLabel = "CKPT",
      description = "Detector or Mask R-CNN checkpoint (or run directory: its latest checkpoint).")
  Path checkpoint;

  @Option(
      names = "--image",
      required = true,
      paramLabel = "IN.jpg",
      description = "Input image (any format OpenCV reads).")
  Path image;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "OUT.png",
      description = "Output image; the format follows the extension (.png, .jpg).")
  Path out;

  @Option(
      names = "--tde",
      paramLabel = "off|on|bg-exempt",
      converter = CliSupport.TdeConverter.class,
      description =
          "Plain softmax (off), TDE logits (on) or TDE with background-exempted inference"
              + " (bg-exempt); default: the checkpoint's (bg-exempt for causal norm).")
  InferenceMode tde;

  @Option(
      names = "--alpha",
      paramLabel = "A",
      description = "TDE strength (default: the checkpoint's, 1.5).")
  Float alpha;

  @Option(
      names = "--score-threshold",
      paramLabel = "S",
      defaultValue = "0.3",
      description = "Draw detections with at least this score (default ${DEFAULT-VALUE}).")
  double scoreThreshold;

  @Option(
      names = "--max-boxes",
      paramLabel = "N",
      defaultValue = "50",
      description = "Draw at most N boxes, best first (default ${DEFAULT-VALUE}).")
  int maxBoxes;

  @Option(
      names = "--min-size",
      paramLabel = "PX",
      defaultValue = "512",
      description =
          "Upscale smaller images so that their longer side is at least PX in the output, to keep"
              + " labels readable; 0 keeps the input size (default ${DEFAULT-VALUE}). Detector"
              + " checkpoints only: Mask R-CNN drawings keep the input size.")
  int minSize;

  @Option(names = "--verbose", description = "Print stack traces of errors.")
  boolean verbose;

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      run(stdout);
      return 0;
    } catch (Exception e) {
      return CliSupport.fail(err, "predict", e, verbose);
    }
  }

  @SuppressWarnings("try") // the PointerScope frees the native objects made inside
  private void run(PrintWriter stdout) throws IOException {
    if (!(scoreThreshold >= 0 && scoreThreshold <= 1)) {
      throw new IllegalArgumentException(
          "--score-threshold must be in [0, 1], got " + scoreThreshold);
    }
    if (maxBoxes < 0 || minSize < 0) {
      throw new IllegalArgumentException(
          "--max-boxes and --min-size must be >= 0, got " + maxBoxes + " and " + minSize);
    }
    if (!Files.isRegularFile(image)) {
      throw new IllegalArgumentException("image not found: " + image);
    }
    Path file = CliSupport.checkpoint(checkpoint);
    if (TrainedMaskRcnn.isMaskRcnnCheckpoint(file)) {
      runMaskRcnn(file, stdout);
      return;
    }
    try (TrainedDetector detector = TrainedDetector.load(file);
        PointerScope scope = new PointerScope()) {
      InferenceMode mode = CheckpointRun.mode(detector, tde);
      float a = CheckpointRun.alpha(detector, alpha);
      Mat bgr = opencv_imgcodecs.imread(image.toString(), opencv_imgcodecs.IMREAD_COLOR);
      if (bgr == null || bgr.empty()) {
        throw new IllegalArgumentException("OpenCV cannot decode the image " + image);
      }
      Mat rgb = new Mat();
      opencv_imgproc.cvtColor(bgr, rgb, opencv_imgproc.COLOR_BGR2RGB);
      List<CategoryRef> categories = detector.config().categories();
      List<Integer> ids = new ArrayList<>();
      for (CategoryRef c : categories) {
        ids.add(c.id());
      }
      PreparedImage prepared =
          detector
              .testTransform()
              .apply(
                  rgb, 0L, image.getFileName().toString(), List.of(), CategoryIndex.of(ids), false);
      long t0 = System.nanoTime();
      ImageDetections detections = detector.detect(List.of(prepared), mode, a).get(0);
      double seconds = (System.nanoTime() - t0) / 1e9;
      List<LabelledBox> boxes =
          DetectionPainter.boxes(detections, categories, scoreThreshold, maxBoxes);
      double scale = Math.max(1, (double) minSize / Math.max(bgr.cols(), bgr.rows()));
      Mat drawn =
          DetectionPainter.draw(
              bgr,
              boxes,
              (int) Math.round(bgr.cols() * scale),
              (int) Math.round(bgr.rows() * scale));
      Path parent = out.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      boolean written;
      try {
        written = opencv_imgcodecs.imwrite(out.toString(), drawn);
      } catch (RuntimeException e) {
        throw new IOException("cannot write " + out + ": " + CliSupport.describe(e), e);
      }
      if (!written) {
        throw new IOException("cannot write " + out + " (unknown extension or unwritable folder)");
      }
      stdout.printf(
          Locale.ROOT,
          "%s: %d x %d px, --tde %s%s, %.2f s; %d detections with score >= %.2f:%n",
          image,
          bgr.cols(),
          bgr.rows(),
          CliSupport.tdeName(mode),
          mode == InferenceMode.PLAIN ? "" : String.format(Locale.ROOT, " --alpha %.3g", a),
          seconds,
          boxes.size(),
          scoreThreshold);
      for (LabelledBox b : boxes) {
        stdout.printf(
            Locale.ROOT,
            "  %-32s %.3f  [%.1f, %.1f, %.1f, %.1f]%n",
            b.name(),
            b.score(),
            b.x1(),
            b.y1(),
            b.x2(),
            b.y2());
      }
      stdout.printf(Locale.ROOT, "wrote %s%n", out);
      stdout.flush();
    }
  }

  /** Segments the image with a Mask R-CNN checkpoint and draws masks, boxes and labels. */
  private void runMaskRcnn(Path file, PrintWriter stdout) throws IOException {
    BufferedImage input;
    try {
      input = ImageIO.read(image.toFile());
    } catch (IOException e) {
      throw new IOException("cannot read the image " + image + ": " + CliSupport.describe(e), e);
    }
    if (input == null) {
      throw new IllegalArgumentException(
          "cannot decode the image " + image + " (Mask R-CNN drawing reads PNG, JPEG, BMP, GIF)");
    }
    InferenceMode mode;
    float a;
    List<SegmentedInstance> instances;
    double seconds;
    try (InstanceSegmenter segmenter = InstanceSegmenter.load(file)) {
      ClassifierConfig classifier =
          segmenter.model().config().detector().model().roiHeads().classifier();
      mode = CheckpointRun.mode(classifier, file, tde);
      a = CheckpointRun.alpha(classifier, alpha);
      PredictOptions options =
          PredictOptions.builder()
              .optMode(mode)
              .optAlpha(a)
              .optScoreThreshold((float) scoreThreshold)
              .optMaxInstances(Math.max(1, maxBoxes))
              .build();
      long t0 = System.nanoTime();
      instances = segmenter.predict(image, options);
      seconds = (System.nanoTime() - t0) / 1e9;
    }
    if (instances.size() > maxBoxes) {
      instances = instances.subList(0, maxBoxes);
    }
    BufferedImage drawn = InstanceDrawing.draw(input, instances);
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    String name = out.getFileName().toString();
    String format = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : "";
    boolean written;
    try {
      written = ImageIO.write(drawn, format.toLowerCase(Locale.ROOT), out.toFile());
    } catch (IOException e) {
      throw new IOException("cannot write " + out + ": " + CliSupport.describe(e), e);
    }
    if (!written) {
      throw new IOException("cannot write " + out + " (unknown extension '" + format + "')");
    }
    stdout.printf(
        Locale.ROOT,
        "%s: %d x %d px, Mask R-CNN, --tde %s%s, %.2f s; %d instances with score >= %.2f:%n",
        image,
        input.getWidth(),
        input.getHeight(),
        CliSupport.tdeName(mode),
        mode == InferenceMode.PLAIN ? "" : String.format(Locale.ROOT, " --alpha %.3g", a),
        seconds,
        instances.size(),
        scoreThreshold);
    for (SegmentedInstance s : instances) {
      float[] box = s.box();
      stdout.printf(
          Locale.ROOT,
          "  %-32s %.3f  [%.1f, %.1f, %.1f, %.1f]  mask %d px%n",
          s.categoryName(),
          s.score(),
          box[0],
          box[1],
          box[2],
          box[3],
          s.area());
    }
    stdout.printf(Locale.ROOT, "wrote %s%n", out);
    stdout.flush();
  }
}
