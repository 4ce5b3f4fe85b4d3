/**
 * ROI heads for instance segmentation: the Mask R-CNN mask head ({@link
 * io.longtail.segmentation.heads.MaskHead}, a DJL block) with its loss ({@link
 * io.longtail.segmentation.heads.MaskLoss}, a pure function), and {@link
 * io.longtail.segmentation.heads.CausalBoxHead}, the documented entry to the causal-norm ROI box
 * head and its background-exempted inference for projects that assemble their own model.
 *
 * <p>Label convention (the whole toolkit): foreground classes are {@code 0 .. K-1}, background is
 * {@code K} (last), ignore is {@code -1}.
 */
package io.longtail.segmentation.heads;
