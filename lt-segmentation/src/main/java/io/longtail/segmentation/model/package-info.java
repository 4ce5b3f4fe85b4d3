/**
 * The Mask R-CNN model: {@link io.longtail.segmentation.model.MaskRcnn}, a DJL block that owns the
 * causal-norm Faster R-CNN ({@code io.longtail.detection.model.FasterRcnn}) and a mask head, its
 * losses, and its per-image outputs.
 */
package io.longtail.segmentation.model;
