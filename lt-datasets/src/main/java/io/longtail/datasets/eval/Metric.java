package io.longtail.datasets.eval;

import io.longtail.datasets.lvis.Frequency;

/**
 * The summary metrics of lvis-api ({@code LVISEval.summarize}), in its order. Each averages the
 * valid entries (categories with ground truth in the area range) of the precision table (AP
 * metrics: over IoU thresholds, 101 recall points and categories) or of the recall table (AR
 * metrics: over IoU thresholds and categories); -1 when there is none.
 */
public enum Metric {
  /** AP over IoU 0.50:0.95, all areas, all categories. */
  AP("AP", true, null, AreaRange.ALL, null),
  /** AP at IoU 0.50. */
  AP50("AP50", true, 0.50, AreaRange.ALL, null),
  /** AP at IoU 0.75. */
  AP75("AP75", true, 0.75, AreaRange.ALL, null),
  /** AP of small objects (area up to 32^2). */
  APS("APs", true, null, AreaRange.SMALL, null),
  /** AP of medium objects. */
  APM("APm", true, null, AreaRange.MEDIUM, null),
  /** AP of large objects (area from 96^2). */
  APL("APl", true, null, AreaRange.LARGE, null),
  /** AP of rare categories. */
  APR("APr", true, null, AreaRange.ALL, Frequency.RARE),
  /** AP of common categories. */
  APC("APc", true, null, AreaRange.ALL, Frequency.COMMON),
  /** AP of frequent categories. */
  APF("APf", true, null, AreaRange.ALL, Frequency.FREQUENT),
  /** Average recall over IoU 0.50:0.95 (lvis-api {@code AR@300}). */
  AR("AR", false, null, AreaRange.ALL, null),
  /** Average recall of small objects ({@code ARs@300}). */
  ARS("ARs", false, null, AreaRange.SMALL, null),
  /** Average recall of medium objects ({@code ARm@300}). */
  ARM("ARm", false, null, AreaRange.MEDIUM, null),
  /** Average recall of large objects ({@code ARl@300}). */
  ARL("ARl", false, null, AreaRange.LARGE, null);

  private final String baseKey;
  private final boolean precision;
  private final Double iouThreshold;
  private final AreaRange areaRange;
  private final Frequency frequency;

  Metric(
      String baseKey,
      boolean precision,
      Double iouThreshold,
      AreaRange areaRange,
      Frequency frequency) {
    this.baseKey = baseKey;
    this.precision = precision;
    this.iouThreshold = iouThreshold;
    this.areaRange = areaRange;
    this.frequency = frequency;
  }

  /**
   * The key of lvis-api's results dict: {@code AP}, {@code APr}, ... for precision metrics, {@code
   * AR@<maxDets>} etc. for recall metrics.
   *
   * @param maxDets the per-image detection limit lvis-api was run with (300; -1 when there is none,
   *     as in the AP-fixed protocol)
   */
  public String key(int maxDets) {
    return precision ? baseKey : baseKey + "@" + maxDets;
  }

  /** Whether this is an AP metric (else AR). */
  public boolean isPrecision() {
    return precision;
  }

  /** The single IoU threshold averaged over, or {@code null} for all of 0.50:0.95. */
  public Double iouThreshold() {
    return iouThreshold;
  }

  /** The area range. */
  public AreaRange areaRange() {
    return areaRange;
  }

  /** The frequency group of categories averaged over, or {@code null} for all categories. */
  public Frequency frequency() {
    return frequency;
  }
}
