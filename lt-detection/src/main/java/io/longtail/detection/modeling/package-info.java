/**
 * Reusable detection algorithms, one per file, on plain Java arrays: box coder, IoU matcher,
 * balanced fg/bg sampler, anchor generator, FPN level assignment of ROIs and batched NMS. They
 * compute training targets and post-process outputs; nothing here owns parameters.
 */
package io.longtail.detection.modeling;
