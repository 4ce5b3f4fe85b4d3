/**
 * LVIS/COCO annotations, polygon and RLE masks, images (OpenCV), samplers and transforms, the LVIS
 * evaluator and the LT-Shapes synthetic long-tailed dataset generator. Depends on {@code lt-core}
 * only; never builds a network.
 */
package io.longtail.datasets;
