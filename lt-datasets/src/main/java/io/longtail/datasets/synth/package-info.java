/**
 * LT-Shapes: a generated, long-tailed dataset in LVIS v1 format (coloured, textured shapes drawn
 * with OpenCV on cluttered backgrounds, exact polygon masks, federated negative and not-exhaustive
 * labels), with its long-tail plot and annotated sample grid.
 */
package io.longtail.datasets.synth;
