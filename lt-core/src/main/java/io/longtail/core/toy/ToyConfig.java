package io.longtail.core.toy;

/**
 * Settings of the long-tailed toy experiment.
 *
 * @param numClasses classes {@code K >= 2}
 * @param inputDim dimension of the generated inputs
 * @param hiddenDim width of the hidden layer
 * @param featureDim dimension of the features fed to the classifier (divisible by numHeads)
 * @param numHeads causal-norm heads
 * @param maxPerClass training examples of the most frequent class
 * @param imbalance ratio of most to least frequent class; class {@code i} gets {@code maxPerClass *
 *     imbalance^(-i/(K-1))} examples (the CIFAR-LT exponential profile)
 * @param testPerClass examples per class in the balanced test set
 * @param noise standard deviation of the Gaussian noise around each class centre
 * @param epochs training epochs
 * @param batchSize mini-batch size
 * @param learningRate SGD learning rate (momentum 0.9: the momentum that TDE's causal story is
 *     about)
 * @param mu moving-average decay of the causal-norm feature
 * @param seed seed for data, sampling order and initial weights
 */
public record ToyConfig(
    int numClasses,
    int inputDim,
    int hiddenDim,
    int featureDim,
    int numHeads,
    int maxPerClass,
    double imbalance,
    int testPerClass,
    double noise,
    int epochs,
    int batchSize,
    float learningRate,
    float mu,
    long seed) {

  /** Validates every setting, naming the first bad one. */
  public ToyConfig {
    positive("numClasses", numClasses - 1);
    positive("inputDim", inputDim);
    positive("hiddenDim", hiddenDim);
    positive("featureDim", featureDim);
    positive("numHeads", numHeads);
    if (featureDim % numHeads != 0) {
      throw new IllegalArgumentException(
          "featureDim must be divisible by numHeads=" + numHeads + ", got " + featureDim);
    }
    positive("maxPerClass", maxPerClass);
    if (!(imbalance >= 1)) {
      throw new IllegalArgumentException("imbalance must be >= 1, got " + imbalance);
    }
    positive("testPerClass", testPerClass);
    if (!(noise > 0)) {
      throw new IllegalArgumentException("noise must be positive, got " + noise);
    }
    positive("epochs", epochs);
    positive("batchSize", batchSize);
    if (!(learningRate > 0)) {
      throw new IllegalArgumentException("learningRate must be positive, got " + learningRate);
    }
    if (!(mu >= 0 && mu <= 1)) {
      throw new IllegalArgumentException("mu must be in [0, 1], got " + mu);
    }
  }

  /** The defaults used by {@code ./lt tde-toy}: 20 classes, imbalance 100, 40 epochs. */
  public static ToyConfig defaults() {
    return new ToyConfig(20, 16, 64, 32, 2, 500, 100, 100, 1.0, 40, 64, 0.05f, 0.9f, 42);
  }

  /** A copy with another seed. */
  public ToyConfig withSeed(long newSeed) {
    return new ToyConfig(
        numClasses,
        inputDim,
        hiddenDim,
        featureDim,
        numHeads,
        maxPerClass,
        imbalance,
        testPerClass,
        noise,
        epochs,
        batchSize,
        learningRate,
        mu,
        newSeed);
  }

  /** A copy with another number of epochs. */
  public ToyConfig withEpochs(int newEpochs) {
    return new ToyConfig(
        numClasses,
        inputDim,
        hiddenDim,
        featureDim,
        numHeads,
        maxPerClass,
        imbalance,
        testPerClass,
        noise,
        newEpochs,
        batchSize,
        learningRate,
        mu,
        seed);
  }

  /** Training examples of class {@code i}: {@code maxPerClass * imbalance^(-i/(K-1))}, >= 1. */
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
