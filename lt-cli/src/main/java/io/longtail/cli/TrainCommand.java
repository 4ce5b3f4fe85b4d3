package io.longtail.cli;

import io.longtail.detection.config.DataConfig;
import io.longtail.detection.config.DetectorConfig;
import io.longtail.detection.engine.DetectorTraining;
import io.longtail.detection.train.LossTerms;
import io.longtail.detection.train.TrainingLog;
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
 * {@code ./lt train}: trains a Faster R-CNN FPN detector from a YAML config (see {@code configs/}),
 * with checkpoints, a metrics log and exact resume.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train a Faster R-CNN FPN detector (linear softmax, cosine or causal-norm box classifier)"
          + " on LVIS-format data from a YAML config; the file states only what differs from the"
          + " defaults (R-50-FPN 1x on LVIS).",
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
              + " model.roiHeads.classifier.kind=CAUSAL_NORM (repeatable; values are YAML).")
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
      DetectorConfig resolved = load(config, overrides, maxIter);
      Path dir = output != null ? output : defaultOutput(config);
      PrintStream log = CliSupport.printStream(out);
      out.printf(
          Locale.ROOT,
          "config: %s (%s classifier, %d iterations of %d images)%n",
          config,
          resolved.model().roiHeads().classifier().kind(),
          resolved.solver().maxIter(),
          resolved.solver().imagesPerBatch());
      out.printf(
          Locale.ROOT,
          "checkpoints: %s (every %d iterations and at the end); losses: %s%n",
          dir.resolve(DetectorTraining.CHECKPOINTS),
          resolved.solver().checkpointPeriod(),
          dir.resolve(TrainingLog.FILE_NAME));
      out.flush();
      DetectorTraining.Result result =
          DetectorTraining.run(
              resolved,
              new DetectorTraining.Options(
                  dir, resume, noProgress, log, stopAt == null ? 0 : stopAt, (it, root) -> {}));
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

  /**
   * Reads a config with overrides and checks that its training data exist.
   *
   * @param file the YAML file
   * @param overrides {@code --set} values
   * @param maxIter {@code --max-iter}, or {@code null}
   */
  static DetectorConfig load(Path file, List<String> overrides, Integer maxIter)
      throws java.io.IOException {
    List<String> all = new ArrayList<>(overrides);
    if (maxIter != null) {
      if (maxIter < 1) {
        throw new IllegalArgumentException("--max-iter must be >= 1, got " + maxIter);
      }
      all.add("solver.maxIter=" + maxIter);
    }
    DetectorConfig c = ConfigFiles.load(file, all);
    DataConfig d = c.data();
    requireData(file, "data.trainAnnotations", d.trainAnnotations(), false);
    requireData(file, "data.trainImages", d.trainImages(), true);
    return c;
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
