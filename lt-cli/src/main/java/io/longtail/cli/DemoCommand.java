package io.longtail.cli;

import io.longtail.core.classifier.InferenceMode;
import io.longtail.datasets.eval.EvalDetections;
import io.longtail.datasets.eval.EvalGroundTruth;
import io.longtail.datasets.eval.IouType;
import io.longtail.datasets.eval.LvisEvalResult;
import io.longtail.datasets.eval.LvisEvaluator;
import io.longtail.datasets.lvis.Category;
import io.longtail.datasets.lvis.Detection;
import io.longtail.datasets.lvis.Frequency;
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
import io.longtail.detection.report.ComparisonTable;
import io.longtail.detection.report.ModeSweep;
import io.longtail.detection.report.VariantResult;
import io.longtail.detection.train.CheckpointStore;
import io.longtail.segmentation.config.MaskRcnnConfig;
import io.longtail.segmentation.config.MaskRcnnConfigIo;
import io.longtail.segmentation.engine.MaskRcnnEvaluation;
import io.longtail.segmentation.engine.MaskRcnnTraining;
import io.longtail.segmentation.engine.TrainedMaskRcnn;
import io.longtail.segmentation.model.InferenceOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.IntConsumer;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./lt demo}: the toolkit's main job end to end on a CPU. Generates LT-Shapes, trains a
 * softmax baseline and a causal-norm detector (or any list of long-tail methods), evaluates every
 * model, the causal-norm one without TDE, with TDE and with TDE + background-exempted inference,
 * prints the comparison in the layout of Table 4 of De-confound-TDE and writes an HTML report. With
 * {@code --task segm} the models are Mask R-CNNs and the table reports mask AP, as the paper's
 * does.
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
      "--methods adds other long-tail methods (each another training of about 5 minutes);"
          + " --task segm trains Mask R-CNNs instead and reports mask AP (segm) beside box AP.",
      "Re-running reuses the dataset and finished trainings in OUT, and resumes an interrupted"
          + " training from its last checkpoint."
    })
final class DemoCommand implements Callable<Integer> {

  /** Resource folder of the demo configs. */
  static final String CONFIG_RESOURCES = "/io/longtail/cli/demo/";

  /** The mask head added to every method's config by {@code --task segm}. */
  static final String MASK_RESOURCE = "lt-shapes-demo-mask.yaml";

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

  /** Variant keys of results.json with the default methods, in table order. */
  static final List<String> VARIANT_KEYS =
      DemoMethod.variantKeys(DemoMethod.parse(DemoMethod.DEFAULT));

  /** What the demo trains and evaluates. */
  enum Task {
    /** Faster R-CNN, box AP. */
    BBOX,
    /** Mask R-CNN, mask AP and box AP. */
    SEGM;

    /** {@code bbox} or {@code segm}. */
    String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description =
          "Output folder: data/, runs/, configs/, index.html, results.json (default: report, or"
              + " report-segm with --task segm).")
  Path out;

  @Option(
      names = "--task",
      paramLabel = "TASK",
      defaultValue = "bbox",
      description =
          "bbox: Faster R-CNN, box AP (default); segm: Mask R-CNN (the same detectors with a mask"
              + " head), mask AP/APr/APc/APf with box AP beside it.")
  String taskName;

  @Option(
      names = "--methods",
      paramLabel = "LIST",
      defaultValue = DemoMethod.DEFAULT,
      description =
          "Comma-separated methods to train and compare, or all (default ${DEFAULT-VALUE})."
              + " Known: softmax, causal-norm, cosine, bce, focal, class-balanced,"
              + " logit-adjusted, eql, seesaw, distribution-balanced, rfs.")
  String methodList;

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

  /**
   * A method's training config for a task: the detector config, and the Mask R-CNN config that
   * wraps it for {@code segm} ({@code null} for {@code bbox}).
   */
  record DemoConfig(DetectorConfig detector, MaskRcnnConfig maskRcnn) {}

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

  static Task parseTask(String name) {
    for (Task t : Task.values()) {
      if (t.key().equalsIgnoreCase(name == null ? "" : name.strip())) {
        return t;
      }
    }
    throw new IllegalArgumentException("--task must be bbox or segm, got " + name);
  }

  private void run(Plan plan, PrintWriter stdout) throws IOException {
    if (threads < 1) {
      throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
    }
    Task task = parseTask(taskName);
    List<DemoMethod> methods = DemoMethod.parse(methodList);
    if (out == null) {
      out = Path.of(task == Task.SEGM ? "report-segm" : "report");
    }
    long start = System.nanoTime();
    int steps = methods.size() + 3;
    Map<String, String> facts = new LinkedHashMap<>();
    String suffix =
        (task == Task.SEGM ? "-segm" : "") + (plan.name().equals("full") ? "" : "-" + plan.name());
    Files.createDirectories(out);

    // 1. Data.
    String dataSuffix = plan.name().equals("full") ? "" : "-" + plan.name();
    Path data = out.resolve("data").resolve("lt-shapes" + dataSuffix);
    SynthSummary synth = null;
    long t0 = System.nanoTime();
    if (Files.isRegularFile(data.resolve(LtShapesGenerator.TRAIN_FILE))
        && Files.isRegularFile(data.resolve(LtShapesGenerator.VAL_FILE))) {
      stdout.printf(Locale.ROOT, "[1/%d] LT-Shapes: reusing %s%n", steps, data);
    } else {
      LtShapesConfig d = plan.data();
      stdout.printf(
          Locale.ROOT,
          "[1/%d] LT-Shapes: generating %d categories, %d train / %d val images of %d px,"
              + " imbalance %.0f into %s%n",
          steps,
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
                + " >100), %d train images, %d val images with %d instances",
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

    // 2. Training, one model per method.
    Path configsDir = out.resolve("configs");
    Files.createDirectories(configsDir);
    List<String> trainingFacts = new ArrayList<>();
    List<String> configFiles = new ArrayList<>();
    List<Path> checkpoints = new ArrayList<>();
    for (int i = 0; i < methods.size(); i++) {
      DemoMethod m = methods.get(i);
      Path copy = configsDir.resolve(configFile(m, suffix));
      DemoConfig config = demoConfig(m, task, plan, data, copy);
      configFiles.add(copy.toString());
      DetectorConfig detector = config.detector();
      Path runDir = out.resolve("runs").resolve(m.key() + suffix);
      stdout.printf(
          Locale.ROOT,
          "[%d/%d] training %s%s: %d iterations of %d images at %d px -> %s%n",
          i + 2,
          steps,
          m.label(),
          task == Task.SEGM ? " (Mask R-CNN)" : "",
          detector.solver().maxIter(),
          detector.solver().imagesPerBatch(),
          detector.input().minSizeTrain(),
          runDir);
      stdout.flush();
      TrainOutcome outcome = train(config, runDir, stdout);
      checkpoints.add(outcome.checkpoint());
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
      trainingFacts.add(m.label() + ": " + line);
    }

    // 3. Evaluation.
    int evalStep = methods.size() + 2;
    stdout.printf(
        Locale.ROOT,
        "[%d/%d] evaluating on %d val images (%s): %s%n",
        evalStep,
        steps,
        val.images().size(),
        task == Task.SEGM ? "masks and boxes" : "boxes",
        String.join(", ", DemoMethod.variantKeys(methods)));
    stdout.flush();
    EvalGroundTruth gt = EvalGroundTruth.from(val);
    List<VariantResult> variants = new ArrayList<>();
    Map<String, List<Detection>> detections = new LinkedHashMap<>();
    List<CategoryRef> categories = null;
    List<String> inferenceFacts = new ArrayList<>();
    float usedAlpha = Float.NaN;
    long evalStart = System.nanoTime();
    for (int i = 0; i < methods.size(); i++) {
      DemoMethod m = methods.get(i);
      Evaluated e =
          task == Task.SEGM
              ? evaluateMaskRcnn(m, checkpoints.get(i), val, data, images)
              : evaluateDetector(m, checkpoints.get(i), val, gt, data, images);
      categories = e.categories();
      if (m.causal()) {
        usedAlpha = e.alpha();
      }
      stdout.printf(Locale.ROOT, "      inference %s%n", e.speed());
      stdout.flush();
      inferenceFacts.add(e.speed());
      variants.addAll(e.variants());
      detections.putAll(e.detections());
    }
    double evalSeconds = (System.nanoTime() - evalStart) / 1e9;

    // 4. Report.
    String table = ComparisonTable.text(variants);
    stdout.printf(
        Locale.ROOT,
        "[%d/%d] results (%s, LVIS protocol):%n%n",
        steps,
        steps,
        task == Task.SEGM
            ? "mask AP in %; AP^bbox: box AP in %"
            : "box AP in %; every column is box AP");
    stdout.print(table);
    String verdict = DemoReport.verdict(variants);
    stdout.printf(Locale.ROOT, "%n%s%n", verdict);
    stdout.flush();

    double total = (System.nanoTime() - start) / 1e9;
    facts.put(
        "Methods",
        String.join("; ", methods.stream().map(m -> m.label() + ": " + m.description()).toList()));
    facts.put("Training", String.join("; ", trainingFacts));
    facts.put("Inference", String.join("; ", inferenceFacts));
    facts.put(
        "Evaluation",
        String.format(
            Locale.ROOT,
            "%.1f s for inference and LVIS evaluation of %d variants",
            evalSeconds,
            variants.size()));
    facts.put(
        "Wall time",
        String.format(
            Locale.ROOT,
            "%.1f min in total (data %.0f s), %d processors, OMP_NUM_THREADS=%s",
            total / 60,
            synthSeconds,
            Runtime.getRuntime().availableProcessors(),
            Objects.requireNonNullElse(System.getenv("OMP_NUM_THREADS"), "unset")));
    if (!Float.isNaN(usedAlpha)) {
      facts.put("TDE strength", String.format(Locale.ROOT, "alpha = %.3g", usedAlpha));
    }
    facts.put("Configs", String.join(", ", configFiles));
    new DemoReport(
            plan,
            task,
            methods,
            out,
            data,
            variants,
            detections,
            Objects.requireNonNull(categories))
        .write(train, val, verdict, facts, synth != null || Files.exists(out.resolve(LONG_TAIL)));
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

  /** The evaluation of one method's model. */
  private record Evaluated(
      List<VariantResult> variants,
      Map<String, List<Detection>> detections,
      List<CategoryRef> categories,
      float alpha,
      String speed) {}

  private Evaluated evaluateDetector(
      DemoMethod m, Path checkpoint, LvisDataset val, EvalGroundTruth gt, Path data, Path images)
      throws IOException {
    try (TrainedDetector detector = TrainedDetector.load(checkpoint)) {
      CheckpointRun.checkCategories(detector, val, data.resolve(LtShapesGenerator.VAL_FILE));
      float a = CheckpointRun.alpha(detector, alpha);
      DetectionDataset dataset =
          DetectionDataset.builder()
              .setAnnotations(val)
              .setImagesRoot(images)
              .optTransform(detector.testTransform())
              .setSampling(1, false)
              .build();
      long s0 = System.nanoTime();
      Map<InferenceMode, List<Detection>> byMode;
      try (ProgressBar bar =
          noProgress ? null : CliSupport.inferenceBar(dataset.size(), "inference " + m.label())) {
        byMode = ModeSweep.detectAll(detector, dataset, m.modes(), a, 4, threads, progress(bar));
      }
      double seconds = (System.nanoTime() - s0) / 1e9;
      String speed =
          String.format(
              Locale.ROOT,
              "%s: %.1f images/s (%d images in %.1f s, %d mode%s per backbone pass)",
              m.label(),
              dataset.size() / seconds,
              dataset.size(),
              seconds,
              m.modes().size(),
              m.modes().size() == 1 ? "" : "s");
      List<VariantResult> variants = new ArrayList<>();
      Map<String, List<Detection>> detections = new LinkedHashMap<>();
      for (InferenceMode mode : m.modes()) {
        List<Detection> list = byMode.get(mode);
        LvisEvalResult result =
            LvisEvaluator.builder()
                .setIouType(IouType.BBOX)
                .optParallelism(threads)
                .build()
                .evaluate(gt, EvalDetections.from(list));
        variants.add(new VariantResult(m.variantKey(mode), m.variantLabel(mode), result));
        detections.put(m.variantKey(mode), list);
      }
      return new Evaluated(variants, detections, detector.config().categories(), a, speed);
    }
  }

  private Evaluated evaluateMaskRcnn(
      DemoMethod m, Path checkpoint, LvisDataset val, Path data, Path images) throws IOException {
    try (TrainedMaskRcnn model = TrainedMaskRcnn.load(checkpoint)) {
      CheckpointRun.checkCategories(
          model.categories(), model.source(), val, data.resolve(LtShapesGenerator.VAL_FILE));
      float a =
          CheckpointRun.alpha(model.config().detector().model().roiHeads().classifier(), alpha);
      List<VariantResult> variants = new ArrayList<>();
      Map<String, List<Detection>> detections = new LinkedHashMap<>();
      int imageCount = 0;
      double seconds = 0;
      for (InferenceMode mode : m.modes()) {
        InferenceOptions options = model.defaultOptions().withMode(mode).withAlpha(a);
        MaskRcnnEvaluation.Result r;
        try (ProgressBar bar =
            noProgress
                ? null
                : CliSupport.inferenceBar(
                    val.images().size(), "inference " + m.variantLabel(mode))) {
          r = MaskRcnnEvaluation.evaluate(model, val, images, options, 4, threads, progress(bar));
        }
        imageCount += r.images();
        seconds += r.inferenceSeconds();
        variants.add(
            new VariantResult(m.variantKey(mode), m.variantLabel(mode), r.bbox(), r.segm()));
        detections.put(m.variantKey(mode), r.results());
      }
      String speed =
          String.format(
              Locale.ROOT,
              "%s: %.1f images/s with masks (%d images in %.1f s over %d mode%s)",
              m.label(),
              seconds > 0 ? imageCount / seconds : 0,
              imageCount,
              seconds,
              m.modes().size(),
              m.modes().size() == 1 ? "" : "s");
      return new Evaluated(variants, detections, model.categories(), a, speed);
    }
  }

  private static IntConsumer progress(ProgressBar bar) {
    return n -> {
      if (bar != null) {
        bar.stepTo(n);
      }
    };
  }

  /** The result of training one model (or finding it trained). */
  private record TrainOutcome(
      Path checkpoint,
      boolean reused,
      double seconds,
      double secondsPerIteration,
      long iterationsRun) {}

  private TrainOutcome train(DemoConfig config, Path runDir, PrintWriter stdout)
      throws IOException {
    DetectorConfig detector = config.detector();
    CheckpointStore store = new CheckpointStore(runDir.resolve(DetectorTraining.CHECKPOINTS));
    Path last = store.pathFor(detector.solver().maxIter());
    Path savedConfig = runDir.resolve(DetectorTraining.CONFIG_FILE);
    if (Files.isRegularFile(savedConfig)) {
      if (!sameTraining(Files.readString(savedConfig), savedConfig.toString(), config)) {
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
    DetectorTraining.Options options =
        new DetectorTraining.Options(runDir, true, noProgress, log, 0, (it, root) -> {});
    DetectorTraining.Result result =
        config.maskRcnn() != null
            ? MaskRcnnTraining.run(config.maskRcnn(), options)
            : DetectorTraining.run(detector, options);
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

  /** Whether a run's saved config text describes the same training as {@code config}. */
  private static boolean sameTraining(String saved, String source, DemoConfig config) {
    boolean savedMask = MaskRcnnConfigIo.isMaskRcnn(saved);
    if (savedMask != (config.maskRcnn() != null)) {
      return false;
    }
    if (savedMask) {
      MaskRcnnConfig s = MaskRcnnConfigIo.parse(saved, source);
      return s.mask().equals(config.maskRcnn().mask())
          && sameTraining(s.detector(), config.detector());
    }
    return sameTraining(ConfigIo.parse(saved, source), config.detector());
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
        && x.sampler() == y.sampler()
        && x.repeatThreshold().equals(y.repeatThreshold());
  }

  /**
   * The demo config of a method: its base resource with the method's and the plan's overrides, the
   * mask head for {@code segm}, and the data paths; also written to {@code copy} (with paths
   * relative to it) for {@code ./lt train}.
   */
  static DemoConfig demoConfig(DemoMethod method, Task task, Plan plan, Path data, Path copy)
      throws IOException {
    String text = resource(method.resource());
    List<String> overrides = new ArrayList<>(method.overrides());
    overrides.addAll(plan.overrides());
    if (!overrides.isEmpty()) {
      text =
          "# ./lt demo: "
              + method.label()
              + ", "
              + method.description()
              + "\n"
              + ConfigFiles.applyOverrides(text, overrides, method.resource());
    }
    if (task == Task.SEGM) {
      text = text.stripTrailing() + "\n" + resource(MASK_RESOURCE);
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
    if (task == Task.SEGM) {
      MaskRcnnConfig parsed = MaskRcnnConfigIo.parse(full, copy.toString());
      DetectorConfig detector = ConfigFiles.resolveData(parsed.detector(), copy);
      return new DemoConfig(detector, parsed.withDetector(detector));
    }
    return new DemoConfig(
        ConfigFiles.resolveData(ConfigIo.parse(full, copy.toString()), copy), null);
  }

  /** The config file name of a method, e.g. {@code lt-shapes-demo-seesaw-segm.yaml}. */
  static String configFile(DemoMethod method, String suffix) {
    return "lt-shapes-demo-" + method.name() + suffix + ".yaml";
  }

  static String resource(String name) throws IOException {
    try (InputStream in = DemoCommand.class.getResourceAsStream(CONFIG_RESOURCES + name)) {
      if (in == null) {
        throw new IOException("demo config resource missing: " + CONFIG_RESOURCES + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
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
}
