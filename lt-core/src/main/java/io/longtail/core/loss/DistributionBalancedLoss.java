package io.longtail.core.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.training.loss.Loss;
import java.util.List;

/**
 * Distribution-balanced loss (Wu et al., "Distribution-Balanced Loss for Multi-Label Classification
 * in Long-Tailed Datasets", ECCV 2020), as the official {@code ResampleLoss} with {@code
 * reweight_func='rebalance'}, focal modulation and logit regularisation. For multi-label sigmoid
 * heads with targets {@code t (N, C)} and training class counts {@code n_c} out of {@code N_train}
 * samples:
 *
 * <ol>
 *   <li>Re-balanced weighting: {@code r_ic = (1 / n_c) / sum_k t_ik / n_k} (expected over actual
 *       sampling probability of the pair) mapped through the smoothing function {@code w_ic =
 *       sigmoid(mapBeta * (r_ic - mapGamma)) + mapAlpha}. Rows without a positive label have {@code
 *       r = inf}, hence {@code w = 1 + mapAlpha} ({@code 1/2 + mapAlpha} if {@code mapBeta = 0};
 *       the reference divides by zero there).
 *   <li>Negative-tolerant regularisation: the logits get the class-specific bias {@code b_c =
 *       -log(N_train / n_c - 1) * initBias / negScale}; negative logits are then scaled by {@code
 *       negScale} and their weights divided by it: {@code z' = z + b}, {@code z'' = z'} (positives)
 *       or {@code negScale * z'} (negatives), {@code w' = w} or {@code w / negScale}.
 *   <li>Focal modulation: {@code loss_ic = balanceParam * (1 - p_t)^gamma * w'_ic * BCE(z''_ic,
 *       t_ic)}, {@code p_t = exp(-BCE(z'', t))}; gradients flow through {@code p_t} as in the
 *       reference.
 * </ol>
 *
 * The reference returns the element-wise loss, which its training loop averages: the result is the
 * mean over all {@code N x C} elements (of non-ignored rows).
 *
 * <p>Inputs: predictions {@code [logits (N, C)]}; labels {@code [targets (N, C)]} multi-hot, or
 * {@code [classes (N)]} in {@code [-1, C]} ({@code C} = a row with no positive, {@code -1} =
 * ignored row).
 */
public final class DistributionBalancedLoss extends Loss {

  /**
   * Distribution-balanced settings (the official COCO-MLT values in {@link #builder}).
   *
   * @param classFrequency training samples containing each class, each in {@code (0, trainSize)}
   * @param trainSize number of training samples {@code N_train}
   * @param focalGamma focal exponent, {@code >= 0} (2)
   * @param balanceParam constant factor of the focal term, {@code > 0} (2)
   * @param negScale negative logit scale {@code lambda}, {@code > 0} (2)
   * @param initBias bias factor {@code kappa}, finite (0.05)
   * @param mapAlpha smoothing offset, {@code >= 0} (0.1)
   * @param mapBeta smoothing slope, {@code >= 0} (10)
   * @param mapGamma smoothing shift, finite (0.2)
   */
  public record Config(
      List<Double> classFrequency,
      double trainSize,
      double focalGamma,
      double balanceParam,
      double negScale,
      double initBias,
      double mapAlpha,
      double mapBeta,
      double mapGamma)
      implements LossConfig {
    /** Validates the settings and copies the list. */
    public Config {
      if (!(trainSize > 0) || !Double.isFinite(trainSize)) {
        throw new IllegalArgumentException(
            "trainSize must be positive and finite, got " + trainSize);
      }
      if (classFrequency == null || classFrequency.isEmpty()) {
        throw new IllegalArgumentException(
            "classFrequency must list at least one class, got " + classFrequency);
      }
      classFrequency = List.copyOf(classFrequency);
      for (int i = 0; i < classFrequency.size(); i++) {
        double n = classFrequency.get(i);
        if (!(n > 0 && n < trainSize)) {
          throw new IllegalArgumentException(
              "classFrequency["
                  + i
                  + "] must be in (0, trainSize="
                  + trainSize
                  + ") for the log-odds bias, got "
                  + n);
        }
      }
      LossOps.checkRange("focalGamma", focalGamma, 0, Double.MAX_VALUE);
      if (!(balanceParam > 0) || !Double.isFinite(balanceParam)) {
        throw new IllegalArgumentException(
            "balanceParam must be positive and finite, got " + balanceParam);
      }
      if (!(negScale > 0) || !Double.isFinite(negScale)) {
        throw new IllegalArgumentException("negScale must be positive and finite, got " + negScale);
      }
      LossOps.checkRange("initBias", initBias, -Double.MAX_VALUE, Double.MAX_VALUE);
      LossOps.checkRange("mapAlpha", mapAlpha, 0, Double.MAX_VALUE);
      LossOps.checkRange("mapBeta", mapBeta, 0, Double.MAX_VALUE);
      LossOps.checkRange("mapGamma", mapGamma, -Double.MAX_VALUE, Double.MAX_VALUE);
    }

    /**
     * A builder with the official COCO-MLT settings: focal gamma 2, balance 2, negScale 2, initBias
     * 0.05, map alpha 0.1, beta 10, gamma 0.2.
     *
     * @param classFrequency training samples per class
     * @param trainSize number of training samples
     */
    public static Builder builder(List<Double> classFrequency, double trainSize) {
      return new Builder(classFrequency, trainSize);
    }

    @Override
    public LossKind kind() {
      return LossKind.DISTRIBUTION_BALANCED;
    }

    @Override
    public HeadActivation headActivation() {
      return HeadActivation.SIGMOID;
    }

    @Override
    public DistributionBalancedLoss create() {
      return new DistributionBalancedLoss(this);
    }
  }

  /** Builder for {@link Config}, starting from the COCO-MLT settings. */
  public static final class Builder {
    private final List<Double> classFrequency;
    private final double trainSize;
    private double focalGamma = 2;
    private double balanceParam = 2;
    private double negScale = 2;
    private double initBias = 0.05;
    private double mapAlpha = 0.1;
    private double mapBeta = 10;
    private double mapGamma = 0.2;

    private Builder(List<Double> classFrequency, double trainSize) {
      this.classFrequency = classFrequency;
      this.trainSize = trainSize;
    }

    /** Focal exponent (default 2; 0 disables the modulation). */
    public Builder optFocalGamma(double focalGamma) {
      this.focalGamma = focalGamma;
      return this;
    }

    /** Constant factor of the focal term (default 2). */
    public Builder optBalanceParam(double balanceParam) {
      this.balanceParam = balanceParam;
      return this;
    }

    /** Negative logit scale (default 2; 1 disables the scaling). */
    public Builder optNegScale(double negScale) {
      this.negScale = negScale;
      return this;
    }

    /** Bias factor (default 0.05; 0 disables the bias). */
    public Builder optInitBias(double initBias) {
      this.initBias = initBias;
      return this;
    }

    /** Smoothing function {@code sigmoid(beta (r - gamma)) + alpha} (default 0.1, 10, 0.2). */
    public Builder optMapping(double alpha, double beta, double gamma) {
      this.mapAlpha = alpha;
      this.mapBeta = beta;
      this.mapGamma = gamma;
      return this;
    }

    /** Validates and builds the settings. */
    public Config build() {
      return new Config(
          classFrequency,
          trainSize,
          focalGamma,
          balanceParam,
          negScale,
          initBias,
          mapAlpha,
          mapBeta,
          mapGamma);
    }
  }

  private final Config config;

  /** Creates the loss from validated settings. */
  public DistributionBalancedLoss(Config config) {
    super(LossKind.DISTRIBUTION_BALANCED.configName());
    this.config = config;
  }

  /** The settings. */
  public Config config() {
    return config;
  }

  /**
   * The distribution-balanced loss.
   *
   * @param logits {@code (N, C)}
   * @param labels multi-hot {@code (N, C)} or indices {@code (N)} in {@code [-1, C]}
   * @param config settings with {@code C} class frequencies
   * @return scalar, the mean over all elements of non-ignored rows
   */
  public static NDArray distributionBalanced(NDArray logits, NDArray labels, Config config) {
    long c = LossOps.checkLogits(logits, "distribution-balanced");
    int numClasses = config.classFrequency().size();
    LossOps.checkColumns("distribution-balanced", c, numClasses, "one per class frequency");
    LossOps.checkLabels(logits, labels, c, true, "distribution-balanced");
    double[] freqInv = new double[numClasses];
    double[] bias = new double[numClasses];
    for (int i = 0; i < numClasses; i++) {
      double n = config.classFrequency().get(i);
      freqInv[i] = 1 / n;
      bias[i] = -Math.log(config.trainSize() / n - 1) * config.initBias() / config.negScale();
    }
    return LossOps.inScope(
        logits,
        scope -> {
          var dt = logits.getDataType();
          NDArray t = LossOps.targets(logits, labels);
          NDArray notT = t.neg().add(1);
          NDArray valid = LossOps.validRows(logits, labels);
          NDArray inv = LossOps.constant(scope, freqInv, dt).reshape(1, -1);
          // Re-balanced weights; rows without positives get the r -> inf limit.
          NDArray repeat = t.mul(inv).sum(new int[] {1}, true);
          NDArray hasPositive = repeat.gt(0).toType(dt, false);
          NDArray safeRepeat = repeat.add(hasPositive.neg().add(1));
          NDArray mapped =
              Activation.sigmoid(inv.div(safeRepeat).sub(config.mapGamma()).mul(config.mapBeta()))
                  .add(config.mapAlpha());
          // sigmoid(mapBeta * (inf - mapGamma)): 1, or 1/2 when mapBeta = 0.
          double limit = (config.mapBeta() > 0 ? 1 : 0.5) + config.mapAlpha();
          NDArray weight = mapped.mul(hasPositive).add(hasPositive.neg().add(1).mul(limit));
          // Negative-tolerant regularisation.
          NDArray shifted = logits.add(LossOps.constant(scope, bias, dt).reshape(1, -1));
          NDArray scaled = shifted.mul(t.add(notT.mul(config.negScale())));
          NDArray scaledWeight = weight.mul(t.add(notT.div(config.negScale())));
          NDArray bce = LossOps.bce(scaled, t);
          NDArray loss = bce.mul(scaledWeight).mul(config.balanceParam());
          if (config.focalGamma() != 0) {
            NDArray oneMinusPt = bce.neg().exp().neg().add(1);
            loss = loss.mul(oneMinusPt.pow(config.focalGamma()));
          }
          NDArray perRow = loss.sum(new int[] {1});
          return perRow.mul(valid).sum().div(valid.sum().maximum(1).mul(c));
        },
        logits,
        labels);
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    return distributionBalanced(predictions.head(), labels.head(), config);
  }
}
