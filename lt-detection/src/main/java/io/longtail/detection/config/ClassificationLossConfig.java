package io.longtail.detection.config;

import static io.longtail.detection.config.Defaults.or;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.longtail.core.loss.ClassBalancedLoss;
import io.longtail.core.loss.HeadActivation;
import io.longtail.core.loss.LossKind;

/**
 * The classification loss of the ROI box head ({@code roiHeads.loss}), one record per loss of
 * {@code io.longtail.core.loss}, selected by its {@link LossKind#configName()} in the {@code kind}
 * key, e.g.
 *
 * <pre>
 *   roiHeads:
 *     loss: {kind: seesaw, p: 0.8, q: 2.0}
 * </pre>
 *
 * <p>Missing keys take the defaults of the papers' reference code; unknown keys are errors. The
 * default is {@link Softmax}, the softmax cross-entropy detectron2 uses. The loss decides the head
 * ({@link #activation()}): softmax losses train {@code K + 1} logits with background last (Seesaw
 * with its objectness branch {@code K + 2}), sigmoid losses {@code K} logits, one per foreground
 * class, with background rows all negative (the EQL reference's layout). The class statistics some
 * losses need (image and instance counts) come from the training annotations when training starts,
 * not from the config. GML is rejected: it needs teacher features and a class-wise queue that a
 * detection head does not have.
 */
@JsonDeserialize(using = LossConfigReader.class)
@JsonPropertyOrder({"kind"})
public sealed interface ClassificationLossConfig
    permits ClassificationLossConfig.Softmax,
        ClassificationLossConfig.Bce,
        ClassificationLossConfig.Focal,
        ClassificationLossConfig.ClassBalanced,
        ClassificationLossConfig.LogitAdjusted,
        ClassificationLossConfig.Eql,
        ClassificationLossConfig.Seesaw,
        ClassificationLossConfig.DistributionBalanced {

  /** Which loss this is. */
  LossKind lossKind();

  /** The {@code kind} key: the loss's name ({@link LossKind#configName()}). */
  @JsonProperty("kind")
  default String kind() {
    return lossKind().configName();
  }

  /** Factor applied to the loss (mmdetection's {@code loss_weight}), positive, default 1. */
  Double lossWeight();

  /** Whether the head this loss trains is a softmax or per-class sigmoids. */
  default HeadActivation activation() {
    return HeadActivation.SOFTMAX;
  }

  /**
   * Number of logits the box classifier produces for {@code K} foreground classes.
   *
   * @param numForeground {@code K}
   * @return {@code K + 1} (softmax), {@code K + 2} (Seesaw with objectness) or {@code K} (sigmoid)
   */
  default int logitColumns(int numForeground) {
    return activation() == HeadActivation.SIGMOID ? numForeground : numForeground + 1;
  }

  /** Whether the loss needs the training set's class statistics. */
  default boolean needsStatistics() {
    return false;
  }

  /** The default: softmax cross-entropy with weight 1. */
  static ClassificationLossConfig defaults() {
    return new Softmax(null);
  }

  /**
   * Softmax cross-entropy over the {@code K + 1} classes, averaged over the sampled ROIs (the
   * detector's baseline; {@code kind: softmax}).
   *
   * @param lossWeight loss factor (default 1)
   */
  @JsonDeserialize(using = JsonDeserializer.None.class)
  record Softmax(Double lossWeight) implements ClassificationLossConfig {
    /** Fills defaults and validates. */
    public Softmax {
      lossWeight = weight(lossWeight);
    }

    @Override
    public LossKind lossKind() {
      return LossKind.SOFTMAX_CE;
    }
  }

  /**
   * Sigmoid binary cross-entropy over {@code K} columns, summed over classes and averaged over ROIs
   * ({@code kind: bce}).
   *
   * @param lossWeight loss factor (default 1)
   */
  @JsonDeserialize(using = JsonDeserializer.None.class)
  record Bce(Double lossWeight) implements ClassificationLossConfig {
    /** Fills defaults and validates. */
    public Bce {
      lossWeight = weight(lossWeight);
    }

    @Override
    public LossKind lossKind() {
      return LossKind.SIGMOID_BCE;
    }

    @Override
    public HeadActivation activation() {
      return HeadActivation.SIGMOID;
    }
  }

  /**
   * Sigmoid focal loss (Lin et al. 2017) over {@code K} columns ({@code kind: focal}).
   *
   * @param lossWeight loss factor (default 1)
   * @param gamma focusing parameter, {@code >= 0} (default 2)
   * @param alpha weight of positives, negatives get {@code 1 - alpha}, in {@code [0, 1]} (default
   *     0.25; 0.5 weighs both equally, at half the loss)
   */
  @JsonDeserialize(using = JsonDeserializer.None.class)
  record Focal(Double lossWeight, Double gamma, Double alpha) implements ClassificationLossConfig {
    /** Fills defaults and validates. */
    public Focal {
      lossWeight = weight(lossWeight);
      gamma = nonNegative("gamma", or(gamma, 2.0));
      alpha = unit("alpha", or(alpha, 0.25));
    }

    @Override
    public LossKind lossKind() {
      return LossKind.FOCAL;
    }

    @Override
    public HeadActivation activation() {
      return HeadActivation.SIGMOID;
    }
  }

  /**
   * Class-balanced softmax cross-entropy (Cui et al. CVPR'19; {@code kind: class-balanced}): each
   * ROI is weighted by {@code (1 - beta) / (1 - beta^n)} of its class, {@code n} = training
   * instances of the class; background counts as the number of foreground instances times {@code (1
   * - positiveFraction) / positiveFraction}, the ROI sampler's nominal ratio. Only the softmax base
   * is accepted: the sigmoid and focal bases weight a row by its positive labels, so background
   * ROIs (no positive) would get weight 0 and the head would never learn to reject background.
   *
   * @param lossWeight loss factor (default 1)
   * @param beta in {@code [0, 1)} (default 0.999; 0 is plain cross-entropy)
   * @param base the weighted loss, SOFTMAX only (default)
   */
  @JsonDeserialize(using = JsonDeserializer.None.class)
  record ClassBalanced(Double lossWeight, Double beta, ClassBalancedLoss.Base base)
      implements ClassificationLossConfig {
    /** Fills defaults and validates. */
    public ClassBalanced {
      lossWeight = weight(lossWeight);
      beta = or(beta, 0.999);
      base = or(base, ClassBalancedLoss.Base.SOFTMAX);
      if (!(beta >= 0 && beta < 1)) {
        throw new IllegalArgumentException("roiHeads.loss.beta must be in [0, 1), got " + beta);
      }
      if (base != ClassBalancedLoss.Base.SOFTMAX) {
        throw new IllegalArgumentException(
            "roiHeads.loss.base "
                + base
                + " is not supported for detection: the class-balanced "
                + base.name().toLowerCase(java.util.Locale.ROOT)
                + " loss weights a row by its positive labels, so background ROIs would get weight"
                + " 0; use base SOFTMAX, or kind eql / focal for a sigmoid head");
      }
    }

    @Override
    public LossKind lossKind() {
      return LossKind.CLASS_BALANCED;
    }

    @Override
    public boolean needsStatistics() {
      return true;
    }
  }

  /**
   * Logit-adjusted cross-entropy (Menon et al. ICLR'21; {@code kind: logit-adjusted}): softmax CE
   * of {@code z + tau * log(prior)} in training, plain logits at test time. The prior of the {@code
   * K + 1} ROI labels: foreground classes in proportion to their training instances, background
   * with the share {@code 1 - positiveFraction} of the ROI sampler.
   *
   * @param lossWeight loss factor (default 1)
   * @param tau scale of the log-prior, {@code >= 0} (default 1)
   */
  @JsonDeserialize(using = JsonDeserializer.None.class)
  record LogitAdjusted(Double lossWeight, Double tau) implements ClassificationLossConfig {
    /** Fills defaults and validates. */
    public LogitAdjusted {
      lossWeight = weight(lossWeight);
      tau = nonNegative("tau", or(tau, 1.0));
    }

    @Override
    public LossKind lossKind() {
      return LossKind.LOGIT_ADJUSTED;
    }

    @Override
    public boolean needsStatistics() {
      return true;
    }
  }

  /**
   * Equalization loss (Tan et al. CVPR'20; {@code kind: eql}) on a sigmoid head: foreground ROIs do
   * not push down the logits of rare categories other than their own, background ROIs keep every
   * negative gradient. A category is rare when the fraction of training images containing it is
   * below {@code lambda}.
   *
   * @param lossWeight loss factor (default 1)
   * @param lambda image-frequency threshold, {@code >= 0} (default 1.76e-3, the paper's best on
   *     LVIS v0.5; 0 makes it plain BCE)
   */
  @JsonDeserialize(using = JsonDeserializer.None.class)
  record Eql(Double lossWeight, Double lambda) implements ClassificationLossConfig {
    /** Fills defaults and validates. */
    public Eql {
      lossWeight = weight(lossWeight);
      lambda = nonNegative("lambda", or(lambda, 1.76e-3));
    }

    @Override
    public LossKind lossKind() {
      return LossKind.EQL;
    }

    @Override
    public HeadActivation activation() {
      return HeadActivation.SIGMOID;
    }

    @Override
    public boolean needsStatistics() {
      return true;
    }
  }

  /**
   * Seesaw loss (Wang et al. CVPR'21; {@code kind: seesaw}), as mmdetection's. With {@code
   * objectness} (mmdetection's detection head) the classifier has {@code K + 2} logits: the Seesaw
   * cross-entropy over the {@code K} class logits for foreground ROIs plus a two-way object /
   * background cross-entropy for every ROI; test scores are {@code softmax(classes) * P(object)}.
   * Without it the Seesaw cross-entropy runs over the {@code K + 1} logits, background included as
   * a class. The accumulated class counts are saved with the model's parameters.
   *
   * @param lossWeight loss factor (default 1)
   * @param p mitigation exponent, {@code >= 0} (default 0.8)
   * @param q compensation exponent, {@code >= 0} (default 2)
   * @param eps clamp of the true-class probability, {@code > 0} (default 0.01)
   * @param objectness add the objectness branch (default true, as mmdetection)
   */
  @JsonDeserialize(using = JsonDeserializer.None.class)
  record Seesaw(Double lossWeight, Double p, Double q, Double eps, Boolean objectness)
      implements ClassificationLossConfig {
    /** Fills defaults and validates. */
    public Seesaw {
      lossWeight = weight(lossWeight);
      p = nonNegative("p", or(p, 0.8));
      q = nonNegative("q", or(q, 2.0));
      eps = or(eps, 0.01);
      objectness = or(objectness, true);
      if (!(eps > 0) || eps.isInfinite()) {
        throw new IllegalArgumentException(
            "roiHeads.loss.eps must be positive and finite, got " + eps);
      }
    }

    @Override
    public LossKind lossKind() {
      return LossKind.SEESAW;
    }

    @Override
    public int logitColumns(int numForeground) {
      return objectness ? numForeground + 2 : numForeground + 1;
    }
  }

  /**
   * Distribution-balanced loss (Wu et al. ECCV'20; {@code kind: distribution-balanced}) on a
   * sigmoid head, the official {@code ResampleLoss} with its COCO-MLT defaults. A ROI is one
   * single-label sample; class frequencies are the training images containing the class (clamped
   * into {@code [0.5, images - 0.5]} for the log-odds bias). The reference averages over all {@code
   * R x K} elements, so the loss is about {@code 1/K} of a per-row sum: raise {@code lossWeight} to
   * compare it with the other losses.
   *
   * @param lossWeight loss factor (default 1)
   * @param focalGamma focal exponent, {@code >= 0} (default 2)
   * @param balanceParam constant factor of the focal term, {@code > 0} (default 2)
   * @param negScale negative logit scale, {@code > 0} (default 2)
   * @param initBias bias factor (default 0.05)
   * @param mapAlpha smoothing offset, {@code >= 0} (default 0.1)
   * @param mapBeta smoothing slope, {@code >= 0} (default 10)
   * @param mapGamma smoothing shift (default 0.2)
   */
  @JsonDeserialize(using = JsonDeserializer.None.class)
  record DistributionBalanced(
      Double lossWeight,
      Double focalGamma,
      Double balanceParam,
      Double negScale,
      Double initBias,
      Double mapAlpha,
      Double mapBeta,
      Double mapGamma)
      implements ClassificationLossConfig {
    /** Fills defaults and validates. */
    public DistributionBalanced {
      lossWeight = weight(lossWeight);
      focalGamma = nonNegative("focalGamma", or(focalGamma, 2.0));
      balanceParam = positive("balanceParam", or(balanceParam, 2.0));
      negScale = positive("negScale", or(negScale, 2.0));
      initBias = finite("initBias", or(initBias, 0.05));
      mapAlpha = nonNegative("mapAlpha", or(mapAlpha, 0.1));
      mapBeta = nonNegative("mapBeta", or(mapBeta, 10.0));
      mapGamma = finite("mapGamma", or(mapGamma, 0.2));
    }

    @Override
    public LossKind lossKind() {
      return LossKind.DISTRIBUTION_BALANCED;
    }

    @Override
    public HeadActivation activation() {
      return HeadActivation.SIGMOID;
    }

    @Override
    public boolean needsStatistics() {
      return true;
    }
  }

  private static Double weight(Double value) {
    return positive("lossWeight", or(value, 1.0));
  }

  private static Double positive(String name, Double value) {
    if (!(value > 0) || value.isInfinite()) {
      throw new IllegalArgumentException(
          "roiHeads.loss." + name + " must be positive and finite, got " + value);
    }
    return value;
  }

  private static Double nonNegative(String name, Double value) {
    if (!(value >= 0) || value.isInfinite()) {
      throw new IllegalArgumentException(
          "roiHeads.loss." + name + " must be >= 0 and finite, got " + value);
    }
    return value;
  }

  private static Double unit(String name, Double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(
          "roiHeads.loss." + name + " must be in [0, 1], got " + value);
    }
    return value;
  }

  private static Double finite(String name, Double value) {
    if (value.isNaN() || value.isInfinite()) {
      throw new IllegalArgumentException("roiHeads.loss." + name + " must be finite, got " + value);
    }
    return value;
  }
}
