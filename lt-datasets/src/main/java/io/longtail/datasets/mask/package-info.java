/**
 * Binary instance masks in the COCO run-length encoding: the immutable {@link
 * io.longtail.datasets.mask.Rle} value, its compressed string form, polygon and box rasterisation,
 * union/intersection, area, bounding box, bitmap and OpenCV conversions, and mask/box IoU with the
 * COCO crowd rule. Every result reproduces pycocotools ({@code common/maskApi.c}) bit for bit, so
 * that LVIS/COCO evaluation numbers equal the official APIs.
 */
package io.longtail.datasets.mask;
