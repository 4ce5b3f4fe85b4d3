package io.longtail.detection.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.util.Pair;
import io.longtail.core.classifier.FeatureClassifier;
import io.longtail.core.classifier.LinearClassifier;
import io.longtail.core.classifier.LwsClassifier;
import io.longtail.core.classifier.TauNormClassifier;
import io.longtail.detection.model.FasterRcnn;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Copies a trained detector's parameters into the second stage's detector, whose architecture is
 * the same except for the box classifier: every parameter outside the classifier by its path name,
 * and for LWS and tau-norm the trained linear classifier's weight and bias into the wrapper's base.
 */
final class ParameterTransfer {

  private ParameterTransfer() {}

  /**
   * Copies the values.
   *
   * @param from the trained detector (initialised and loaded)
   * @param to the second stage's detector (initialised)
   * @param copyClassifier whether the classifier's weights are kept (LWS, tau-norm) or left as
   *     initialised (cRT)
   * @throws IllegalStateException when a parameter of {@code to} has no counterpart
   */
  static void copy(FasterRcnn from, FasterRcnn to, boolean copyClassifier) {
    FeatureClassifier target = to.boxHead().classifier();
    Set<Parameter> targetClassifier = Collections.newSetFromMap(new IdentityHashMap<>());
    targetClassifier.addAll(target.getParameters().values());
    ParameterList source = from.getParameters();
    for (Pair<String, Parameter> p : to.getParameters()) {
      if (targetClassifier.contains(p.getValue())) {
        continue;
      }
      Parameter s = source.get(p.getKey());
      if (s == null) {
        throw new IllegalStateException(
            "parameter " + p.getKey() + " of the second-stage model is not in the checkpoint");
      }
      copyValues(p.getKey(), s, p.getValue());
    }
    if (!copyClassifier) {
      return;
    }
    if (!(from.boxHead().classifier() instanceof LinearClassifier linear)) {
      throw new IllegalStateException(
          "LWS and tau-norm need a trained linear classifier, got "
              + from.boxHead().classifier().describe());
    }
    LinearClassifier base;
    if (target instanceof LwsClassifier lws) {
      base = lws.base();
    } else if (target instanceof TauNormClassifier tau) {
      base = tau.base();
    } else {
      throw new IllegalStateException("no linear base in " + target.describe());
    }
    for (String name : new String[] {"weight", "bias"}) {
      copyValues(
          "classifier " + name, linear.getParameters().get(name), base.getParameters().get(name));
    }
  }

  private static void copyValues(String name, Parameter from, Parameter to) {
    NDArray a = from.getArray();
    NDArray b = to.getArray();
    if (!a.getShape().equals(b.getShape()) || a.getDataType() != b.getDataType()) {
      throw new IllegalStateException(
          "parameter "
              + name
              + " is "
              + a.getDataType()
              + a.getShape()
              + " in the checkpoint but "
              + b.getDataType()
              + b.getShape()
              + " in the second-stage model");
    }
    a.copyTo(b);
  }
}
