package io.longtail.detection.model;

import ai.djl.ndarray.NDArray;
import io.longtail.detection.train.LossTerms;

/**
 * The four loss terms of Faster R-CNN, scalar NDArrays attached to the batch's manager.
 *
 * @param rpnObjectness RPN sigmoid cross-entropy
 * @param rpnBox RPN L1 box loss
 * @param classification ROI head cross-entropy
 * @param box ROI head L1 box loss
 */
public record DetectorLosses(
    NDArray rpnObjectness, NDArray rpnBox, NDArray classification, NDArray box)
    implements io.longtail.detection.engine.TrainableModel.StepLosses {

  /** Sum of the terms (the quantity differentiated). */
  @Override
  public NDArray total() {
    return rpnObjectness.add(rpnBox).add(classification).add(box);
  }

  /** The terms' values under their log names, in a fixed order (detectron2's names). */
  @Override
  public LossTerms values() {
    return LossTerms.of(
        "loss_rpn_cls", (double) rpnObjectness.getFloat(),
        "loss_rpn_box", (double) rpnBox.getFloat(),
        "loss_cls", (double) classification.getFloat(),
        "loss_box", (double) box.getFloat());
  }
}
