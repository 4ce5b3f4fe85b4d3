package io.longtail.datasets.eval;

import io.longtail.datasets.lvis.Frequency;

/**
 * The evaluation of one category that has ground truth (area range "all").
 *
 * @param categoryId dataset category id
 * @param frequency its LVIS frequency group
 * @param groundTruthCount ground-truth instances (with area above 0)
 * @param detectionCount detections that took part (after the limits and the federated filter)
 * @param ap mean precision over the 10 IoU thresholds and 101 recall points: the per-category AP of
 *     lvis-api ({@code precision[:, :, k, 0].mean()})
 * @param ar mean over the IoU thresholds of the recall reached with all its detections
 */
public record CategoryResult(
    int categoryId,
    Frequency frequency,
    int groundTruthCount,
    int detectionCount,
    double ap,
    double ar) {}
