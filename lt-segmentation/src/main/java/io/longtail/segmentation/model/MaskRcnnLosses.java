package io.longtail.segmentation.model;

import ai.djl.ndarray.NDArray;
import io.longtail.detection.engine.TrainableModel;
import io.longtail.detection.model.DetectorLosses;
import io.longtail.detection.train.LossTerms;
import java.util.ArrayList;
import java.util.List;

/**
 * The five loss terms of Mask R-CNN, scalar NDArrays attached to the batch's manager.
 *
 * @param detector the four Faster R-CNN terms
 * @param mask the mask head's binary cross-entropy (already weighted by {@code mask.lossWeight})
 */
public record MaskRcnnLosses(DetectorLosses detector, NDArray mask)
    implements TrainableModel.StepLosses {

  /** Sum of the terms (the quantity differentiated). */
  @Override
  public NDArray total() {
    return detector.total().add(mask);
  }

  /** The terms under their log names: the detector's, then {@code loss_mask}. */
  @Override
  public LossTerms values() {
    List<LossTerms.Term> terms = new ArrayList<>(detector.values().terms());
    terms.add(new LossTerms.Term("loss_mask", mask.getFloat()));
    return new LossTerms(terms);
  }
}
