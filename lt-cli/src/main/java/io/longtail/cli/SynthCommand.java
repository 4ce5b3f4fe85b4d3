package io.longtail.cli;

import io.longtail.datasets.lvis.Frequency;
import io.longtail.datasets.lvis.LvisDataset;
import io.longtail.datasets.lvis.LvisReader;
import io.longtail.datasets.sampling.LongTailProfile;
import io.longtail.datasets.synth.GroundTruthResults;
import io.longtail.datasets.synth.ImageFormat;
import io.longtail.datasets.synth.LongTailPlot;
import io.longtail.datasets.synth.LtShapesConfig;
import io.longtail.datasets.synth.LtShapesGenerator;
import io.longtail.datasets.synth.SampleGrid;
import io.longtail.datasets.synth.SynthSummary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./lt synth}: generates LT-Shapes, the toolkit's long-tailed LVIS-format dataset, and
 * prints how many categories fall in each LVIS frequency group.
 */
@Command(
    name = "synth",
    mixinStandardHelpOptions = true,
    description = {
      "Generate LT-Shapes: K categories of coloured, textured shapes on cluttered backgrounds,"
          + " long-tailed train image counts, exact polygon masks, LVIS v1 files.",
      "Writes DIR/images/{train,val}/, DIR/lvis_v1_train.json, DIR/lvis_v1_val.json,"
          + " DIR/lt-shapes-long-tail.png (train images per category) and"
          + " DIR/lt-shapes-samples.png (annotated examples). Same arguments and seed give"
          + " byte-identical dataset files."
    })
final class SynthCommand implements Callable<Integer> {

  /** Name of the long-tail plot written into the output folder. */
  static final String PLOT_FILE = "lt-shapes-long-tail.png";

  /** Name of the sample grid written into the output folder. */
  static final String SAMPLES_FILE = "lt-shapes-samples.png";

  /** Name of the val ground truth written as results (with {@code --gt-results}). */
  static final String GT_RESULTS_FILE = "lvis_v1_val_gt_results.json";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  @Option(
      names = "--categories",
      paramLabel = "K",
      defaultValue = "60",
      description = "Number of categories (default ${DEFAULT-VALUE}, at most 1248).")
  int categories;

  @Option(
      names = "--train-images",
      paramLabel = "N",
      defaultValue = "2000",
      description = "Training images (default ${DEFAULT-VALUE}).")
  int trainImages;

  @Option(
      names = "--val-images",
      paramLabel = "N",
      defaultValue = "500",
      description = "Validation images (default ${DEFAULT-VALUE}).")
  int valImages;

  @Option(
      names = "--imbalance",
      paramLabel = "R",
      defaultValue = "100",
      description =
          "Ratio of the train image counts of the most and least frequent category"
              + " (default ${DEFAULT-VALUE}).")
  double imbalance;

  @Option(
      names = "--profile",
      paramLabel = "exp|zipf",
      defaultValue = "exp",
      description =
          "Decay of the counts with rank: exponential or Zipf (default ${DEFAULT-VALUE}).")
  String profile;

  @Option(
      names = "--size",
      paramLabel = "PX",
      defaultValue = "256",
      description = "Image width and height (default ${DEFAULT-VALUE}).")
  int size;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "0",
      description = "Master seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--format",
      paramLabel = "jpg|png",
      defaultValue = "jpg",
      description = "Image format (default ${DEFAULT-VALUE}).")
  String format;

  @Option(
      names = "--threads",
      paramLabel = "T",
      description = "Worker threads (default: all processors); does not change the output.")
  Integer threads;

  @Option(
      names = "--gt-results",
      description =
          "Also write DIR/"
              + GT_RESULTS_FILE
              + ": the val ground truth as LVIS results"
              + " (score 1); `lt eval` of it against lvis_v1_val.json gives AP = 1.")
  boolean gtResults;

  @Option(names = "--no-progress", description = "Hide the progress bar.")
  boolean noProgress;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter outWriter = spec.commandLine().getOut();
    LtShapesConfig config;
    try {
      config =
          LtShapesConfig.builder()
              .optCategories(categories)
              .optTrainImages(trainImages)
              .optValImages(valImages)
              .optImbalance(imbalance)
              .optProfile(parseProfile(profile))
              .optImageSize(size)
              .optSeed(seed)
              .optFormat(parseFormat(format))
              .build();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    LtShapesGenerator.Builder builder =
        LtShapesGenerator.builder().optConfig(config).optProgressBar(!noProgress);
    if (threads != null) {
      builder.optThreads(threads);
    }
    SynthSummary summary;
    try {
      summary = builder.build().generate(out);
    } catch (IllegalArgumentException e) {
      err.println("lt synth: " + e.getMessage());
      err.flush();
      return 2;
    }
    LongTailPlot.write(summary, out.resolve(PLOT_FILE));
    LvisDataset train = LvisReader.builder().build().read(summary.trainAnnotations());
    SampleGrid.write(train, summary.imagesRoot(), out.resolve(SAMPLES_FILE), 4, 2, 384, seed);
    if (gtResults && valImages > 0) {
      LvisDataset val = LvisReader.builder().build().read(summary.valAnnotations());
      GroundTruthResults.write(val, out.resolve(GT_RESULTS_FILE));
    }
    print(outWriter, summary);
    return 0;
  }

  private static void print(PrintWriter w, SynthSummary s) {
    LtShapesConfig c = s.config();
    w.printf(
        Locale.ROOT,
        "LT-Shapes: %d categories, %d train / %d val images of %dx%d px, imbalance %s (%s),"
            + " seed %d%n",
        c.categories(),
        c.trainImages(),
        c.valImages(),
        c.imageSize(),
        c.imageSize(),
        c.imbalance(),
        c.profile().name().toLowerCase(Locale.ROOT),
        c.seed());
    w.printf(
        Locale.ROOT,
        "annotations: %d train, %d val; generated in %.1f s%n",
        s.trainInstances(),
        s.valInstances(),
        s.seconds());
    w.println("group         train images  categories  fewest val instances");
    Map<Frequency, Integer> groups = s.groupCounts();
    String[] ranges = {"1-10", "11-100", ">100"};
    Frequency[] order = {Frequency.RARE, Frequency.COMMON, Frequency.FREQUENT};
    for (int i = 0; i < order.length; i++) {
      w.printf(
          Locale.ROOT,
          "%-13s %-12s %11d  %20d%n",
          order[i].name().toLowerCase(Locale.ROOT) + " (" + order[i].code() + ")",
          ranges[i],
          groups.get(order[i]),
          s.minValInstances(order[i]));
    }
    w.printf(
        "r/c/f: %d/%d/%d%n",
        groups.get(Frequency.RARE), groups.get(Frequency.COMMON), groups.get(Frequency.FREQUENT));
    w.println("files: " + s.trainAnnotations() + ", " + s.valAnnotations() + ", " + s.imagesRoot());
    w.flush();
  }

  private static LongTailProfile parseProfile(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "exp", "exponential" -> LongTailProfile.EXPONENTIAL;
      case "zipf" -> LongTailProfile.ZIPF;
      default -> throw new IllegalArgumentException("profile must be exp or zipf, got " + value);
    };
  }

  private static ImageFormat parseFormat(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "jpg", "jpeg" -> ImageFormat.JPG;
      case "png" -> ImageFormat.PNG;
      default -> throw new IllegalArgumentException("format must be jpg or png, got " + value);
    };
  }
}
