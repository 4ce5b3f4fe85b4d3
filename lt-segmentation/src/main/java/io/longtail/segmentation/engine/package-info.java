/**
 * Mask R-CNN engine: the training loop ({@link io.longtail.segmentation.engine.MaskRcnnTraining}),
 * a model loaded from a checkpoint for inference over images and datasets ({@link
 * io.longtail.segmentation.engine.TrainedMaskRcnn}), and bbox + segm evaluation with the LVIS
 * evaluator ({@link io.longtail.segmentation.engine.MaskRcnnEvaluation}).
 */
package io.longtail.segmentation.engine;
