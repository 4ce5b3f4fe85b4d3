/**
 * Pure-Java mask geometry of Mask R-CNN: training targets (an instance's polygons or run-length
 * mask cropped to an ROI and resampled to {@code M x M}, {@link
 * io.longtail.segmentation.masks.MaskTargets}) and test-time paste (an {@code M x M} probability
 * map resized into its box in the image and thresholded, {@link
 * io.longtail.segmentation.masks.MaskPaste}), with results as COCO run-length masks ({@link
 * io.longtail.datasets.mask.Rle}).
 *
 * <p>Coordinates follow COCO/detectron2: pixel {@code i} covers {@code [i, i + 1)}, boxes are
 * {@code (x1, y1, x2, y2)} in continuous pixel coordinates, bitmaps are row-major {@code M x M}
 * arrays (index {@code y * M + x}).
 */
package io.longtail.segmentation.masks;
