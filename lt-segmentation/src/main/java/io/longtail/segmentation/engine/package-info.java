/**
 * Mask R-CNN engine: training with the detector's loop ({@link
 * io.longtail.segmentation.engine.MaskRcnnTraining}, its model factory), a model loaded from a
 * checkpoint for inference over images and datasets ({@link
 * io.longtail.segmentation.engine.TrainedMaskRcnn}), and bbox + segm evaluation with the LVIS
 * evaluator ({@link io.longtail.segmentation.engine.MaskRcnnEvaluation}).
 */
package io.longtail.segmentation.engine;
