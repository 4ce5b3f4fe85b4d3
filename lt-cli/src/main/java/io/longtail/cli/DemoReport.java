package io.longtail.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.longtail.core.classifier.InferenceMode;
import io.longtail.datasets.eval.Metric;
import io.longtail.datasets.lvis.Category;
import io.longtail.datasets.lvis.Detection;
import io.longtail.datasets.lvis.ImageInfo;
import io.longtail.datasets.lvis.LvisDataset;
import io.longtail.datasets.synth.LtShapesGenerator;
import io.longtail.detection.config.CategoryRef;
import io.longtail.detection.report.ApVsCountPlot;
import io.longtail.detection.report.ComparisonTable;
import io.longtail.detection.report.DetectionPainter.LabelledBox;
import io.longtail.detection.report.HtmlReport;
import io.longtail.detection.report.PredictionGrid;
import io.longtail.detection.report.VariantResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The files {@code ./lt demo} writes from its evaluated variants: {@code results.json} (the {@code
 * lt eval --json} document of every variant, {@code bbox} and, for Mask R-CNNs, {@code segm}), the
 * per-category AP plot, the prediction grid and {@code index.html}; and the verdict sentence.
 *
 * @param plan the demo size
 * @param task box or mask demo
 * @param methods the trained methods, in table order
 * @param out the output folder
 * @param dataFolder the LT-Shapes folder
 * @param variants the evaluated variants, in table order
 * @param detections each variant's results, by variant key
 * @param categories the models' categories (contiguous class order)
 */
record DemoReport(
    DemoCommand.Plan plan,
    DemoCommand.Task task,
    List<DemoMethod> methods,
    Path out,
    Path dataFolder,
    List<VariantResult> variants,
    Map<String, List<Detection>> detections,
    List<CategoryRef> categories) {

  /** Copies the lists. */
  DemoReport {
    methods = List.copyOf(methods);
    variants = List.copyOf(variants);
    detections = Map.copyOf(detections);
    categories = List.copyOf(categories);
  }

  /**
   * Writes results.json, the plot, the prediction grid and index.html.
   *
   * @param train the training set (images per category for the plot)
   * @param val the validation set (grid images and ground truth)
   * @param verdict the sentence under the table
   * @param facts the "Run" section of the page
   * @param longTail whether OUT holds the long-tail plot of the training set
   */
  void write(
      LvisDataset train,
      LvisDataset val,
      String verdict,
      Map<String, String> facts,
      boolean longTail)
      throws IOException {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    for (VariantResult v : variants) {
      ObjectNode entry = EvalCommand.toJson(v.result());
      if (v.hasSegm()) {
        entry.setAll(EvalCommand.toJson(v.segm()));
      }
      json.set(v.key(), entry);
    }
    EvalCommand.writeJson(json, out.resolve(DemoCommand.RESULTS));

    Map<Integer, Integer> trainCounts = new HashMap<>();
    for (Category c : train.categories()) {
      trainCounts.put(c.id(), train.imagesWithCategory(c.id()).size());
    }
    ApVsCountPlot.write(variants, trainCounts, out.resolve(DemoCommand.PLOT));
    List<ImageInfo> gridImages = PredictionGrid.pickImages(val, plan.gridImages());
    List<PredictionGrid.Column> columns = new ArrayList<>();
    boolean masks = task == DemoCommand.Task.SEGM;
    columns.add(PredictionGrid.groundTruth(val, gridImages, "ground truth", masks));
    for (VariantResult v : gridVariants(variants, methods)) {
      columns.add(
          new PredictionGrid.Column(
              v.label(), boxesOf(detections.get(v.key()), gridImages, categories)));
    }
    PredictionGrid.write(
        out.resolve(DemoCommand.GRID),
        dataFolder.resolve(LtShapesGenerator.IMAGES_DIR),
        gridImages,
        columns,
        256);
    writeHtml(verdict, facts, longTail);
  }

  /**
   * The variants of the prediction grid: all of them when they fit (five), else the last variant of
   * each method (for causal norm: with TDE and background exemption).
   */
  static List<VariantResult> gridVariants(List<VariantResult> variants, List<DemoMethod> methods) {
    if (variants.size() <= 5) {
      return variants;
    }
    List<VariantResult> out = new ArrayList<>();
    for (DemoMethod m : methods) {
      out.add(find(variants, m.variantKey(m.modes().get(m.modes().size() - 1))));
    }
    return out;
  }

  /**
   * The plain statement of the comparison: what TDE did to APr over the softmax baseline when both
   * were run, and which variant has the highest APr when other methods were run. Mask APr when the
   * variants have mask evaluations.
   */
  static String verdict(List<VariantResult> variants) {
    boolean masks = ComparisonTable.masks(variants);
    String apr = masks ? "Mask APr" : "APr";
    List<String> sentences = new ArrayList<>();
    VariantResult base = findOrNull(variants, DemoMethod.SOFTMAX.key());
    String bgKey = DemoMethod.CAUSAL_NORM.variantKey(InferenceMode.BACKGROUND_EXEMPT);
    VariantResult tde = findOrNull(variants, bgKey);
    if (base != null && tde != null) {
      VariantResult tdePlain = find(variants, DemoMethod.CAUSAL_NORM.variantKey(InferenceMode.TDE));
      VariantResult cn = find(variants, DemoMethod.CAUSAL_NORM.key());
      double b = base.primary().get(Metric.APR);
      double t = tde.primary().get(Metric.APR);
      // The change between the printed (rounded) values, so the sentence agrees with the table.
      double delta = (Math.round(1000 * t) - Math.round(1000 * b)) / 10.0;
      String change =
          delta == 0
              ? "did not change " + apr + " over the softmax baseline"
              : String.format(
                  Locale.ROOT,
                  "%s %s over the softmax baseline by %.1f points",
                  delta > 0 ? "raised" : "lowered",
                  apr,
                  Math.abs(delta));
      sentences.add(
          String.format(
              Locale.ROOT,
              "%s: baseline %s, causal norm %s, + TDE %s, + TDE + bg-exempt %s. Causal norm with"
                  + " TDE and background-exempted inference %s (%s %+.1f points).",
              apr,
              ComparisonTable.percent(b),
              ComparisonTable.percent(cn.primary().get(Metric.APR)),
              ComparisonTable.percent(tdePlain.primary().get(Metric.APR)),
              ComparisonTable.percent(t),
              change,
              masks ? "mask AP" : "AP",
              100 * (tde.primary().get(Metric.AP) - base.primary().get(Metric.AP))));
    }
    if (sentences.isEmpty() || variants.size() > 4) {
      VariantResult best =
          variants.stream()
              .max(Comparator.comparingDouble(v -> v.primary().get(Metric.APR)))
              .orElseThrow();
      sentences.add(
          String.format(
              Locale.ROOT,
              "Highest %s of the %d variants: %s (%s; AP %s).",
              apr,
              variants.size(),
              best.label(),
              ComparisonTable.percent(best.primary().get(Metric.APR)),
              ComparisonTable.percent(best.primary().get(Metric.AP))));
    }
    return String.join(" ", sentences);
  }

  static VariantResult find(List<VariantResult> variants, String key) {
    VariantResult v = findOrNull(variants, key);
    if (v == null) {
      throw new IllegalStateException("no variant " + key);
    }
    return v;
  }

  private static VariantResult findOrNull(List<VariantResult> variants, String key) {
    for (VariantResult v : variants) {
      if (v.key().equals(key)) {
        return v;
      }
    }
    return null;
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
                b[0],
                b[1],
                b[0] + b[2],
                b[1] + b[3],
                k,
                categories.get(k).name(),
                d.score(),
                d.segmentation() == null
                    ? null
                    : d.segmentation().toRle(d.segmentation().height(), d.segmentation().width())));
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

  private void writeHtml(String verdict, Map<String, String> facts, boolean longTail)
      throws IOException {
    boolean segm = task == DemoCommand.Task.SEGM;
    Path data = dataFolder;
    boolean tableFour = methods.equals(DemoMethod.parse(DemoMethod.DEFAULT));
    String model = segm ? "A Mask R-CNN" : "A Faster R-CNN";
    String what =
        tableFour
            ? " twice: with a linear softmax box classifier (baseline) and with the causal-norm"
                + " classifier of De-confound-TDE (Tang, Huang and Zhang, NeurIPS 2020). The"
                + " causal-norm model is evaluated without TDE, with TDE, and with TDE and"
                + " background-exempted inference (the paper's detection setting), all on the"
                + " same weights."
            : " once per long-tail method ("
                + String.join(", ", methods.stream().map(DemoMethod::label).toList())
                + "), every training with the same backbone, schedule and data; the"
                + " causal-norm model of De-confound-TDE (Tang, Huang and Zhang, NeurIPS 2020),"
                + " when listed, is evaluated without TDE, with TDE, and with TDE and"
                + " background-exempted inference, all on the same weights.";
    String runDir =
        out.resolve("runs")
            .resolve(
                DemoMethod.CAUSAL_NORM.key()
                    + (segm ? "-segm" : "")
                    + (plan.name().equals("full") ? "" : "-" + plan.name()))
            .toString();
    HtmlReport.Builder html =
        HtmlReport.builder()
            .setTitle(
                "Long-tailed "
                    + (segm ? "instance segmentation" : "detection")
                    + " on LT-Shapes: "
                    + (tableFour
                        ? "softmax baseline vs causal norm + TDE"
                        : methods.size() + " long-tail methods"))
            .addParagraph(
                model
                    + " with FPN trained on CPU on LT-Shapes, a synthetic long-tailed dataset in"
                    + " LVIS format,"
                    + what
                    + (plan.name().equals("full")
                        ? ""
                        : " This is the --quick run: a tiny dataset and a few iterations, to"
                            + " check the pipeline; the numbers mean little."))
            .addHeading(
                segm
                    ? "Results (mask AP, and box AP in the last column; LVIS protocol, in %)"
                    : "Results (box AP, LVIS protocol, in %)")
            .addTable(variants)
            .addParagraph(
                segm
                    ? "Layout of Table 4 of the paper: AP to APf are mask AP (segm), AP^bbox is"
                        + " box AP of the same detections. APr, APc and APf average the"
                        + " categories with 1-10, 11-100 and more than 100 training images."
                    : "Layout of Table 4 of the paper. The paper's AP to APf columns are mask AP;"
                        + " this detector has no mask head (run ./lt demo --task segm for a Mask"
                        + " R-CNN), so every column is box AP and AP equals AP^bbox. APr, APc and"
                        + " APf average the categories with 1-10, 11-100 and more than 100"
                        + " training images.")
            .addParagraph(verdict)
            .addImage(
                DemoCommand.PLOT,
                "Per-category "
                    + (segm ? "mask" : "box")
                    + " AP against the number of training images of the category; points are"
                    + " categories, lines the mean AP of log-spaced bins. Dashed lines: the rare"
                    + " / common / frequent limits.")
            .addImage(
                DemoCommand.GRID,
                "Validation images (rows chosen to show rare, common and frequent categories):"
                    + " ground truth, then the "
                    + "detections with score >= 0.3 of "
                    + (variants.size() <= 5 ? "each variant." : "each method."));
    if (longTail) {
      html.addImage(
          DemoCommand.LONG_TAIL, "The long tail of the training set: images per category.");
    }
    html.addHeading("Run")
        .addFacts(facts)
        .addParagraph(
            "results.json maps each variant ("
                + String.join(", ", variants.stream().map(VariantResult::key).toList())
                + ") to the JSON of `lt eval --json`: {\"bbox\": {\"summary\": ...,"
                + " \"perCategoryAP\": ...}"
                + (segm ? ", \"segm\": {...}" : "")
                + "}.")
        .addParagraph("Reproduce, or evaluate a variant again (e.g. another TDE strength):")
        .addPreformatted(
            "./lt demo"
                + (plan.name().equals("full") ? "" : " --quick")
                + (segm ? " --task segm" : "")
                + (tableFour
                    ? ""
                    : " --methods "
                        + String.join(",", methods.stream().map(DemoMethod::name).toList()))
                + " --out "
                + out
                + "\n./lt eval --checkpoint "
                + runDir
                + " --annotations "
                + data.resolve(LtShapesGenerator.VAL_FILE)
                + " --images "
                + data.resolve(LtShapesGenerator.IMAGES_DIR)
                + " --tde bg-exempt --alpha 1.5");
    html.build().write(out.resolve(DemoCommand.INDEX));
  }
}
