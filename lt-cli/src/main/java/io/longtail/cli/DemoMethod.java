package io.longtail.cli;

import io.longtail.core.classifier.InferenceMode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A long-tail method {@code ./lt demo --methods} can train: one of the demo's two base configs
 * (softmax or causal norm) with config overrides that select the method, and the inference modes it
 * is evaluated with. Every method shares the backbone, schedule and data of the baseline, so the
 * table compares the methods and nothing else.
 *
 * @param name the name on the command line, e.g. {@code seesaw}
 * @param key the results.json key and run folder name ({@code baseline} for softmax)
 * @param label the name in tables and legends
 * @param resource the base config resource (in {@link DemoCommand#CONFIG_RESOURCES})
 * @param overrides {@code key.path=value} overrides on top of the resource
 * @param modes inference modes evaluated, in table order
 * @param description one sentence for the report: what the method is and its paper
 */
record DemoMethod(
    String name,
    String key,
    String label,
    String resource,
    List<String> overrides,
    List<InferenceMode> modes,
    String description) {

  private static final String SOFTMAX_YAML = "lt-shapes-demo-softmax.yaml";
  private static final String CAUSAL_YAML = "lt-shapes-demo-causal-norm.yaml";
  private static final List<InferenceMode> PLAIN = List.of(InferenceMode.PLAIN);

  /** The softmax baseline. */
  static final DemoMethod SOFTMAX =
      new DemoMethod(
          "softmax",
          "baseline",
          "Baseline (softmax)",
          SOFTMAX_YAML,
          List.of(),
          PLAIN,
          "linear classifier trained with softmax cross-entropy (detectron2's box head)");

  /** De-confound-TDE's causal-norm classifier, evaluated without TDE, with TDE and + bg-exempt. */
  static final DemoMethod CAUSAL_NORM =
      new DemoMethod(
          "causal-norm",
          "causal-norm",
          "Causal norm",
          CAUSAL_YAML,
          List.of(),
          List.of(InferenceMode.PLAIN, InferenceMode.TDE, InferenceMode.BACKGROUND_EXEMPT),
          "multi-head causal-norm classifier with a moving-average feature, evaluated without"
              + " TDE, with TDE and with TDE + background-exempted inference (Tang et al.,"
              + " NeurIPS 2020)");

  /** Every method, in the order {@code all} expands to. */
  static final List<DemoMethod> ALL =
      List.of(
          SOFTMAX,
          CAUSAL_NORM,
          linear(
              "cosine",
              "Cosine classifier",
              "model.roiHeads.classifier.kind=COSINE",
              "cosine-similarity classifier with scale 16 (the causal-norm model's one-head,"
                  + " no-TDE relative)"),
          loss("bce", "Sigmoid BCE", "per-class sigmoid cross-entropy, background all-negative"),
          loss(
              "focal",
              "Focal loss",
              "sigmoid focal loss, gamma 2, alpha 0.25 (Lin et al., ICCV 2017)"),
          loss(
              "class-balanced",
              "Class-balanced loss",
              "softmax cross-entropy weighted by the effective number of samples, beta 0.999"
                  + " (Cui et al., CVPR 2019)"),
          loss(
              "logit-adjusted",
              "Logit adjustment",
              "softmax cross-entropy on logits shifted by tau log(prior), tau 1 (Menon et al.,"
                  + " ICLR 2021)"),
          linear(
              "eql",
              "EQL",
              "model.roiHeads.loss={kind: eql, lambda: 0.05}",
              "equalization loss: sigmoid losses of rare classes ignored on other classes'"
                  + " foreground (Tan et al., CVPR 2020), lambda 0.05: categories in fewer than 5%"
                  + " of the training images, as the paper's 1.76e-3 is about 100 of LVIS v0.5's"
                  + " 57k images"),
          loss(
              "seesaw",
              "Seesaw loss",
              "softmax cross-entropy with mitigation and compensation factors, p 0.8, q 2 (Wang"
                  + " et al., CVPR 2021)"),
          loss(
              "distribution-balanced",
              "Distribution-balanced loss",
              "sigmoid loss with re-balanced weights and negative-tolerant regularisation (Wu et"
                  + " al., ECCV 2020)"),
          linear(
              "rfs",
              "Repeat factor sampling",
              "solver.sampler=REPEAT_FACTOR",
              "softmax baseline trained with repeat factor sampling (Gupta et al., CVPR 2019),"
                  + " threshold 0.05: categories in fewer than 5% of the training images are"
                  + " repeated",
              "solver.repeatThreshold=0.05"));

  /** The default of {@code --methods}: the comparison of De-confound-TDE's Table 4. */
  static final String DEFAULT = "softmax,causal-norm";

  /** Copies the lists. */
  DemoMethod {
    overrides = List.copyOf(overrides);
    modes = List.copyOf(modes);
  }

  private static DemoMethod loss(String name, String label, String description) {
    return linear(name, label, "model.roiHeads.loss={kind: " + name + "}", description);
  }

  private static DemoMethod linear(
      String name, String label, String override, String description, String... more) {
    List<String> overrides = new ArrayList<>();
    overrides.add(override);
    overrides.addAll(List.of(more));
    return new DemoMethod(name, name, label, SOFTMAX_YAML, overrides, PLAIN, description);
  }

  /** Whether the method is evaluated with TDE (the causal-norm classifier). */
  boolean causal() {
    return modes.size() > 1;
  }

  /** The results.json key of one of the method's variants. */
  String variantKey(InferenceMode mode) {
    return switch (mode) {
      case PLAIN -> key;
      case TDE -> key + "-tde";
      case BACKGROUND_EXEMPT -> key + "-tde-bg-exempt";
    };
  }

  /** The table label of one of the method's variants. */
  String variantLabel(InferenceMode mode) {
    return switch (mode) {
      case PLAIN -> causal() ? label + " (no TDE)" : label;
      case TDE -> label + " + TDE";
      case BACKGROUND_EXEMPT -> label + " + TDE + bg-exempt";
    };
  }

  /** The results.json keys of the methods' variants, in table order. */
  static List<String> variantKeys(List<DemoMethod> methods) {
    List<String> keys = new ArrayList<>();
    for (DemoMethod m : methods) {
      for (InferenceMode mode : m.modes()) {
        keys.add(m.variantKey(mode));
      }
    }
    return keys;
  }

  /**
   * Parses {@code --methods}: comma-separated names, or {@code all}.
   *
   * @param list e.g. {@code softmax,causal-norm,seesaw}
   * @return the methods in the given order
   * @throws IllegalArgumentException naming an unknown or repeated method and the known ones
   */
  static List<DemoMethod> parse(String list) {
    if (list == null || list.isBlank()) {
      throw new IllegalArgumentException("--methods is empty; known methods: " + names());
    }
    if (list.strip().equalsIgnoreCase("all")) {
      return ALL;
    }
    Set<String> seen = new LinkedHashSet<>();
    List<DemoMethod> out = new ArrayList<>();
    for (String raw : list.split(",")) {
      String name = raw.strip().toLowerCase(Locale.ROOT);
      DemoMethod method =
          ALL.stream()
              .filter(m -> m.name().equals(name))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "--methods: unknown method '"
                              + raw.strip()
                              + "'; known methods: "
                              + names()
                              + " (or all)"));
      if (!seen.add(name)) {
        throw new IllegalArgumentException("--methods: " + name + " is listed twice");
      }
      out.add(method);
    }
    return List.copyOf(out);
  }

  /** The known method names, comma-separated. */
  static String names() {
    return ALL.stream().map(DemoMethod::name).collect(Collectors.joining(", "));
  }
}
