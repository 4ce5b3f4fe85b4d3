/**
 * The library API for projects that use a trained long-tail Mask R-CNN without touching its
 * internals.
 *
 * <ul>
 *   <li>{@link io.longtail.segmentation.api.InstanceSegmenter}: load a run directory or checkpoint,
 *       {@code predict(image)} for a file, a {@code BufferedImage} or an OpenCV {@code Mat}, with
 *       {@link io.longtail.segmentation.api.PredictOptions} (TDE mode and alpha, score threshold,
 *       max instances); results are {@link io.longtail.segmentation.api.SegmentedInstance}s
 *       (category id and name, score, box, mask as RLE or bitmap).
 *   <li>DJL: a run directory is a DJL model directory ({@code serving.properties} names {@link
 *       io.longtail.segmentation.api.MaskRcnnBlockFactory} and {@link
 *       io.longtail.segmentation.api.MaskRcnnTranslatorFactory}), so {@code Criteria}/{@code
 *       Predictor} code loads it for {@code Image -> DetectedObjects} or {@code Image ->
 *       SegmentedImage} ({@link io.longtail.segmentation.api.DjlModelFiles}).
 *   <li>{@link io.longtail.segmentation.api.InstanceDrawing}: translucent masks, boxes and labels
 *       on an image.
 * </ul>
 *
 * Reusable pieces for projects that build their own model: {@link
 * io.longtail.segmentation.heads.CausalBoxHead} (causal-norm ROI box head, background-exempted
 * inference), {@link io.longtail.segmentation.masks.MaskTargets}, {@link
 * io.longtail.segmentation.masks.MaskPaste}, and {@link io.longtail.datasets.mask.Rle} with {@link
 * io.longtail.datasets.mask.Masks} for run-length masks.
 */
package io.longtail.segmentation.api;
