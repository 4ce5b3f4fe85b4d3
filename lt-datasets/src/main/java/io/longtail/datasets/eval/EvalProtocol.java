package io.longtail.datasets.eval;

/**
 * Which detections take part: the limits applied to the results before evaluation.
 *
 * <ul>
 *   <li>{@link #STANDARD}: the official LVIS protocol, the 300 highest-scoring detections of each
 *       image (lvis-api {@code LVISResults(max_dets=300)}).
 *   <li>{@link #AP_FIXED}: AP-fixed of Dave et al. 2021, "Evaluating Large-Vocabulary Object
 *       Detectors: The Devil is in the Details": no per-image limit, the 10,000 highest-scoring
 *       detections of each category over the whole dataset ({@code scripts/evaluate_ap_fixed.py} of
 *       achalddave/large-vocab-devil).
 * </ul>
 *
 * <p>Ties at a limit keep the detections that come first in the results file (a stable sort by
 * descending score, as lvis-api and the AP-fixed script do).
 *
 * @param name a label for reports: {@code "standard"}, {@code "ap-fixed"} or a custom one
 * @param maxDetsPerImage detections kept per image, or -1 for no limit
 * @param maxDetsPerCategory detections kept per category over the dataset, or -1 for no limit
 */
public record EvalProtocol(String name, int maxDetsPerImage, int maxDetsPerCategory) {

  /** The official LVIS protocol: top 300 detections per image. */
  public static final EvalProtocol STANDARD = new EvalProtocol("standard", 300, -1);

  /** AP-fixed (Dave et al. 2021): no per-image limit, top 10,000 detections per category. */
  public static final EvalProtocol AP_FIXED = new EvalProtocol("ap-fixed", -1, 10_000);

  /** Validates the limits. */
  public EvalProtocol {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank, got " + name);
    }
    if (maxDetsPerImage == 0 || maxDetsPerImage < -1) {
      throw new IllegalArgumentException(
          "maxDetsPerImage must be positive or -1 (no limit), got " + maxDetsPerImage);
    }
    if (maxDetsPerCategory == 0 || maxDetsPerCategory < -1) {
      throw new IllegalArgumentException(
          "maxDetsPerCategory must be positive or -1 (no limit), got " + maxDetsPerCategory);
    }
  }
}
