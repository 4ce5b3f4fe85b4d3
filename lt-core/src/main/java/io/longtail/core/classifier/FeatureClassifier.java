package io.longtail.core.classifier;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;

/**
 * A classifier block mapping features {@code (N, D)} to logits {@code (N, C)}.
 *
 * <p>In training, call {@link Block#forward(ai.djl.training.ParameterStore, ai.djl.ndarray.NDList,
 * ai.djl.ndarray.NDList, ai.djl.util.PairList)} with the class indices as labels (DJL's {@code
 * EasyTrain} does): classifiers that keep statistics, such as the causal-norm moving feature, read
 * them there. At test time {@link #scores} gives probabilities in the requested {@link
 * InferenceMode}.
 */
public interface FeatureClassifier extends Block {

  /** Number of output classes {@code C} (including background when there is one). */
  int numClasses();

  /** Feature dimension {@code D}. */
  int featureDim();

  /**
   * Logits from the current parameters, outside any training step.
   *
   * @param features {@code (N, D)}
   * @return {@code (N, C)}, attached to the features' manager
   */
  NDArray logits(NDArray features);

  /**
   * Class probabilities at test time.
   *
   * @param features {@code (N, D)}
   * @param mode plain, TDE or background-exempted; modes other than {@link InferenceMode#PLAIN}
   *     need a causal-norm classifier
   * @param alpha TDE strength, ignored by {@link InferenceMode#PLAIN}
   * @return {@code (N, C)}, rows summing to 1
   * @throws IllegalArgumentException if this classifier does not support the mode
   */
  default NDArray scores(NDArray features, InferenceMode mode, float alpha) {
    if (mode != InferenceMode.PLAIN) {
      throw new IllegalArgumentException(
          "inference mode " + mode + " needs a causal-norm classifier, not " + describe());
    }
    try (NDArray logits = logits(features)) {
      return logits.softmax(1);
    }
  }

  /** A short description, e.g. {@code linear(C=11, D=1024)}, for messages and logs. */
  String describe();
}
