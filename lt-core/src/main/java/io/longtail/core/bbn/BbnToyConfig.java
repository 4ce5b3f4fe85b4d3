package io.longtail.core.bbn;

/**
 * Settings of the BBN toy experiment: generated long-tailed Gaussian clusters, a small MLP trunk
 * with two one-layer branches.
 *
 * @param numClasses classes {@code K >= 2}
 * @param inputDim dimension of the inputs
 * @param hiddenDim width of the trunk
 * @param featureDim width of each branch's features
 * @param maxPerClass training examples of the most frequent class
 * @param imbalance most / least frequent class; class {@code i} gets {@code maxPerClass *
 *     imbalance^(-i/(K-1))} examples (the CIFAR-LT profile)
 * @param testPerClass examples per class of the balanced test set
 * @param noise standard deviation of each cluster around its centre (centres have spread 1)
 * @param epochs training epochs {@code T_max}
 * @param batchSize examples per batch (of each sampler)
 * @param learningRate SGD learning rate (momentum 0.9, weight decay 2e-4 as the official code)
 * @param seed seed of the data, the samplers and the initial weights
 */
public record BbnToyConfig(
    int numClasses,
    int inputDim,
    int hiddenDim,
    int featureDim,
    int maxPerClass,
    double imbalance,
    int testPerClass,
    double noise,
    int epochs,
    int batchSize,
    float learningRate,
    long seed) {

  /** Validates every setting, naming the first bad one. */
  public BbnToyConfig {
    if (numClasses < 2) {
      throw new IllegalArgumentException("numClasses must be >= 2, got " + numClasses);
    }
    positive("inputDim", inputDim);
    positive("hiddenDim", hiddenDim);
    positive("featureDim", featureDim);
    positive("maxPerClass", maxPerClass);
    if (!(imbalance >= 1)) {
      throw new IllegalArgumentException("imbalance must be >= 1, got " + imbalance);
    }
    positive("testPerClass", testPerClass);
    if (!(noise > 0) || Double.isInfinite(noise)) {
      throw new IllegalArgumentException("noise must be positive and finite, got " + noise);
    }
    positive("epochs", epochs);
    positive("batchSize", batchSize);
    if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learningRate must be positive, got " + learningRate);
    }
  }

  /** 20 classes, imbalance 100 (500 down to 5 examples), 30 epochs. */
  public static BbnToyConfig defaults() {
    return new BbnToyConfig(20, 16, 64, 32, 500, 100, 100, 0.9, 30, 64, 0.05f, 42);
  }

  /** Training examples of class {@code i}, at least 1. */
  public int trainCount(int classIndex) {
    double n = maxPerClass * Math.pow(imbalance, -(double) classIndex / (numClasses - 1));
    return Math.max(1, (int) Math.round(n));
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }
}
