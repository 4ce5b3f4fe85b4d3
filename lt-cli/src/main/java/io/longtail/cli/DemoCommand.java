package io.longtail.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.longtail.core.classifier.InferenceMode;
import io.longtail.datasets.eval.EvalDetections;
import io.longtail.datasets.eval.EvalGroundTruth;
import io.longtail.datasets.eval.IouType;
import io.longtail.datasets.eval.LvisEvalResult;
import io.longtail.datasets.eval.LvisEvaluator;
import io.longtail.datasets.eval.Metric;
import io.longtail.datasets.lvis.Category;
import io.longtail.datasets.lvis.Detection;
import io.longtail.datasets.lvis.Frequency;
import io.longtail.datasets.lvis.ImageInfo;
import io.longtail.datasets.lvis.LvisDataset;
import io.longtail.datasets.lvis.LvisReader;
import io.longtail.datasets.pipeline.DetectionDataset;
import io.longtail.datasets.synth.LongTailPlot;
import io.longtail.datasets.synth.LtShapesConfig;
import io.longtail.datasets.synth.LtShapesGenerator;
import io.longtail.datasets.synth.SynthSummary;
import io.longtail.detection.config.CategoryRef;
import io.longtail.detection.config.ConfigIo;
import io.longtail.detection.config.DetectorConfig;
import io.longtail.detection.config.SolverConfig;
import io.longtail.detection.engine.DetectorTraining;
import io.longtail.detection.engine.TrainedDetector;
import io.longtail.detection.report.ApVsCountPlot;
import io.longtail.detection.report.ComparisonTable;
import io.longtail.detection.report.DetectionPainter.LabelledBox;
import io.longtail.detection.report.HtmlReport;
import io.longtail.detection.report.ModeSweep;
import io.longtail.detection.report.PredictionGrid;
import io.longtail.detection.report.VariantResult;
import io.longtail.detection.train.CheckpointStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./lt demo}: the toolkit's main job end to end on a CPU. Generates LT-Shapes, trains a
 * softmax baseline and a causal-norm detector, evaluates the baseline and the causal-norm model
 * without TDE, with TDE and with TDE + background-exempted inference, prints the comparison in the
 * layout of Table 4 of De-confound-TDE and writes an HTML report.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Long-tailed detection on a CPU in about 15 minutes: generate LT-Shapes, train a softmax"
          + " baseline and a causal-norm Faster R-CNN, evaluate baseline / causal norm / + TDE /"
          + " + TDE with background-exempted inference, print AP, APr, APc, APf in the layout of"
          + " Table 4 of De-confound-TDE (NeurIPS 2020) and write OUT/index.html (table, AP vs"
          + " training images plot, predictions on val images) and OUT/results.json.",
      "Re-running reuses the dataset and finished trainings in OUT, and resumes an interrupted"
          + " training from its last checkpoint."
    })
final class DemoCommand implements Callable<Integer> {

  /** Resource folder of the demo configs. */
  static final String CONFIG_RESOURCES = "/io/longtail/cli/demo/";

  /** The report page. */
  static final String INDEX = "index.html";

  /** Evaluation JSON of every variant. */
  static final String RESULTS = "results.json";

  /** The per-category AP plot. */
  static final String PLOT = "ap-vs-train-images.png";

  /** The prediction grid. */
  static final String GRID = "predictions.png";

  /** The long tail of the generated training set. */
  static final String LONG_TAIL = "lt-shapes-long-tail.png";

  /** Variant keys of results.json, in table order. */
  static final List<String> VARIANT_KEYS =
      List.of("baseline", "causal-norm", "causal-norm-tde", "causal-norm-tde-bg-exempt");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = "report",
      description =
          "Output folder: data/, runs/, configs/, index.html, results.json"
              + " (default ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--quick",
      description =
          "A much smaller run (about a minute or two: tiny dataset, few iterations) to check that"
              + " everything works; its numbers mean little.")
  boolean quick;

  @Option(
      names = "--alpha",
      paramLabel = "A",
      description = "TDE strength at test time (default: the config's, 1.5 as in the paper).")
  Float alpha;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Image decoding and evaluation threads (default: the number of processors).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--no-progress", description = "Do not draw progress bars.")
  boolean noProgress;

  @Option(names = "--verbose", description = "Print stack traces of errors.")
  boolean verbose;

  /**
   * A demo size.
   *
   * @param name {@code full} or {@code quick}
   * @param data the LT-Shapes settings
   * @param overrides config overrides on top of the demo configs
   * @param gridImages rows of the prediction grid
   */
  record Plan(String name, LtShapesConfig data, List<String> overrides, int gridImages) {}

  /** The full demo: tuned to train both detectors in about 15 minutes on 2 cores. */
  static Plan fullPlan() {
    return new Plan(
        "full",
        LtShapesConfig.builder()
            .optCategories(60)
            .optTrainImages(2000)
            .optValImages(500)
            .optImbalance(100)
            .optImageSize(128)
            .optSeed(0)
            .build(),
        List.of(),
        6);
  }

  /** The quick demo for tests: a minute or two. */
  static Plan quickPlan() {
    return new Plan(
        "quick",
        LtShapesConfig.builder()
            .optCategories(8)
            .optTrainImages(300)
            .optValImages(24)
            .optImbalance(50)
            .optImageSize(96)
            .optMinValImages(2)
            .optSeed(0)
            .build(),
        List.of(
            "input.minSizeTrain=96",
            "input.minSizeTest=96",
            "input.maxSize=96",
            "solver.maxIter=12",
            "solver.warmupIters=4",
            "solver.steps=[10]",
            "solver.checkpointPeriod=6",
            "solver.imagesPerBatch=2"),
        3);
  }

  /** A detector to train: its results.json key prefix, label, config resource. */
  private record Training(String key, String label, String resource) {}

  private static final Training BASELINE =
      new Training("baseline", "Baseline (softmax)", "lt-shapes-demo-softmax.yaml");
  private static final Training CAUSAL =
      new Training("causal-norm", "Causal norm", "lt-shapes-demo-causal-norm.yaml");

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      run(quick ? quickPlan() : fullPlan(), stdout);
      return 0;
    } catch (Exception e) {
      return CliSupport.fail(err, "demo", e, verbose);
    }
  }

  private void run(Plan plan, PrintWriter stdout) throws IOException {
    if (threads < 1) {
      throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
    }
    long start = System.nanoTime();
    Map<String, String> facts = new LinkedHashMap<>();
    String suffix = plan.name().equals("full") ? "" : "-" + plan.name();
    Files.createDirectories(out);

    // 1. Data.
    Path data = out.resolve("data").resolve("lt-shapes" + suffix);
    SynthSummary synth = null;
    long t0 = System.nanoTime();
    if (Files.isRegularFile(data.resolve(LtShapesGenerator.TRAIN_FILE))
        && Files.isRegularFile(data.resolve(LtShapesGenerator.VAL_FILE))) {
      stdout.printf(Locale.ROOT, "[1/5] LT-Shapes: reusing %s%n", data);
    } else {
      LtShapesConfig d = plan.data();
      stdout.printf(
          Locale.ROOT,
          "[1/5] LT-Shapes: generating %d categories, %d train / %d val images of %d px,"
              + " imbalance %.0f into %s%n",
          d.categories(),
          d.trainImages(),
          d.valImages(),
          d.imageSize(),
          d.imbalance(),
          data);
      stdout.flush();
      synth =
          LtShapesGenerator.builder()
              .optConfig(d)
              .optThreads(threads)
              .optProgressBar(!noProgress)
              .build()
              .generate(data);
    }
    double synthSeconds = (System.nanoTime() - t0) / 1e9;
    LvisDataset train =
        LvisReader.builder().build().read(data.resolve(LtShapesGenerator.TRAIN_FILE));
    LvisDataset val = LvisReader.builder().build().read(data.resolve(LtShapesGenerator.VAL_FILE));
    if (synth != null) {
      LongTailPlot.write(synth, out.resolve(LONG_TAIL));
    }
    Map<Frequency, Integer> groups = groupCounts(train);
    Path images = data.resolve(LtShapesGenerator.IMAGES_DIR);
    facts.put(
        "Dataset",
        String.format(
            Locale.ROOT,
            "LT-Shapes in %s: %d categories (r/c/f %d/%d/%d by training images: 1-10 / 11-100 /"
                + " >100), %d train images, %d val images with %d boxes",
            data,
            train.categories().size(),
            groups.get(Frequency.RARE),
            groups.get(Frequency.COMMON),
            groups.get(Frequency.FREQUENT),
            train.images().size(),
            val.images().size(),
            val.annotations().size()));
    stdout.printf(
        Locale.ROOT,
        "      %d categories (r/c/f %d/%d/%d), %d train / %d val images (%.1f s)%n",
        train.categories().size(),
        groups.get(Frequency.RARE),
        groups.get(Frequency.COMMON),
        groups.get(Frequency.FREQUENT),
        train.images().size(),
        val.images().size(),
        synthSeconds);
    stdout.flush();

    // 2-3. Training.
    Path configsDir = out.resolve("configs");
    Files.createDirectories(configsDir);
    List<String> trainingFacts = new ArrayList<>();
    Path[] checkpoints = new Path[2];
    Training[] trainings = {BASELINE, CAUSAL};
    for (int i = 0; i < trainings.length; i++) {
      Training t = trainings[i];
      DetectorConfig config = demoConfig(t, plan, data, configsDir.resolve(configFile(t, suffix)));
      Path runDir = out.resolve("runs").resolve(t.key() + suffix);
      stdout.printf(
          Locale.ROOT,
          "[%d/5] training %s: %d iterations of %d images at %d px -> %s%n",
          i + 2,
          t.label(),
          config.solver().maxIter(),
          config.solver().imagesPerBatch(),
          config.input().minSizeTrain(),
          runDir);
      stdout.flush();
      TrainOutcome outcome = train(config, runDir, stdout);
      checkpoints[i] = outcome.checkpoint();
      String line =
          outcome.reused()
              ? String.format(Locale.ROOT, "reused %s", outcome.checkpoint())
              : String.format(
                  Locale.ROOT,
                  "%.0f s, %.3f s/iteration (%d iterations run)",
                  outcome.seconds(),
                  outcome.secondsPerIteration(),
                  outcome.iterationsRun());
      stdout.printf(Locale.ROOT, "      %s%n", line);
      stdout.flush();
      trainingFacts.add(t.label() + ": " + line);
    }

    // 4. Evaluation.
    stdout.printf(
        Locale.ROOT,
        "[4/5] evaluating on %d val images: baseline (plain), causal norm (plain, TDE, TDE +"
            + " background-exempted)%n",
        val.images().size());
    stdout.flush();
    EvalGroundTruth gt = EvalGroundTruth.from(val);
    List<VariantResult> variants = new ArrayList<>();
    Map<String, List<Detection>> detections = new LinkedHashMap<>();
    List<CategoryRef> categories = null;
    List<String> inferenceFacts = new ArrayList<>();
    float usedAlpha = Float.NaN;
    long evalStart = System.nanoTime();
    for (int i = 0; i < trainings.length; i++) {
      Training t = trainings[i];
      try (TrainedDetector detector = TrainedDetector.load(checkpoints[i])) {
        categories = detector.config().categories();
        CheckpointRun.checkCategories(detector, val, data.resolve(LtShapesGenerator.VAL_FILE));
        float a = CheckpointRun.alpha(detector, alpha);
        List<InferenceMode> modes =
            t == BASELINE
                ? List.of(InferenceMode.PLAIN)
                : List.of(InferenceMode.PLAIN, InferenceMode.TDE, InferenceMode.BACKGROUND_EXEMPT);
        if (t != BASELINE) {
          usedAlpha = a;
        }
        DetectionDataset dataset =
            DetectionDataset.builder()
                .setAnnotations(val)
                .setImagesRoot(images)
                .optTransform(detector.testTransform())
                .setSampling(1, false)
                .build();
        long s0 = System.nanoTime();
        Map<InferenceMode, List<Detection>> byMode;
        try (ProgressBar bar = noProgress ? null : inferenceBar(dataset.size(), t.label())) {
          byMode =
              ModeSweep.detectAll(
                  detector,
                  dataset,
                  modes,
                  a,
                  4,
                  threads,
                  n -> {
                    if (bar != null) {
                      bar.stepTo(n);
                    }
                  });
        }
        double seconds = (System.nanoTime() - s0) / 1e9;
        String speed =
            String.format(
                Locale.ROOT,
                "%s: %.1f images/s (%d images in %.1f s, %d mode%s per backbone pass)",
                t.label(),
                dataset.size() / seconds,
                dataset.size(),
                seconds,
                modes.size(),
                modes.size() == 1 ? "" : "s");
        stdout.printf(Locale.ROOT, "      inference %s%n", speed);
        inferenceFacts.add(speed);
        for (InferenceMode mode : modes) {
          String key = variantKey(t, mode);
          List<Detection> list = byMode.get(mode);
          LvisEvalResult result =
              LvisEvaluator.builder()
                  .setIouType(IouType.BBOX)
                  .optParallelism(threads)
                  .build()
                  .evaluate(gt, EvalDetections.from(list));
          variants.add(new VariantResult(key, variantLabel(t, mode), result));
          detections.put(key, list);
        }
      }
    }
    double evalSeconds = (System.nanoTime() - evalStart) / 1e9;

    // 5. Report.
    String table = ComparisonTable.text(variants);
    stdout.printf(Locale.ROOT, "[5/5] results (box AP in %%, LVIS protocol):%n%n");
    stdout.print(table);
    String verdict = verdict(variants);
    stdout.printf(Locale.ROOT, "%n%s%n", verdict);
    stdout.flush();

    ObjectNode json = JsonNodeFactory.instance.objectNode();
    for (VariantResult v : variants) {
      json.set(v.key(), EvalCommand.toJson(v.result()));
    }
    EvalCommand.writeJson(json, out.resolve(RESULTS));

    Map<Integer, Integer> trainCounts = new HashMap<>();
    for (Category c : train.categories()) {
      trainCounts.put(c.id(), train.imagesWithCategory(c.id()).size());
    }
    ApVsCountPlot.write(variants, trainCounts, out.resolve(PLOT));
    List<ImageInfo> gridImages = PredictionGrid.pickImages(val, plan.gridImages());
    List<PredictionGrid.Column> columns = new ArrayList<>();
    columns.add(PredictionGrid.groundTruth(val, gridImages, "ground truth"));
    for (VariantResult v : variants) {
      columns.add(
          new PredictionGrid.Column(
              v.label(),
              boxesOf(detections.get(v.key()), gridImages, Objects.requireNonNull(categories))));
    }
    PredictionGrid.write(out.resolve(GRID), images, gridImages, columns, 256);

    double total = (System.nanoTime() - start) / 1e9;
    facts.put("Training", String.join("; ", trainingFacts));
    facts.put("Inference", String.join("; ", inferenceFacts));
    facts.put(
        "Evaluation",
        String.format(
            Locale.ROOT, "%.1f s for inference and LVIS evaluation of 4 variants", evalSeconds));
    facts.put(
        "Wall time",
        String.format(
            Locale.ROOT,
            "%.1f min in total (data %.0f s), %d processors, OMP_NUM_THREADS=%s",
            total / 60,
            synthSeconds,
            Runtime.getRuntime().availableProcessors(),
            Objects.requireNonNullElse(System.getenv("OMP_NUM_THREADS"), "unset")));
    facts.put("TDE strength", String.format(Locale.ROOT, "alpha = %.3g", usedAlpha));
    facts.put(
        "Configs",
        configsDir.resolve(configFile(BASELINE, suffix))
            + ", "
            + configsDir.resolve(configFile(CAUSAL, suffix)));
    writeHtml(
        plan,
        data,
        variants,
        verdict,
        facts,
        synth != null || Files.exists(out.resolve(LONG_TAIL)));
    stdout.printf(
        Locale.ROOT,
        "%nwrote %s, %s, %s, %s%ntotal %.1f min%n",
        out.resolve(INDEX),
        out.resolve(RESULTS),
        out.resolve(PLOT),
        out.resolve(GRID),
        total / 60);
    stdout.flush();
  }

  /** The result of training one detector (or finding it trained). */
  private record TrainOutcome(
      Path checkpoint,
      boolean reused,
      double seconds,
      double secondsPerIteration,
      long iterationsRun) {}

  private TrainOutcome train(DetectorConfig config, Path runDir, PrintWriter stdout)
      throws IOException {
    CheckpointStore store = new CheckpointStore(runDir.resolve(DetectorTraining.CHECKPOINTS));
    Path last = store.pathFor(config.solver().maxIter());
    Path savedConfig = runDir.resolve(DetectorTraining.CONFIG_FILE);
    if (Files.isRegularFile(savedConfig)) {
      DetectorConfig saved = ConfigIo.parse(Files.readString(savedConfig), savedConfig.toString());
      if (!sameTraining(saved, config)) {
        throw new IllegalArgumentException(
            runDir
                + " holds a run of another config ("
                + savedConfig
                + "); delete it or choose another --out");
      }
      if (Files.isRegularFile(last)) {
        return new TrainOutcome(last, true, 0, 0, 0);
      }
    }
    PrintStream log = CliSupport.printStream(stdout);
    long t0 = System.nanoTime();
    DetectorTraining.Result result =
        DetectorTraining.run(
            config,
            new DetectorTraining.Options(runDir, true, noProgress, log, 0, (it, root) -> {}));
    log.flush();
    double seconds = (System.nanoTime() - t0) / 1e9;
    long ran =
        result.secondsPerIteration() > 0 ? Math.round(seconds / result.secondsPerIteration()) : 0;
    return new TrainOutcome(
        result.checkpoint(),
        false,
        seconds,
        result.secondsPerIteration(),
        Math.min(ran, result.iterations()));
  }

  /** Whether two configs describe the same training (model, input and the schedule). */
  static boolean sameTraining(DetectorConfig a, DetectorConfig b) {
    SolverConfig x = a.solver();
    SolverConfig y = b.solver();
    return a.model().equals(b.model())
        && a.input().equals(b.input())
        && x.maxIter().equals(y.maxIter())
        && x.imagesPerBatch().equals(y.imagesPerBatch())
        && x.baseLr().equals(y.baseLr())
        && x.steps().equals(y.steps())
        && x.seed().equals(y.seed())
        && x.sampler() == y.sampler();
  }

  /**
   * The demo config of a training: the resource with the plan's overrides and the data paths, also
   * written to {@code copy} (with paths relative to it) for {@code ./lt train}.
   */
  static DetectorConfig demoConfig(Training t, Plan plan, Path data, Path copy) throws IOException {
    String text = resource(t.resource());
    if (!plan.overrides().isEmpty()) {
      text = ConfigFiles.applyOverrides(text, plan.overrides(), t.resource());
    }
    Path folder = copy.toAbsolutePath().getParent();
    Path rel = folder.relativize(data.toAbsolutePath().normalize());
    String dataYaml =
        String.format(
            Locale.ROOT,
            "%ndata:%n  trainAnnotations: %s%n  trainImages: %s%n  valAnnotations: %s%n"
                + "  valImages: %s%n",
            rel.resolve(LtShapesGenerator.TRAIN_FILE).toString().replace('\\', '/'),
            rel.resolve(LtShapesGenerator.IMAGES_DIR).toString().replace('\\', '/'),
            rel.resolve(LtShapesGenerator.VAL_FILE).toString().replace('\\', '/'),
            rel.resolve(LtShapesGenerator.IMAGES_DIR).toString().replace('\\', '/'));
    String full = text.stripTrailing() + "\n" + dataYaml;
    Files.writeString(copy, full, StandardCharsets.UTF_8);
    return ConfigFiles.resolveData(ConfigIo.parse(full, copy.toString()), copy);
  }

  private static String configFile(Training t, String suffix) {
    return t.resource().replace(".yaml", suffix + ".yaml");
  }

  static String resource(String name) throws IOException {
    try (InputStream in = DemoCommand.class.getResourceAsStream(CONFIG_RESOURCES + name)) {
      if (in == null) {
        throw new IOException("demo config resource missing: " + CONFIG_RESOURCES + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String variantKey(Training t, InferenceMode mode) {
    return switch (mode) {
      case PLAIN -> t.key();
      case TDE -> t.key() + "-tde";
      case BACKGROUND_EXEMPT -> t.key() + "-tde-bg-exempt";
    };
  }

  private static String variantLabel(Training t, InferenceMode mode) {
    return switch (mode) {
      case PLAIN -> t == BASELINE ? t.label() : t.label() + " (no TDE)";
      case TDE -> t.label() + " + TDE";
      case BACKGROUND_EXEMPT -> t.label() + " + TDE + bg-exempt";
    };
  }

  /** The plain statement of what TDE did to APr, compared with the baseline. */
  static String verdict(List<VariantResult> variants) {
    VariantResult base = find(variants, "baseline");
    VariantResult tde = find(variants, "causal-norm-tde-bg-exempt");
    VariantResult tdePlain = find(variants, "causal-norm-tde");
    VariantResult cn = find(variants, "causal-norm");
    double b = base.result().get(Metric.APR);
    double t = tde.result().get(Metric.APR);
    double delta = Math.round(1000 * (t - b)) / 10.0;
    String change =
        delta == 0
            ? "did not change APr over the softmax baseline"
            : String.format(
                Locale.ROOT,
                "%s APr over the softmax baseline by %.1f points",
                delta > 0 ? "raised" : "lowered",
                Math.abs(delta));
    return String.format(
        Locale.ROOT,
        "APr: baseline %s, causal norm %s, + TDE %s, + TDE + bg-exempt %s. Causal norm with TDE"
            + " and background-exempted inference %s (AP %+.1f points).",
        ComparisonTable.percent(b),
        ComparisonTable.percent(cn.result().get(Metric.APR)),
        ComparisonTable.percent(tdePlain.result().get(Metric.APR)),
        ComparisonTable.percent(t),
        change,
        100 * (tde.result().get(Metric.AP) - base.result().get(Metric.AP)));
  }

  private static VariantResult find(List<VariantResult> variants, String key) {
    for (VariantResult v : variants) {
      if (v.key().equals(key)) {
        return v;
      }
    }
    throw new IllegalStateException("no variant " + key);
  }

  private static Map<Frequency, Integer> groupCounts(LvisDataset train) {
    Map<Frequency, Integer> counts = new java.util.EnumMap<>(Frequency.class);
    for (Frequency f : Frequency.values()) {
      counts.put(f, 0);
    }
    for (Category c : train.categories()) {
      if (c.frequency() != null) {
        counts.merge(c.frequency(), 1, Integer::sum);
      }
    }
    return counts;
  }

  private static Map<Long, List<LabelledBox>> boxesOf(
      List<Detection> detections, List<ImageInfo> images, List<CategoryRef> categories) {
    Map<Integer, Integer> classOf = new HashMap<>();
    for (int k = 0; k < categories.size(); k++) {
      classOf.put(categories.get(k).id(), k);
    }
    Map<Long, List<LabelledBox>> out = new HashMap<>();
    for (ImageInfo image : images) {
      out.put(image.id(), new ArrayList<>());
    }
    for (Detection d : detections) {
      List<LabelledBox> list = out.get(d.imageId());
      if (list != null && d.score() >= 0.3) {
        double[] b = d.bbox();
        int k = classOf.get(d.categoryId());
        list.add(
            new LabelledBox(
                b[0], b[1], b[0] + b[2], b[1] + b[3], k, categories.get(k).name(), d.score()));
      }
    }
    for (List<LabelledBox> list : out.values()) {
      list.sort(Comparator.comparingDouble(LabelledBox::score).reversed());
      if (list.size() > 8) {
        list.subList(8, list.size()).clear();
      }
    }
    return out;
  }

  private static ProgressBar inferenceBar(long images, String label) {
    return new ProgressBarBuilder()
        .setTaskName("inference " + label)
        .setInitialMax(images)
        .setStyle(ProgressBarStyle.ASCII)
        .setUnit(" img", 1)
        .showSpeed()
        .setUpdateIntervalMillis(250)
        .build();
  }

  private void writeHtml(
      Plan plan,
      Path data,
      List<VariantResult> variants,
      String verdict,
      Map<String, String> facts,
      boolean longTail)
      throws IOException {
    HtmlReport.Builder html =
        HtmlReport.builder()
            .setTitle("Long-tailed detection on LT-Shapes: softmax baseline vs causal norm + TDE")
            .addParagraph(
                "A Faster R-CNN with FPN trained on CPU on LT-Shapes, a synthetic long-tailed"
                    + " dataset in LVIS format, twice: with a linear softmax box classifier"
                    + " (baseline) and with the causal-norm classifier of De-confound-TDE (Tang,"
                    + " Huang and Zhang, NeurIPS 2020). The causal-norm model is evaluated"
                    + " without TDE, with TDE, and with TDE and background-exempted inference"
                    + " (the paper's detection setting), all on the same weights."
                    + (plan.name().equals("full")
                        ? ""
                        : " This is the --quick run: a tiny dataset and a few iterations, to"
                            + " check the pipeline; the numbers mean little."))
            .addHeading("Results (box AP, LVIS protocol, in %)")
            .addTable(variants)
            .addParagraph(
                "Layout of Table 4 of the paper. The paper's AP to APf columns are mask AP; this"
                    + " detector has no mask head, so every column is box AP and AP equals"
                    + " AP^bbox. APr, APc and APf average the categories with 1-10, 11-100 and"
                    + " more than 100 training images.")
            .addParagraph(verdict)
            .addImage(
                PLOT,
                "Per-category box AP against the number of training images of the category;"
                    + " points are categories, lines the mean AP of log-spaced bins. Dashed"
                    + " lines: the rare / common / frequent limits.")
            .addImage(
                GRID,
                "Validation images (rows chosen to show rare, common and frequent categories):"
                    + " ground truth, then the detections with score >= 0.3 of each variant.");
    if (longTail) {
      html.addImage(LONG_TAIL, "The long tail of the training set: images per category.");
    }
    html.addHeading("Run")
        .addFacts(facts)
        .addParagraph(
            "results.json maps each variant ("
                + String.join(", ", VARIANT_KEYS)
                + ") to the JSON of `lt eval --json`: {\"bbox\": {\"summary\": ...,"
                + " \"perCategoryAP\": ...}}.")
        .addParagraph("Reproduce, or evaluate a variant again (e.g. another TDE strength):")
        .addPreformatted(
            "./lt demo"
                + (plan.name().equals("full") ? "" : " --quick")
                + " --out "
                + out
                + "\n./lt eval --checkpoint "
                + out.resolve("runs")
                    .resolve("causal-norm" + (plan.name().equals("full") ? "" : "-" + plan.name()))
                + " --annotations "
                + data.resolve(LtShapesGenerator.VAL_FILE)
                + " --images "
                + data.resolve(LtShapesGenerator.IMAGES_DIR)
                + " --tde bg-exempt --alpha 1.5");
    html.build().write(out.resolve(INDEX));
  }
}
