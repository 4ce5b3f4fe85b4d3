package io.longtail.detection.config;

import static io.longtail.detection.config.Defaults.nonNegative;
import static io.longtail.detection.config.Defaults.or;
import static io.longtail.detection.config.Defaults.positive;
import static io.longtail.detection.config.Defaults.unit;

import io.longtail.core.loss.HeadActivation;

/**
 * ROI box head settings (defaults: detectron2's R-50-FPN, LVIS test settings).
 *
 * @param head feature extractor (default SHARED_2FC)
 * @param fcDim width of the fully connected layers (default 1024)
 * @param convDim channels of the head convolutions of SHARED_4CONV_1FC (default 256)
 * @param poolerResolution ROIAlign output size (default 7)
 * @param samplingRatio ROIAlign samples per bin side, 0 = adaptive (default 0)
 * @param batchSizePerImage ROIs sampled per image in training (default 512)
 * @param positiveFraction fraction of foreground ROIs sampled (default 0.25)
 * @param foregroundIou IoU from which a proposal is foreground (default 0.5)
 * @param classifier the classifier (default linear softmax)
 * @param classAgnosticBoxRegression one box per ROI instead of one per class (default false)
 * @param scoreThreshold test-time score threshold (default 1e-4, LVIS)
 * @param nmsThreshold test-time class-aware NMS IoU (default 0.5)
 * @param detectionsPerImage test-time detections kept per image (default 300, LVIS)
 * @param loss the classification loss, which also decides whether the head is a softmax or
 *     per-class sigmoids (default softmax cross-entropy); see {@link ClassificationLossConfig}
 */
public record RoiHeadsConfig(
    BoxHeadKind head,
    Integer fcDim,
    Integer convDim,
    Integer poolerResolution,
    Integer samplingRatio,
    Integer batchSizePerImage,
    Float positiveFraction,
    Float foregroundIou,
    ClassifierConfig classifier,
    Boolean classAgnosticBoxRegression,
    Float scoreThreshold,
    Float nmsThreshold,
    Integer detectionsPerImage,
    ClassificationLossConfig loss) {

  /** Fills defaults and validates; rejects a loss the classifier cannot be trained with. */
  public RoiHeadsConfig {
    head = or(head, BoxHeadKind.SHARED_2FC);
    fcDim = or(fcDim, 1024);
    convDim = or(convDim, 256);
    poolerResolution = or(poolerResolution, 7);
    samplingRatio = or(samplingRatio, 0);
    batchSizePerImage = or(batchSizePerImage, 512);
    positiveFraction = or(positiveFraction, 0.25f);
    foregroundIou = or(foregroundIou, 0.5f);
    classifier = or(classifier, ClassifierConfig.defaults());
    classAgnosticBoxRegression = or(classAgnosticBoxRegression, false);
    scoreThreshold = or(scoreThreshold, 1e-4f);
    nmsThreshold = or(nmsThreshold, 0.5f);
    detectionsPerImage = or(detectionsPerImage, 300);
    loss = or(loss, ClassificationLossConfig.defaults());
    positive("roiHeads.fcDim", fcDim);
    positive("roiHeads.convDim", convDim);
    positive("roiHeads.poolerResolution", poolerResolution);
    nonNegative("roiHeads.samplingRatio", samplingRatio);
    positive("roiHeads.batchSizePerImage", batchSizePerImage);
    unit("roiHeads.positiveFraction", positiveFraction);
    unit("roiHeads.foregroundIou", foregroundIou);
    unit("roiHeads.scoreThreshold", scoreThreshold);
    unit("roiHeads.nmsThreshold", nmsThreshold);
    positive("roiHeads.detectionsPerImage", detectionsPerImage);
    if (classifier.kind() == ClassifierKind.CAUSAL_NORM && fcDim % classifier.numHeads() != 0) {
      throw new IllegalArgumentException(
          "roiHeads.fcDim must be divisible by classifier.numHeads="
              + classifier.numHeads()
              + ", got "
              + fcDim);
    }
    checkLoss(loss, classifier);
  }

  /** The settings with the default loss (softmax cross-entropy), as before the loss was a key. */
  public RoiHeadsConfig(
      BoxHeadKind head,
      Integer fcDim,
      Integer convDim,
      Integer poolerResolution,
      Integer samplingRatio,
      Integer batchSizePerImage,
      Float positiveFraction,
      Float foregroundIou,
      ClassifierConfig classifier,
      Boolean classAgnosticBoxRegression,
      Float scoreThreshold,
      Float nmsThreshold,
      Integer detectionsPerImage) {
    this(
        head,
        fcDim,
        convDim,
        poolerResolution,
        samplingRatio,
        batchSizePerImage,
        positiveFraction,
        foregroundIou,
        classifier,
        classAgnosticBoxRegression,
        scoreThreshold,
        nmsThreshold,
        detectionsPerImage,
        null);
  }

  /** All defaults. */
  public static RoiHeadsConfig defaults() {
    return new RoiHeadsConfig(
        null, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /** A copy with another classifier (validated again against the loss). */
  public RoiHeadsConfig withClassifier(ClassifierConfig newClassifier) {
    return new RoiHeadsConfig(
        head,
        fcDim,
        convDim,
        poolerResolution,
        samplingRatio,
        batchSizePerImage,
        positiveFraction,
        foregroundIou,
        newClassifier,
        classAgnosticBoxRegression,
        scoreThreshold,
        nmsThreshold,
        detectionsPerImage,
        loss);
  }

  /** A copy with another loss (validated again against the classifier). */
  public RoiHeadsConfig withLoss(ClassificationLossConfig newLoss) {
    return new RoiHeadsConfig(
        head,
        fcDim,
        convDim,
        poolerResolution,
        samplingRatio,
        batchSizePerImage,
        positiveFraction,
        foregroundIou,
        classifier,
        classAgnosticBoxRegression,
        scoreThreshold,
        nmsThreshold,
        detectionsPerImage,
        newLoss);
  }

  /**
   * The combinations of loss and classifier that cannot work: the causal-norm classifier is
   * softmax-only (TDE and background-exempted inference are defined on softmax scores over {@code K
   * + 1} classes with background last), so it takes neither sigmoid losses nor Seesaw's two extra
   * objectness columns.
   */
  private static void checkLoss(ClassificationLossConfig loss, ClassifierConfig classifier) {
    if (classifier.kind() != ClassifierKind.CAUSAL_NORM) {
      return;
    }
    String name = loss.lossKind().configName();
    if (loss.activation() == HeadActivation.SIGMOID) {
      throw new IllegalArgumentException(
          "roiHeads.loss "
              + name
              + " needs a sigmoid head, but classifier.kind CAUSAL_NORM is softmax-only (TDE and"
              + " background-exempted inference are defined on softmax scores); use a softmax"
              + " loss (softmax, class-balanced, logit-adjusted, seesaw) or classifier.kind"
              + " LINEAR or COSINE");
    }
    if (loss instanceof ClassificationLossConfig.Seesaw s && s.objectness()) {
      throw new IllegalArgumentException(
          "roiHeads.loss seesaw with objectness: true gives the head two objectness columns,"
              + " which classifier.kind CAUSAL_NORM does not have (its background is the last of"
              + " K + 1 classes); set roiHeads.loss.objectness: false");
    }
  }
}
