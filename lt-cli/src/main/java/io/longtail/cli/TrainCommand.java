package io.longtail.cli;

import io.longtail.detection.config.DataConfig;
import io.longtail.detection.config.DetectorConfig;
import io.longtail.detection.engine.DetectorTraining;
import io.longtail.detection.train.LossTerms;
import io.longtail.detection.train.TrainingLog;
import io.longtail.segmentation.config.MaskRcnnConfig;
import io.longtail.segmentation.config.MaskRcnnConfigIo;
import io.longtail.segmentation.engine.MaskRcnnTraining;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./lt train}: trains a Faster R-CNN FPN detector, or a Mask R-CNN when the YAML config has
 * a {@code mask:} section, from a YAML config (see {@code configs/}), with checkpoints, a metrics
 * log and exact resume.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train a Faster R-CNN FPN detector (linear softmax, cosine or causal-norm box classifier)"
          + " on LVIS-format data from a YAML config; the file states only what differs from the"
          + " defaults (R-50-FPN 1x on LVIS). A config with a top-level mask: section trains a Mask"
          + " R-CNN (the same detector plus a mask head; loss_mask is logged as a fifth loss).",
      "Relative data paths resolve against the config file's folder. Writes OUT/config.yaml,"
          + " OUT/metrics.jsonl (losses per iteration) and OUT/checkpoints/model_NNNNNNN.ckpt"
          + " (every solver.checkpointPeriod iterations and at the end)."
    })
final class TrainCommand implements Callable<Integer> {

  /** Folder of the default output directories, {@code runs/<config name>}. */
  static final String RUNS = "runs";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      description = "YAML config, e.g. configs/lt-shapes-causal-norm.yaml.")
  Path config;

  @Option(
      names = "--output",
      paramLabel = "DIR",
      description = "Run directory (default: runs/<config file name without .yaml>).")
  Path output;

  @Option(
      names = "--resume",
      description =
          "Continue from the latest checkpoint in the run directory (same losses as an"
              + " uninterrupted run); starts from scratch when there is none.")
  boolean resume;

  @Option(
      names = "--max-iter",
      paramLabel = "N",
      description = "Override solver.maxIter (learning-rate steps at or after N are dropped).")
  Integer maxIter;

  @Option(
      names = "--stop-at",
      paramLabel = "N",
      description =
          "Stop with a checkpoint after N completed iterations while keeping the schedule of"
              + " solver.maxIter; --resume later continues the same run.")
  Long stopAt;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description =
          "Override a config key, e.g. --set solver.baseLr=0.01 --set"
              + " model.roiHeads.classifier.kind=CAUSAL_NORM or --set mask.convDim=128"
              + " (repeatable; values are YAML).")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--no-progress", description = "Do not draw the progress bar.")
  boolean noProgress;

  @Option(names = "--verbose", description = "Print stack traces of errors.")
  boolean verbose;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      if (stopAt != null && stopAt < 1) {
        throw new IllegalArgumentException("--stop-at must be >= 1, got " + stopAt);
      }
      if (!Files.isRegularFile(config)) {
        throw new IllegalArgumentException("config file not found: " + config);
      }
      Path dir = output != null ? output : defaultOutput(config);
      PrintStream log = CliSupport.printStream(out);
      DetectorTraining.Options options =
          new DetectorTraining.Options(
              dir, resume, noProgress, log, stopAt == null ? 0 : stopAt, (it, root) -> {});
      DetectorTraining.Result result;
      if (MaskRcnnConfigIo.isMaskRcnn(config)) {
        MaskRcnnConfig resolved = loadMaskRcnn(config, overrides, maxIter);
        out.printf(
            Locale.ROOT,
            "config: %s (Mask R-CNN: %s box classifier, mask head of %d convolutions x %d"
                + " channels, %dx%d masks; %d iterations of %d images)%n",
            config,
            resolved.detector().model().roiHeads().classifier().kind(),
            resolved.mask().numConv(),
            resolved.mask().convDim(),
            2 * resolved.mask().poolerResolution(),
            2 * resolved.mask().poolerResolution(),
            resolved.detector().solver().maxIter(),
            resolved.detector().solver().imagesPerBatch());
        printOutputs(out, dir, resolved.detector());
        result = MaskRcnnTraining.run(resolved, options);
      } else {
        DetectorConfig resolved = load(config, overrides, maxIter);
        out.printf(
            Locale.ROOT,
            "config: %s (%s classifier, %d iterations of %d images)%n",
            config,
            resolved.model().roiHeads().classifier().kind(),
            resolved.solver().maxIter(),
            resolved.solver().imagesPerBatch());
        printOutputs(out, dir, resolved);
        result = DetectorTraining.run(resolved, options);
      }
      log.flush();
      out.printf(
          Locale.ROOT,
          "trained to iteration %d (%.3f s/iteration this run)%s%n",
          result.iterations(),
          result.secondsPerIteration(),
          result.lastLosses().map(l -> "; last losses: " + format(l)).orElse(""));
      out.printf(Locale.ROOT, "final checkpoint: %s%n", result.checkpoint());
      out.flush();
      return 0;
    } catch (Exception e) {
      return CliSupport.fail(err, "train", e, verbose);
    }
  }

  private static void printOutputs(PrintWriter out, Path dir, DetectorConfig resolved) {
    out.printf(
        Locale.ROOT,
        "checkpoints: %s (every %d iterations and at the end); losses: %s%n",
        dir.resolve(DetectorTraining.CHECKPOINTS),
        resolved.solver().checkpointPeriod(),
        dir.resolve(TrainingLog.FILE_NAME));
    out.flush();
  }

  /**
   * Reads a config with overrides and checks that its training data exist.
   *
   * @param file the YAML file
   * @param overrides {@code --set} values
   * @param maxIter {@code --max-iter}, or {@code null}
   */
  static DetectorConfig load(Path file, List<String> overrides, Integer maxIter)
      throws java.io.IOException {
    DetectorConfig c = ConfigFiles.load(file, allOverrides(overrides, maxIter));
    requireTrainingData(file, c);
    return c;
  }

  /**
   * Reads a Mask R-CNN config (one with a {@code mask:} section) with overrides ({@code --set
   * mask.convDim=128} included) and checks that its training data exist.
   *
   * @param file the YAML file
   * @param overrides {@code --set} values
   * @param maxIter {@code --max-iter}, or {@code null}
   * @return the config with absolute data paths
   * @throws IllegalArgumentException naming the file and key when the file or an override is
   *     invalid, or the data are missing
   */
  static MaskRcnnConfig loadMaskRcnn(Path file, List<String> overrides, Integer maxIter)
      throws java.io.IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("config file not found: " + file);
    }
    List<String> all = allOverrides(overrides, maxIter);
    String text = Files.readString(file);
    String source = file.toString();
    if (!all.isEmpty()) {
      text = ConfigFiles.applyOverrides(text, all, source);
      source += " with --set/--max-iter";
    }
    MaskRcnnConfig c = MaskRcnnConfigIo.parse(text, source);
    c = c.withDetector(ConfigFiles.resolveData(c.detector(), file));
    requireTrainingData(file, c.detector());
    return c;
  }

  /** The {@code --set} overrides followed by {@code solver.maxIter=N} for {@code --max-iter}. */
  private static List<String> allOverrides(List<String> overrides, Integer maxIter) {
    List<String> all = new ArrayList<>(overrides);
    if (maxIter != null) {
      if (maxIter < 1) {
        throw new IllegalArgumentException("--max-iter must be >= 1, got " + maxIter);
      }
      all.add("solver.maxIter=" + maxIter);
    }
    return all;
  }

  private static void requireTrainingData(Path file, DetectorConfig c) {
    DataConfig d = c.data();
    requireData(file, "data.trainAnnotations", d.trainAnnotations(), false);
    requireData(file, "data.trainImages", d.trainImages(), true);
  }

  private static void requireData(Path file, String key, String value, boolean folder) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(file + ": " + key + " must be set");
    }
    Path p = Path.of(value);
    if (folder ? !Files.isDirectory(p) : !Files.isRegularFile(p)) {
      throw new IllegalArgumentException(
          file
              + ": "
              + key
              + ": "
              + (folder ? "folder" : "file")
              + " not found: "
              + p
              + (p.toString().contains("lt-shapes")
                  ? " (generate LT-Shapes first: ./lt synth --out <folder>)"
                  : ""));
    }
  }

  /** Losses as {@code loss_cls 0.512, loss_box 0.301, ...}. */
  static String format(LossTerms losses) {
    StringBuilder sb = new StringBuilder();
    for (LossTerms.Term t : losses.terms()) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(t.name()).append(' ').append(String.format(Locale.ROOT, "%.4f", t.value()));
    }
    return sb.toString();
  }

  /** {@code runs/<config file name without extension>}. */
  static Path defaultOutput(Path configFile) {
    String name = configFile.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return Path.of(RUNS, dot > 0 ? name.substring(0, dot) : name);
  }
}
