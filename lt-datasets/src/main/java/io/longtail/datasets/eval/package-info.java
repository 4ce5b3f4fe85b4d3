/**
 * LVIS evaluation equal to the official lvis-api {@code LVISEval} (box and mask AP, APr/APc/APf,
 * AR@300, per-category AP), computed category by category in parallel with memory proportional to
 * the detections, plus the AP-fixed protocol of Dave et al. 2021. Entry point: {@link
 * io.longtail.datasets.eval.LvisEvaluator}.
 */
package io.longtail.datasets.eval;
