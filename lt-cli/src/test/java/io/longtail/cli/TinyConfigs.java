package io.longtail.cli;

/**
 * The tiny models the command tests train in a few seconds on a generated LT-Shapes set: data paths
 * relative to the config's folder ({@code ../data/...}).
 */
final class TinyConfigs {

  private TinyConfigs() {}

  /**
   * A tiny Faster R-CNN.
   *
   * @param classifier the box classifier kind, e.g. {@code LINEAR} or {@code CAUSAL_NORM}
   * @param imageSize the training and test image size
   * @param iterations training iterations (also the checkpoint period)
   * @return the YAML text
   */
  static String detector(String classifier, int imageSize, int iterations) {
    return String.join(
        "\n",
        "data:",
        "  trainAnnotations: ../data/lvis_v1_train.json",
        "  trainImages: ../data/images",
        "model:",
        "  backbone: {depth: 18, baseWidth: 8, norm: BN, freezeAt: 0, fpnChannels: 16}",
        "  rpn: {anchorSizes: [16, 32, 64, 128, 256], preNmsTopKTrain: 200,"
            + " postNmsTopKTrain: 100, preNmsTopKTest: 100, postNmsTopKTest: 50,"
            + " batchSizePerImage: 64}",
        "  roiHeads: {fcDim: 32, batchSizePerImage: 32, classifier: {kind: " + classifier + "}}",
        "input: {minSizeTrain: %d, minSizeTest: %d, maxSize: %d}"
            .formatted(imageSize, imageSize, imageSize),
        "solver: {imagesPerBatch: 2, baseLr: 0.01, warmupIters: 2, steps: [100], maxIter: %d,"
                .formatted(iterations)
            + " checkpointPeriod: %d, sampler: RANDOM, workers: 1, seed: 3}".formatted(iterations),
        "");
  }

  /** A tiny detector at 96 px trained for 2 iterations. */
  static String detector(String classifier) {
    return detector(classifier, 96, 2);
  }

  /**
   * A tiny causal-norm Mask R-CNN at 64 px trained for 3 iterations: the tiny detector with a
   * one-convolution mask head of 16 channels.
   */
  static String maskRcnn() {
    return detector("CAUSAL_NORM", 64, 3) + "mask: {convDim: 16, numConv: 1}\n";
  }
}
