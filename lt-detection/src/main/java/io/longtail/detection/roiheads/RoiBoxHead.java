package io.longtail.detection.roiheads;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import io.longtail.core.classifier.CausalNormClassifier;
import io.longtail.core.classifier.CosineClassifier;
import io.longtail.core.classifier.FeatureClassifier;
import io.longtail.core.classifier.LinearClassifier;
import io.longtail.detection.config.BoxHeadKind;
import io.longtail.detection.config.ClassifierConfig;
import io.longtail.detection.config.RoiHeadsConfig;

/**
 * The ROI box head: a feature extractor ({@code Shared2FC} or {@code Shared4Conv1FC}), a classifier
 * over {@code K + 1} classes (background last) and a box regressor (class-agnostic or per
 * foreground class).
 *
 * <p>Input: pooled ROI features {@code (R, C, S, S)}. Output: {@code logits (R, K + 1)}, {@code
 * deltas (R, 4)} or {@code (R, 4K)}, and the box features {@code (R, D)} for test-time scoring. The
 * training forward {@code forward(ps, data, labels, params)} takes the sampled ROIs' labels {@code
 * (R)} and hands them to the classifier: a causal-norm classifier updates its moving feature from
 * the foreground ROIs.
 */
public final class RoiBoxHead extends AbstractBlock {

  private final int numForeground;
  private final boolean classAgnostic;
  private final SequentialBlock extractor;
  private final FeatureClassifier classifier;
  private final Linear regressor;

  /**
   * Builds the head.
   *
   * @param config ROI head settings
   * @param numForeground number of foreground classes {@code K}
   */
  public RoiBoxHead(RoiHeadsConfig config, int numForeground) {
    if (numForeground < 1) {
      throw new IllegalArgumentException("numForeground must be >= 1, got " + numForeground);
    }
    this.numForeground = numForeground;
    this.classAgnostic = config.classAgnosticBoxRegression();
    SequentialBlock features = new SequentialBlock();
    if (config.head() == BoxHeadKind.SHARED_4CONV_1FC) {
      for (int i = 0; i < 4; i++) {
        features
            .add(
                Conv2d.builder()
                    .setKernelShape(new Shape(3, 3))
                    .setFilters(config.convDim())
                    .optPadding(new Shape(1, 1))
                    .build())
            .add(Activation::relu);
      }
      features.add(Blocks.batchFlattenBlock());
      features.add(Linear.builder().setUnits(config.fcDim()).build()).add(Activation::relu);
    } else {
      features.add(Blocks.batchFlattenBlock());
      for (int i = 0; i < 2; i++) {
        features.add(Linear.builder().setUnits(config.fcDim()).build()).add(Activation::relu);
      }
    }
    extractor = addChildBlock("extractor", features);
    classifier = addChildBlock("classifier", newClassifier(config, numForeground));
    regressor =
        addChildBlock(
            "regressor", Linear.builder().setUnits(classAgnostic ? 4 : 4L * numForeground).build());
    // detectron2: box deltas start near zero (std 0.001).
    regressor.setInitializer(new NormalInitializer(0.001f), Parameter.Type.WEIGHT);
  }

  private static FeatureClassifier newClassifier(RoiHeadsConfig config, int numForeground) {
    ClassifierConfig c = config.classifier();
    int classes = numForeground + 1;
    switch (c.kind()) {
      case LINEAR:
        return new LinearClassifier(classes, config.fcDim());
      case COSINE:
        return new CosineClassifier(classes, config.fcDim(), c.tau());
      case CAUSAL_NORM:
        return CausalNormClassifier.builder()
            .setNumClasses(classes)
            .setFeatureDim(config.fcDim())
            .optNumHeads(c.numHeads())
            .optTau(c.tau())
            .optGamma(c.gamma())
            .optMu(c.mu())
            .optAlpha(c.alpha())
            .optBackgroundIndex(numForeground)
            .build();
      default:
        throw new IllegalArgumentException("unknown classifier kind " + c.kind());
    }
  }

  /** The classifier over {@code K + 1} classes. */
  public FeatureClassifier classifier() {
    return classifier;
  }

  /** Number of foreground classes {@code K}. */
  public int numForeground() {
    return numForeground;
  }

  /** Whether one box is regressed per ROI instead of one per class. */
  public boolean classAgnostic() {
    return classAgnostic;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray features = extractor.forward(ps, inputs, training).singletonOrThrow();
    NDList logits = classifier.forward(ps, new NDList(features), training, params);
    return output(ps, features, logits, training);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList data, NDList labels, PairList<String, Object> params) {
    NDArray features = extractor.forward(ps, data, true).singletonOrThrow();
    NDList logits = classifier.forward(ps, new NDList(features), labels, params);
    return output(ps, features, logits, true);
  }

  private NDList output(ParameterStore ps, NDArray features, NDList logits, boolean training) {
    NDArray deltas = regressor.forward(ps, new NDList(features), training).singletonOrThrow();
    return new NDList(logits.singletonOrThrow(), deltas, features);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    extractor.initialize(manager, dataType, inputShapes);
    Shape features = extractor.getOutputShapes(inputShapes)[0];
    classifier.initialize(manager, dataType, features);
    regressor.initialize(manager, dataType, features);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    long r = inputShapes[0].get(0);
    Shape features = extractor.getOutputShapes(inputShapes)[0];
    return new Shape[] {
      new Shape(r, numForeground + 1),
      new Shape(r, classAgnostic ? 4 : 4L * numForeground),
      features
    };
  }
}
