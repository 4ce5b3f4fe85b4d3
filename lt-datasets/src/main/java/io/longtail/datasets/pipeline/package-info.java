/**
 * The detection training pipeline on DJL: a {@link ai.djl.training.dataset.RandomAccessDataset}
 * over any LVIS/COCO-format dataset (OpenCV decoding, resize, flip applied consistently to image,
 * boxes, polygons and masks, normalisation), typed ground truth, padded batches and a
 * multi-threaded prefetching loader.
 */
package io.longtail.datasets.pipeline;
