package io.longtail.detection.model;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The four loss terms of Faster R-CNN, scalar NDArrays attached to the batch's manager.
 *
 * @param rpnObjectness RPN sigmoid cross-entropy
 * @param rpnBox RPN L1 box loss
 * @param classification ROI head cross-entropy
 * @param box ROI head L1 box loss
 */
public record DetectorLosses(
    NDArray rpnObjectness, NDArray rpnBox, NDArray classification, NDArray box) {

  /** Sum of the terms (the quantity differentiated). */
  public NDArray total() {
    return rpnObjectness.add(rpnBox).add(classification).add(box);
  }

  /** The terms' values by their log names, in a fixed order. */
  public Map<String, Float> values() {
    Map<String, Float> out = new LinkedHashMap<>();
    out.put("loss_rpn_cls", rpnObjectness.getFloat());
    out.put("loss_rpn_box", rpnBox.getFloat());
    out.put("loss_cls", classification.getFloat());
    out.put("loss_box", box.getFloat());
    return out;
  }
}
