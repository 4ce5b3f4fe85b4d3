/**
 * Mask R-CNN on top of the causal-norm detector ({@code io.longtail.detection}), and the library
 * API that segmentation projects import.
 *
 * <ul>
 *   <li>{@link io.longtail.segmentation.api}: load a trained model and segment images, also through
 *       DJL's {@code Criteria}/{@code Predictor};
 *   <li>{@link io.longtail.segmentation.masks}: mask targets, mask paste (pure Java);
 *   <li>{@link io.longtail.segmentation.heads}: the mask head block and its loss, and the
 *       causal-norm box head facade;
 *   <li>{@link io.longtail.segmentation.model}: the Mask R-CNN model;
 *   <li>{@link io.longtail.segmentation.engine}: training, inference over datasets, evaluation;
 *   <li>{@link io.longtail.segmentation.config}: the YAML config (detector config plus {@code
 *       mask:}).
 * </ul>
 */
package io.longtail.segmentation;
