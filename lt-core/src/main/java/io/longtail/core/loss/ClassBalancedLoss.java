package io.longtail.core.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import java.util.List;

/**
 * Class-balanced loss (Cui et al., "Class-Balanced Loss Based on Effective Number of Samples", CVPR
 * 2019): every row is weighted by {@code w_y = (1 - beta) / (1 - beta^n_y)}, the inverse effective
 * number of samples of its class, with the weights normalised to sum to the number of classes
 * {@code C}. Three base losses, reduced as in the official code:
 *
 * <ul>
 *   <li>{@link Base#SOFTMAX}: {@code sum_i w_{y_i} CE_i / N} (TensorFlow's sum by non-zero weights,
 *       ignored rows left out);
 *   <li>{@link Base#SIGMOID}: {@code sum_{i,c} w_{y_i} BCE_ic / P};
 *   <li>{@link Base#FOCAL}: {@code sum_{i,c} w_{y_i} (1 - p_t)^gamma BCE_ic / P} (no alpha: the
 *       class weight replaces it),
 * </ul>
 *
 * where {@code P} is the number of positive labels (the official normalisation "by the total number
 * of positive samples"; the number of rows for single-label data). A row's weight is {@code sum_c
 * w_c t_ic}, so sigmoid background rows (all negative) get weight 0, as in the official code.
 * {@code beta = 0} gives weight 1 everywhere: plain cross-entropy, BCE or focal loss.
 *
 * <p>Inputs: predictions {@code [logits (N, C)]}; labels {@code [classes (N)]} in {@code [-1, C -
 * 1]} (softmax) or {@code [-1, C]} (sigmoid and focal, {@code C} = background).
 */
public final class ClassBalancedLoss extends Loss {

  /** The loss the class weights are applied to. */
  public enum Base {
    /** Softmax cross-entropy. */
    SOFTMAX,
    /** Sigmoid binary cross-entropy. */
    SIGMOID,
    /** Sigmoid focal loss. */
    FOCAL
  }

  /**
   * Class-balanced settings.
   *
   * @param beta in {@code [0, 1)}: 0 gives no re-weighting, values near 1 approach inverse
   *     frequency (0.9999 in the paper's CIFAR experiments)
   * @param samplesPerClass training samples of each class, all {@code >= 1}; length {@code C}
   * @param base the weighted loss
   * @param gamma focal focusing parameter ({@link Base#FOCAL} only, {@code >= 0}; 0 otherwise)
   */
  public record Config(double beta, List<Long> samplesPerClass, Base base, double gamma)
      implements LossConfig {
    /** Validates the settings and copies the list. */
    public Config {
      if (!(beta >= 0 && beta < 1)) {
        throw new IllegalArgumentException("beta must be in [0, 1), got " + beta);
      }
      if (samplesPerClass == null || samplesPerClass.isEmpty()) {
        throw new IllegalArgumentException(
            "samplesPerClass must list at least one class, got " + samplesPerClass);
      }
      samplesPerClass = List.copyOf(samplesPerClass);
      for (int i = 0; i < samplesPerClass.size(); i++) {
        if (samplesPerClass.get(i) < 1) {
          throw new IllegalArgumentException(
              "samplesPerClass[" + i + "] must be >= 1, got " + samplesPerClass.get(i));
        }
      }
      if (base == null) {
        throw new IllegalArgumentException("base must be SOFTMAX, SIGMOID or FOCAL, got null");
      }
      LossOps.checkRange("gamma", gamma, 0, Double.MAX_VALUE);
      if (base != Base.FOCAL && gamma != 0) {
        throw new IllegalArgumentException(
            "gamma applies to the FOCAL base only; got gamma=" + gamma + " with base " + base);
      }
    }

    /** Class-balanced softmax cross-entropy. */
    public static Config softmax(double beta, List<Long> samplesPerClass) {
      return new Config(beta, samplesPerClass, Base.SOFTMAX, 0);
    }

    /** Class-balanced sigmoid BCE. */
    public static Config sigmoid(double beta, List<Long> samplesPerClass) {
      return new Config(beta, samplesPerClass, Base.SIGMOID, 0);
    }

    /** Class-balanced focal loss. */
    public static Config focal(double beta, double gamma, List<Long> samplesPerClass) {
      return new Config(beta, samplesPerClass, Base.FOCAL, gamma);
    }

    /** The normalised class weights {@code w_c}, summing to {@code C}. */
    public double[] classWeights() {
      return ClassBalancedLoss.classWeights(beta, samplesPerClass);
    }

    @Override
    public LossKind kind() {
      return LossKind.CLASS_BALANCED;
    }

    @Override
    public HeadActivation headActivation() {
      return base == Base.SOFTMAX ? HeadActivation.SOFTMAX : HeadActivation.SIGMOID;
    }

    @Override
    public ClassBalancedLoss create() {
      return new ClassBalancedLoss(this);
    }
  }

  private final Config config;
  private final double[] weights;

  /** Creates the loss from validated settings. */
  public ClassBalancedLoss(Config config) {
    super(LossKind.CLASS_BALANCED.configName());
    this.config = config;
    this.weights = config.classWeights();
  }

  /** The settings. */
  public Config config() {
    return config;
  }

  /**
   * The class weights {@code (1 - beta) / (1 - beta^n_c)}, normalised to sum to {@code C}.
   *
   * @param beta in {@code [0, 1)}
   * @param samplesPerClass {@code n_c >= 1}
   * @return {@code C} weights
   */
  public static double[] classWeights(double beta, List<Long> samplesPerClass) {
    int c = samplesPerClass.size();
    double[] w = new double[c];
    double sum = 0;
    for (int i = 0; i < c; i++) {
      w[i] = (1 - beta) / (1 - Math.pow(beta, samplesPerClass.get(i)));
      sum += w[i];
    }
    for (int i = 0; i < c; i++) {
      w[i] = w[i] / sum * c;
    }
    return w;
  }

  /**
   * The class-balanced loss.
   *
   * @param logits {@code (N, C)}
   * @param labels {@code (N)} class indices ({@code -1} = ignore; {@code C} = background for the
   *     sigmoid bases)
   * @param config settings; {@code samplesPerClass} must have {@code C} entries
   * @return scalar
   */
  public static NDArray classBalanced(NDArray logits, NDArray labels, Config config) {
    return classBalanced(logits, labels, config, config.classWeights());
  }

  private static NDArray classBalanced(
      NDArray logits, NDArray labels, Config config, double[] weights) {
    String name = "class-balanced " + config.base().name().toLowerCase(java.util.Locale.ROOT);
    long c = LossOps.checkLogits(logits, name);
    LossOps.checkColumns(name, c, weights.length, "one per entry of samplesPerClass");
    boolean softmax = config.base() == Base.SOFTMAX;
    LossOps.checkLabels(logits, labels, softmax ? c - 1 : c, false, name);
    return LossOps.inScope(
        logits,
        scope -> {
          NDArray t = LossOps.oneHot(logits, labels);
          NDArray w = LossOps.constant(scope, weights, logits.getDataType());
          NDArray rowWeight = t.mul(w).sum(new int[] {1}); // w_{y_i}, 0 for zero rows
          if (softmax) {
            NDArray ce = LossOps.crossEntropyRows(logits, t);
            return LossOps.meanOverValid(ce.mul(rowWeight), LossOps.indexValidRows(logits, labels));
          }
          NDArray terms =
              config.base() == Base.FOCAL
                  ? FocalLoss.modulatedBce(logits, t, config.gamma())
                  : LossOps.bce(logits, t);
          NDArray total = terms.sum(new int[] {1}).mul(rowWeight).sum();
          return total.div(t.sum().maximum(1));
        },
        logits,
        labels);
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    return classBalanced(predictions.head(), labels.head(), config, weights);
  }
}
