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
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import io.longtail.core.classifier.CausalNormClassifier;
import io.longtail.core.classifier.CosineClassifier;
import io.longtail.core.classifier.FeatureClassifier;
import io.longtail.core.classifier.InferenceMode;
import io.longtail.core.classifier.LinearClassifier;
import io.longtail.core.classifier.LwsClassifier;
import io.longtail.core.classifier.TauNormClassifier;
import io.longtail.core.loss.HeadActivation;
import io.longtail.core.loss.SeesawLoss;
import io.longtail.detection.config.BoxHeadKind;
import io.longtail.detection.config.ClassificationLossConfig;
import io.longtail.detection.config.ClassifierConfig;
import io.longtail.detection.config.RoiHeadsConfig;

/**
 * The ROI box head: a feature extractor ({@code Shared2FC} or {@code Shared4Conv1FC}), a classifier
 * and a box regressor (class-agnostic or per foreground class), trained with the classification
 * loss of {@code roiHeads.loss}.
 *
 * <p>The loss decides the classifier's outputs ({@link #logitColumns()}): {@code K + 1} logits with
 * background last for softmax losses (the default cross-entropy, class-balanced, logit-adjusted,
 * Seesaw without objectness), {@code K + 2} for Seesaw with its objectness branch, {@code K} for
 * sigmoid losses (BCE, focal, EQL, distribution-balanced; their bias starts at the prior {@code
 * classifier.sigmoidPrior}). Whatever the head, {@link #scores} gives {@code (R, K + 1)} test-time
 * scores with background last.
 *
 * <p>Input: pooled ROI features {@code (R, C, S, S)}. Output: {@code logits (R, columns)}, {@code
 * deltas (R, 4)} or {@code (R, 4K)}, and the box features {@code (R, D)} for test-time scoring. The
 * training forward {@code forward(ps, data, labels, params)} takes the sampled ROIs' labels {@code
 * (R)} and hands them to the classifier: a causal-norm classifier updates its moving feature from
 * the foreground ROIs. {@link #losses} then computes the selected classification loss and the box
 * loss; Seesaw's accumulated class counts live in a parameter buffer of this block, saved with it.
 */
public final class RoiBoxHead extends AbstractBlock {

  private final int numForeground;
  private final int columns;
  private final boolean classAgnostic;
  private final ClassificationLossConfig lossConfig;
  private final SequentialBlock extractor;
  private final FeatureClassifier classifier;
  private final Linear regressor;
  private final SeesawCounts seesawCounts;
  private final BoxClassificationLoss classificationLoss;

  /**
   * Builds the head without class statistics: enough for inference and for the losses that need
   * none (softmax, BCE, focal, Seesaw); {@link #losses} of the others then fails, naming the
   * statistics.
   *
   * @param config ROI head settings
   * @param numForeground number of foreground classes {@code K}
   */
  public RoiBoxHead(RoiHeadsConfig config, int numForeground) {
    this(config, numForeground, null);
  }

  /**
   * Builds the head for training.
   *
   * @param config ROI head settings
   * @param numForeground number of foreground classes {@code K}
   * @param statistics class statistics of the training annotations ({@code K} classes), or {@code
   *     null} when unknown (inference)
   * @throws IllegalArgumentException when the statistics do not fit the loss or the classes
   */
  public RoiBoxHead(RoiHeadsConfig config, int numForeground, LabelStatistics statistics) {
    if (numForeground < 1) {
      throw new IllegalArgumentException("numForeground must be >= 1, got " + numForeground);
    }
    this.numForeground = numForeground;
    this.lossConfig = config.loss();
    this.columns = lossConfig.logitColumns(numForeground);
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
    classifier = addChildBlock("classifier", newClassifier(config, numForeground, columns));
    if (lossConfig.activation() == HeadActivation.SIGMOID) {
      // The EQL reference: every class starts at the prior probability, bias -log((1 - p) / p),
      // so that the K sigmoids do not begin with a loss of K * log 2 per ROI.
      double p = config.classifier().sigmoidPrior();
      classifier.setInitializer(
          new ConstantInitializer((float) -Math.log((1 - p) / p)), Parameter.Type.BIAS);
    }
    regressor =
        addChildBlock(
            "regressor", Linear.builder().setUnits(classAgnostic ? 4 : 4L * numForeground).build());
    // detectron2: box deltas start near zero (std 0.001).
    regressor.setInitializer(new NormalInitializer(0.001f), Parameter.Type.WEIGHT);
    if (lossConfig instanceof ClassificationLossConfig.Seesaw s) {
      // Last child: heads of the other losses keep the parameter layout they always had.
      seesawCounts =
          addChildBlock(
              "seesawCounts", new SeesawCounts(s.objectness() ? numForeground + 1 : columns + 1));
    } else {
      seesawCounts = null;
    }
    classificationLoss =
        lossConfig.needsStatistics() && statistics == null
            ? null
            : BoxClassificationLoss.create(
                lossConfig, numForeground, config.positiveFraction(), statistics, seesawCounts);
  }

  private static FeatureClassifier newClassifier(
      RoiHeadsConfig config, int numForeground, int classes) {
    ClassifierConfig c = config.classifier();
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
      case LWS:
        return new LwsClassifier(new LinearClassifier(classes, config.fcDim()));
      case TAU_NORM:
        return new TauNormClassifier(
            new LinearClassifier(classes, config.fcDim()), c.tauNormPower());
      default:
        throw new IllegalArgumentException("unknown classifier kind " + c.kind());
    }
  }

  /** The classifier, over {@link #logitColumns()} outputs. */
  public FeatureClassifier classifier() {
    return classifier;
  }

  /** The classification loss the head is trained with. */
  public ClassificationLossConfig lossConfig() {
    return lossConfig;
  }

  /** Seesaw's count buffer, or {@code null} for the other losses. */
  SeesawCounts seesawCounts() {
    return seesawCounts;
  }

  /** Softmax or per-class sigmoid scores (decided by the loss). */
  public HeadActivation activation() {
    return lossConfig.activation();
  }

  /**
   * Number of classifier outputs: {@code K + 1}, {@code K + 2} (Seesaw objectness) or {@code K}.
   */
  public int logitColumns() {
    return columns;
  }

  /**
   * The losses of a training forward's outputs: the selected classification loss and the box L1
   * loss. Seesaw's counts are updated by this call.
   *
   * @param outputs the outputs of {@code forward(ps, data, labels, params)}: logits, deltas and
   *     features
   * @param sampled the sampled ROIs the outputs belong to
   * @return the classification and box losses
   * @throws IllegalStateException when the loss needs class statistics and the head has none
   */
  public FastRcnnLosses.Losses losses(NDList outputs, RoiSampling.Sampled sampled) {
    return FastRcnnLosses.compute(
        outputs.get(0), outputs.get(1), sampled, numForeground, classificationTerm());
  }

  /**
   * The selected classification loss alone (second stages that train only the classifier).
   *
   * @param logits {@code (R, columns)}
   * @param labels {@code R} classes in {@code [0, K]}, {@code K} = background
   * @return scalar attached to the logits' manager
   */
  public NDArray classificationLoss(NDArray logits, int[] labels) {
    if (logits.getShape().get(0) != labels.length) {
      throw new IllegalArgumentException(
          "logits have " + logits.getShape().get(0) + " rows for " + labels.length + " labels");
    }
    return classificationTerm().compute(logits, labels);
  }

  private FastRcnnLosses.ClassificationLoss classificationTerm() {
    if (classificationLoss == null) {
      throw BoxClassificationLoss.missingStatistics(lossConfig);
    }
    return classificationLoss;
  }

  /**
   * Test-time class scores {@code (R, K + 1)}, background last, from the box features: the
   * classifier's softmax in the requested mode for softmax heads ({@code K + 1} logits), {@code
   * softmax(classes) * P(object)} and {@code P(background)} for Seesaw's objectness head (as
   * mmdetection), per-class sigmoids and a zero background column for sigmoid heads (as the EQL
   * reference).
   *
   * @param features box features {@code (R, D)} (the third output of the forward)
   * @param mode plain, TDE or background-exempted; the last two need a causal-norm classifier
   * @param alpha TDE strength
   * @return scores attached to the features' manager
   */
  public NDArray scores(NDArray features, InferenceMode mode, float alpha) {
    if (columns == numForeground + 1 && activation() == HeadActivation.SOFTMAX) {
      return classifier.scores(features, mode, alpha);
    }
    if (mode != InferenceMode.PLAIN) {
      throw new IllegalArgumentException(
          "inference mode " + mode + " needs a causal-norm softmax head, not " + describe());
    }
    try (NDArray logits = classifier.logits(features)) {
      return activation() == HeadActivation.SIGMOID
          ? FastRcnnInference.sigmoidScores(logits)
          : SeesawLoss.scores(logits);
    }
  }

  private String describe() {
    return classifier.describe() + " trained with loss " + lossConfig.lossKind().configName();
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
    if (seesawCounts != null) {
      seesawCounts.initialize(manager, dataType, features);
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    long r = inputShapes[0].get(0);
    Shape features = extractor.getOutputShapes(inputShapes)[0];
    return new Shape[] {
      new Shape(r, columns), new Shape(r, classAgnostic ? 4 : 4L * numForeground), features
    };
  }
}
