package io.longtail.cli;

import io.longtail.detection.config.DataConfig;
import io.longtail.detection.config.SamplerKind;
import io.longtail.detection.finetune.FinetuneConfig;
import io.longtail.detection.finetune.FinetuneScheme;
import io.longtail.detection.finetune.SecondStageTraining;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./lt finetune}: a decoupled second stage (Kang et al., ICLR 2020) over a trained
 * detector's checkpoint: tau-norm, LWS or cRT, writing a new checkpoint that {@code ./lt eval
 * --checkpoint} and {@code ./lt predict} load.
 */
@Command(
    name = "finetune",
    mixinStandardHelpOptions = true,
    description = {
      "Second stage over a trained detector (Kang et al., 'Decoupling Representation and"
          + " Classifier', ICLR 2020): tau-norm divides the linear box classifier's rows by their"
          + " norm^tau (no training); lws learns one scale per class over the frozen classifier;"
          + " crt re-initialises and re-trains the classifier. lws and crt use class-aware"
          + " sampling and train nothing but the classifier (backbone and RPN run frozen in"
          + " inference mode).",
      "Writes OUT/config.yaml, OUT/checkpoints/model_NNNNNNN.ckpt and, for lws and crt,"
          + " OUT/metrics.jsonl."
    })
final class FinetuneCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--checkpoint",
      required = true,
      paramLabel = "CKPT",
      description = "The trained detector: a .ckpt file or a run directory (its latest).")
  Path checkpoint;

  @Option(
      names = "--scheme",
      required = true,
      paramLabel = "SCHEME",
      converter = SchemeConverter.class,
      description = "crt, lws or tau-norm.")
  FinetuneScheme scheme;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "DIR",
      description = "Run directory of the second stage.")
  Path output;

  @Option(
      names = "--tau",
      paramLabel = "T",
      defaultValue = "1.0",
      description = "tau-norm's power, >= 0 (default: ${DEFAULT-VALUE}, unit-norm rows).")
  float tau;

  @Option(
      names = "--iterations",
      paramLabel = "N",
      description = "Iterations of lws and crt (default: a tenth of the checkpoint's maxIter).")
  Integer iterations;

  @Option(
      names = "--lr",
      paramLabel = "LR",
      description =
          "Learning rate of lws and crt, decayed by a cosine to 0 (default: the checkpoint's"
              + " baseLr).")
  Double lr;

  @Option(
      names = "--images-per-batch",
      paramLabel = "N",
      description = "Images per iteration (default: the checkpoint's).")
  Integer imagesPerBatch;

  @Option(
      names = "--sampler",
      paramLabel = "KIND",
      defaultValue = "CLASS_AWARE",
      description =
          "Image sampler of lws and crt: ${COMPLETION-CANDIDATES} (default: class_aware).")
  SamplerKind sampler;

  @Option(
      names = "--seed",
      paramLabel = "S",
      description = "Seed of sampling and of crt's new classifier (default: the checkpoint's).")
  Long seed;

  @Option(
      names = "--workers",
      paramLabel = "N",
      description = "Image decoding threads (default: the checkpoint's).")
  Integer workers;

  @Option(
      names = "--train-annotations",
      paramLabel = "FILE",
      description = "Training annotations (default: the checkpoint's data.trainAnnotations).")
  Path trainAnnotations;

  @Option(
      names = "--train-images",
      paramLabel = "DIR",
      description = "Training images folder (default: the checkpoint's data.trainImages).")
  Path trainImages;

  @Option(names = "--no-progress", description = "Do not draw the progress bar.")
  boolean noProgress;

  @Option(names = "--verbose", description = "Print stack traces of errors.")
  boolean verbose;

  /** Parses {@code --scheme} with {@link FinetuneScheme#fromName}. */
  static final class SchemeConverter implements CommandLine.ITypeConverter<FinetuneScheme> {
    @Override
    public FinetuneScheme convert(String value) {
      try {
        return FinetuneScheme.fromName(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      Path source = CliSupport.checkpoint(checkpoint);
      FinetuneConfig.Builder settings =
          FinetuneConfig.builder(scheme).optTau(tau).optSampler(sampler);
      if (iterations != null) {
        positive("--iterations", iterations);
        settings.optIterations(iterations);
      }
      if (lr != null) {
        if (!(lr > 0) || lr.isInfinite()) {
          throw new IllegalArgumentException("--lr must be positive and finite, got " + lr);
        }
        settings.optBaseLr(lr);
      }
      if (imagesPerBatch != null) {
        positive("--images-per-batch", imagesPerBatch);
        settings.optImagesPerBatch(imagesPerBatch);
      }
      if (seed != null) {
        settings.optSeed(seed);
      }
      if (workers != null) {
        positive("--workers", workers);
        settings.optWorkers(workers);
      }
      PrintStream log = CliSupport.printStream(out);
      SecondStageTraining.Options options =
          SecondStageTraining.Options.of(output).withQuiet(noProgress).withLog(log);
      if (trainAnnotations != null || trainImages != null) {
        if (trainAnnotations == null || trainImages == null) {
          throw new IllegalArgumentException("--train-annotations and --train-images go together");
        }
        options =
            options.withData(
                new DataConfig(
                    trainAnnotations.toAbsolutePath().toString(),
                    trainImages.toAbsolutePath().toString(),
                    null,
                    null));
      }
      out.printf(Locale.ROOT, "finetune %s over %s -> %s%n", scheme, source, output);
      out.flush();
      SecondStageTraining.Result result =
          SecondStageTraining.run(source, settings.build(), options);
      log.flush();
      if (result.iterations() > 0) {
        out.printf(
            Locale.ROOT,
            "trained the %s classifier for %d iterations (%.3f s/iteration)%s%n",
            result.config().model().roiHeads().classifier().kind(),
            result.iterations(),
            result.secondsPerIteration(),
            result.lastLosses().map(l -> "; last losses " + l).orElse(""));
      }
      out.printf(Locale.ROOT, "checkpoint: %s%n", result.checkpoint());
      out.flush();
      return 0;
    } catch (Exception e) {
      return CliSupport.fail(err, "finetune", e, verbose);
    }
  }

  private static void positive(String option, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(option + " must be >= 1, got " + value);
    }
  }
}
