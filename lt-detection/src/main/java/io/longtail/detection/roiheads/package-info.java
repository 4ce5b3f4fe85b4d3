/**
 * ROI heads: multi-level ROIAlign, proposal labelling and sampling, the box head block whose
 * training forward hands the sampled ROIs' labels to its classifier (so that a causal-norm
 * classifier updates its moving feature from foreground ROIs only), and the pure functions of its
 * losses and of inference (plain, TDE or background-exempted scores, class-aware NMS, top-k).
 *
 * <p>Labels follow the code base's convention: foreground {@code 0..K-1}, background {@code K}.
 */
package io.longtail.detection.roiheads;
