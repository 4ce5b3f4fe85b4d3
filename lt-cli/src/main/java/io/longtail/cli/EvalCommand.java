package io.longtail.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.longtail.core.classifier.InferenceMode;
import io.longtail.core.concurrent.Tasks;
import io.longtail.datasets.eval.EvalDetections;
import io.longtail.datasets.eval.EvalGroundTruth;
import io.longtail.datasets.eval.EvalProtocol;
import io.longtail.datasets.eval.IouType;
import io.longtail.datasets.eval.LvisEvalResult;
import io.longtail.datasets.eval.LvisEvaluator;
import io.longtail.datasets.eval.Metric;
import io.longtail.datasets.eval.ProgressListener;
import io.longtail.datasets.lvis.Frequency;
import io.longtail.datasets.lvis.LvisDataset;
import io.longtail.datasets.lvis.LvisReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./lt eval}: LVIS evaluation of a results file, or of a detector or Mask R-CNN checkpoint
 * run on the annotations' images (a Mask R-CNN is evaluated for bbox and segm), equal to the
 * official lvis-api, printed in its layout and optionally written as JSON.
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluate LVIS detection or segmentation results exactly like the official lvis-api"
          + " (LVISEval): AP, AP50, AP75, APs/m/l, APr/c/f, AR@300 and per-category AP.",
      "Categories are evaluated in parallel with memory proportional to the detections.",
      "With --checkpoint CKPT --images DIR instead of --results, runs the detector on every image"
          + " of the annotations first (--tde off|on|bg-exempt, --alpha), then evaluates its boxes;"
          + " a Mask R-CNN checkpoint is evaluated twice, boxes (bbox) and masks (segm), from the"
          + " same results."
    })
final class EvalCommand implements Callable<Integer> {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--annotations",
      required = true,
      paramLabel = "GT.json",
      description = "LVIS v0.5/v1 annotation file (.json or .json.gz).")
  Path annotations;

  @Option(
      names = "--results",
      paramLabel = "RES.json",
      description =
          "Results file: a JSON array of {image_id, category_id, bbox|segmentation, score}.")
  Path results;

  @Option(
      names = "--iou-type",
      paramLabel = "bbox|segm",
      converter = IouTypeConverter.class,
      description =
          "Compare boxes (bbox) or masks (segm); required with --results. With --checkpoint: bbox"
              + " for a detector, both for a Mask R-CNN unless one is given.")
  IouType iouType;

  @Option(
      names = "--checkpoint",
      paramLabel = "CKPT",
      description =
          "Detector or Mask R-CNN checkpoint (or run directory: its latest checkpoint) to run on"
              + " the images of --annotations instead of reading --results.")
  Path checkpoint;

  @Option(
      names = "--images",
      paramLabel = "DIR",
      description = "With --checkpoint: folder the annotations' image file names are relative to.")
  Path images;

  @Option(
      names = "--tde",
      paramLabel = "off|on|bg-exempt",
      converter = CliSupport.TdeConverter.class,
      description =
          "With --checkpoint: plain softmax (off), TDE logits (on) or TDE with background-exempted"
              + " inference (bg-exempt); default: the checkpoint's (bg-exempt for causal norm).")
  InferenceMode tde;

  @Option(
      names = "--alpha",
      paramLabel = "A",
      description = "With --checkpoint: TDE strength (default: the checkpoint's, 1.5).")
  Float alpha;

  @Option(
      names = "--results-out",
      paramLabel = "RES.json",
      description =
          "With --checkpoint: also write the detections as an LVIS results file (boxes, and masks"
              + " as compressed RLE for a Mask R-CNN).")
  Path resultsOut;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      description = "With --checkpoint: images per forward pass (default ${DEFAULT-VALUE}).")
  int batchSize = 4;

  @Option(
      names = "--json",
      paramLabel = "OUT.json",
      description =
          "Also write the summary and per-category AP to this JSON file ({\"bbox\": {...}} or"
              + " {\"segm\": {...}}; both for a Mask R-CNN checkpoint).")
  Path json;

  @Option(
      names = "--ap-fixed",
      description =
          "AP-fixed protocol (Dave et al. 2021): no per-image limit, the top 10000 detections per"
              + " category over the dataset, instead of the top 300 per image.")
  boolean apFixed;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Worker threads (default: the number of processors).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--no-progress", description = "Do not draw a progress bar on stderr.")
  boolean noProgress;

  @Option(names = "--verbose", description = "Print stack traces of errors.")
  boolean verbose;

  /** Parses {@code bbox} / {@code segm} (any case). */
  static final class IouTypeConverter implements CommandLine.ITypeConverter<IouType> {
    @Override
    public IouType convert(String value) {
      try {
        return IouType.fromKey(value.toLowerCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException("expected bbox or segm, got '" + value + "'");
      }
    }
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      run(out, err);
      return 0;
    } catch (RuntimeException | IOException e) {
      err.println("lt eval: error: " + describe(e));
      if (verbose) {
        e.printStackTrace(err);
      }
      err.flush();
      return 1;
    }
  }

  private void run(PrintWriter out, PrintWriter err) throws IOException {
    if (threads < 1) {
      throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
    }
    CheckpointEval.checkOptions(this);
    EvalProtocol protocol = apFixed ? EvalProtocol.AP_FIXED : EvalProtocol.STANDARD;
    long t0 = System.nanoTime();
    // Box evaluation takes areas from the annotations' area field: their masks are not read.
    boolean masks = checkpoint != null || iouType == IouType.SEGM;
    LvisReader reader = LvisReader.builder().optSegmentations(masks).build();
    Map<IouType, EvalDetections> evaluated;
    Path source;
    EvalGroundTruth gt;
    long tResults;
    if (checkpoint != null) {
      LvisDataset dataset = read(annotations, "annotations", () -> reader.read(annotations));
      gt = EvalGroundTruth.from(dataset);
      printAnnotations(out, gt, System.nanoTime() - t0);
      evaluated = CheckpointEval.detections(this, dataset, out);
      source = checkpoint;
      tResults = System.nanoTime() - t0;
    } else {
      // The annotations are read on a thread of their own while the results, the larger file, are
      // parsed in pieces by the others (straight into flat arrays, no object per detection). Box
      // evaluation reads the annotations' bytes straight into the evaluator's arrays (no masks, no
      // LvisDataset): about 2 s less CPU on an LVIS-v1-val-scale file in a fresh JVM.
      long[] annotationsTime = new long[1];
      FutureTask<EvalGroundTruth> annotationsTask =
          new FutureTask<>(
              () -> {
                EvalGroundTruth g =
                    read(
                        annotations,
                        "annotations",
                        () ->
                            masks
                                ? EvalGroundTruth.from(reader.read(annotations))
                                : EvalGroundTruth.readBoxes(annotations));
                annotationsTime[0] = System.nanoTime() - t0; // seen after get()
                return g;
              });
      Thread annotationsThread = new Thread(annotationsTask, "lt-eval-annotations");
      annotationsThread.setDaemon(true);
      annotationsThread.start();
      EvalDetections detections;
      try {
        detections = read(results, "results", () -> EvalDetections.read(results, threads));
        tResults = System.nanoTime() - t0;
        gt = Tasks.join(annotationsTask, "reading " + annotations);
      } finally {
        annotationsThread.interrupt();
      }
      printAnnotations(out, gt, annotationsTime[0]);
      evaluated = Map.of(iouType, detections);
      source = results;
    }
    out.printf(
        Locale.ROOT,
        "results: %s: %d detections (%.1f s)%n",
        source,
        evaluated.values().iterator().next().size(),
        tResults / 1e9);
    out.printf(Locale.ROOT, "protocol: %s%n", describe(protocol));
    out.flush();

    ObjectNode jsonRoot = JSON.createObjectNode();
    for (Map.Entry<IouType, EvalDetections> e : evaluated.entrySet()) {
      IouType type = e.getKey();
      long s0 = System.nanoTime();
      LvisEvalResult result;
      try (BarListener bar = new BarListener(!noProgress)) {
        result =
            LvisEvaluator.builder()
                .setIouType(type)
                .optProtocol(protocol)
                .optParallelism(threads)
                .optProgress(bar)
                .build()
                .evaluate(gt, e.getValue());
      } catch (IllegalArgumentException ex) {
        // e.g. a detection of an image that is not in the annotations
        throw new IllegalArgumentException(source + ": " + ex.getMessage(), ex);
      }
      out.printf(
          Locale.ROOT, "%s evaluation (%.1f s):%n", type.key(), (System.nanoTime() - s0) / 1e9);
      out.print(result.formatTable());
      out.print(frequencyTable(result));
      out.flush();
      jsonRoot.setAll(toJson(result));
    }
    if (json != null) {
      writeJson(jsonRoot, json);
      out.printf(Locale.ROOT, "wrote %s%n", json);
    }
    out.printf(
        Locale.ROOT,
        "total %.1f s wall, %s, %s%n",
        (System.nanoTime() - t0) / 1e9,
        cpuTime(),
        peakRss());
    out.flush();
  }

  private void printAnnotations(PrintWriter out, EvalGroundTruth gt, long nanos) {
    out.printf(
        Locale.ROOT,
        "annotations: %s: %d images, %d categories, %d annotations (%.1f s)%n",
        annotations,
        gt.imageCount(),
        gt.categoryCount(),
        gt.annotationCount(),
        nanos / 1e9);
    out.flush();
  }

  /** CPU time of the whole JVM so far (all threads, JIT and GC included). */
  private static String cpuTime() {
    java.lang.management.OperatingSystemMXBean os =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return String.format(Locale.ROOT, "%.1f s CPU", sun.getProcessCpuTime() / 1e9);
    }
    return "CPU time unknown";
  }

  /** Peak resident set size of the process ({@code VmHWM} of /proc/self/status, Linux). */
  private static String peakRss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
          return String.format(Locale.ROOT, "peak RSS %.0f MiB", kib / 1024.0);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: leave it out
    }
    return "peak RSS unknown";
  }

  static String describe(EvalProtocol p) {
    if (p.equals(EvalProtocol.AP_FIXED)) {
      return "AP-fixed (Dave et al. 2021): no per-image limit, top "
          + p.maxDetsPerCategory()
          + " detections per category";
    }
    return "standard LVIS: top " + p.maxDetsPerImage() + " detections per image";
  }

  /** The per-frequency summary: categories with ground truth and AP of each group. */
  static String frequencyTable(LvisEvalResult result) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%n %-10s %10s %8s%n", "frequency", "categories", "AP"));
    Metric[] metrics = {Metric.APR, Metric.APC, Metric.APF};
    Frequency[] groups = {Frequency.RARE, Frequency.COMMON, Frequency.FREQUENT};
    String[] names = {"rare", "common", "frequent"};
    for (int i = 0; i < groups.length; i++) {
      Frequency g = groups[i];
      long n = result.categories().stream().filter(c -> c.frequency() == g).count();
      sb.append(
          String.format(Locale.ROOT, " %-10s %10d %8.3f%n", names[i], n, result.get(metrics[i])));
    }
    sb.append(
        String.format(
            Locale.ROOT,
            " %-10s %10d %8.3f%n",
            "all",
            result.categories().size(),
            result.get(Metric.AP)));
    return sb.toString();
  }

  /**
   * Writes {@code {"bbox"|"segm": {"protocol": ..., "summary": {...}, "perCategoryAP": {...}}}}
   * with lvis-api's metric names.
   */
  static void writeJson(LvisEvalResult result, Path file) throws IOException {
    writeJson(toJson(result), file);
  }

  /**
   * The JSON {@link #writeJson(LvisEvalResult, Path)} writes: {@code {"bbox"|"segm": {"protocol":
   * ..., "summary": {...}, "perCategoryAP": {...}}}}.
   */
  static ObjectNode toJson(LvisEvalResult result) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode section = root.putObject(result.iouType().key());
    ObjectNode protocol = section.putObject("protocol");
    protocol.put("name", result.protocol().name());
    protocol.put("maxDetsPerImage", result.protocol().maxDetsPerImage());
    protocol.put("maxDetsPerCategory", result.protocol().maxDetsPerCategory());
    ObjectNode summary = section.putObject("summary");
    for (Metric m : Metric.values()) {
      summary.put(result.key(m), result.get(m));
    }
    ObjectNode perCategory = section.putObject("perCategoryAP");
    for (Map.Entry<Integer, Double> e : result.perCategoryAp().entrySet()) {
      perCategory.put(Integer.toString(e.getKey()), e.getValue());
    }
    return root;
  }

  /** Writes a JSON tree, indented, creating the folder. */
  static void writeJson(ObjectNode root, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try {
      JSON.writeValue(file.toFile(), root);
    } catch (IOException e) {
      throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** Something that reads a file. */
  private interface Reader<T> {
    T read() throws IOException;
  }

  /** Reads a file, turning "not found" and I/O problems into one-line messages naming it. */
  private static <T> T read(Path file, String what, Reader<T> reader) throws IOException {
    if (!Files.exists(file)) {
      throw new IOException(what + " file not found: " + file);
    }
    try {
      return reader.read();
    } catch (NoSuchFileException e) {
      throw new IOException(what + " file not found: " + file, e);
    } catch (AccessDeniedException e) {
      throw new IOException(what + " file not readable: " + file, e);
    } catch (IOException | UncheckedIOException e) {
      throw new IOException("cannot read " + what + " file " + file + ": " + e.getMessage(), e);
    } catch (OutOfMemoryError e) {
      throw new IllegalStateException(
          "out of memory reading " + what + " file " + file + "; raise -Xmx", e);
    }
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      message = e.getClass().getSimpleName();
    }
    return message.replace('\n', ' ');
  }

  /** Draws category progress on stderr (or nothing when disabled). */
  private static final class BarListener implements ProgressListener, AutoCloseable {
    private final boolean enabled;
    private ProgressBar bar;

    BarListener(boolean enabled) {
      this.enabled = enabled;
    }

    @Override
    public synchronized void started(int totalCategories) {
      if (enabled) {
        bar =
            new ProgressBarBuilder()
                .setTaskName("categories")
                .setInitialMax(totalCategories)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .build();
      }
    }

    @Override
    public synchronized void categoryDone() {
      if (bar != null) {
        bar.step();
      }
    }

    @Override
    public synchronized void close() {
      if (bar != null) {
        bar.close();
        bar = null;
      }
    }
  }
}
