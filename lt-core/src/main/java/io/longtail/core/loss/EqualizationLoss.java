package io.longtail.core.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import java.util.List;

/**
 * Equalization loss (Tan et al., "Equalization Loss for Long-Tailed Object Recognition", CVPR
 * 2020), in the authors' detectron2 version for sigmoid ROI heads with {@code K} foreground
 * columns: per element {@code w_ic * BCE(z_ic, t_ic)} with
 *
 * <pre>
 *   w_ic = 1 - E(i) * T(f_c) * (1 - t_ic)
 * </pre>
 *
 * where {@code E(i) = 1} for foreground rows and 0 for background rows (label {@code K}: they keep
 * every negative gradient), and {@code T(f_c) = 1} when the category's image frequency {@code f_c}
 * (images containing it / training images) is below {@code lambda}. So foreground proposals do not
 * push down the logits of rare categories other than their own. The sum over all elements is
 * divided by the number of rows (ignored rows, label {@code -1}, are left out of both). With {@code
 * lambda = 0} no category is rare and this is {@link BinaryCrossEntropyLoss}.
 *
 * <p>Inputs: predictions {@code [logits (N, K)]}, labels {@code [classes (N)]} in {@code [-1, K]}.
 */
public final class EqualizationLoss extends Loss {

  /**
   * EQL settings.
   *
   * @param lambda frequency threshold, {@code >= 0} (LVIS: 1.76e-3 in the paper's best setting)
   * @param imageFrequency {@code f_c} per foreground category, each in {@code [0, 1]}
   */
  public record Config(double lambda, List<Double> imageFrequency) implements LossConfig {
    /** Validates the settings and copies the list. */
    public Config {
      LossOps.checkRange("lambda", lambda, 0, Double.MAX_VALUE);
      if (imageFrequency == null || imageFrequency.isEmpty()) {
        throw new IllegalArgumentException(
            "imageFrequency must list at least one category, got " + imageFrequency);
      }
      imageFrequency = List.copyOf(imageFrequency);
      for (int i = 0; i < imageFrequency.size(); i++) {
        LossOps.checkRange("imageFrequency[" + i + "]", imageFrequency.get(i), 0, 1);
      }
    }

    /** The rare-category indicator {@code T(f_c)}: 1 where {@code f_c < lambda}. */
    public double[] rareMask() {
      double[] m = new double[imageFrequency.size()];
      for (int i = 0; i < m.length; i++) {
        m[i] = imageFrequency.get(i) < lambda ? 1 : 0;
      }
      return m;
    }

    @Override
    public LossKind kind() {
      return LossKind.EQL;
    }

    @Override
    public HeadActivation headActivation() {
      return HeadActivation.SIGMOID;
    }

    @Override
    public EqualizationLoss create() {
      return new EqualizationLoss(this);
    }
  }

  private final Config config;
  private final double[] rare;

  /** Creates the loss from validated settings. */
  public EqualizationLoss(Config config) {
    super(LossKind.EQL.configName());
    this.config = config;
    this.rare = config.rareMask();
  }

  /** The settings. */
  public Config config() {
    return config;
  }

  /**
   * The equalization loss.
   *
   * @param logits {@code (N, K)}
   * @param labels {@code (N)} in {@code [-1, K]}, {@code K} = background
   * @param rareMask {@code T(f_c)} per category, {@code K} zeros and ones
   * @return scalar: the weighted BCE summed over elements, divided by the number of rows
   */
  public static NDArray eql(NDArray logits, NDArray labels, double[] rareMask) {
    long k = LossOps.checkLogits(logits, "eql");
    LossOps.checkColumns("eql", k, rareMask.length, "one per foreground category");
    LossOps.checkLabels(logits, labels, k, false, "eql");
    return LossOps.inScope(
        logits,
        scope -> {
          NDArray t = LossOps.oneHot(logits, labels);
          NDArray y = LossOps.labelValues(logits, labels);
          NDArray valid = LossOps.indexValidRows(logits, labels);
          // E(i): foreground rows (0 <= y < K)
          NDArray foreground = valid.mul(y.lt(k).toType(logits.getDataType(), false));
          NDArray rare = LossOps.constant(scope, rareMask, logits.getDataType());
          NDArray suppressed =
              foreground.reshape(-1, 1).mul(rare.reshape(1, -1)).mul(t.neg().add(1));
          NDArray weight = suppressed.neg().add(1);
          NDArray perRow = LossOps.bce(logits, t).mul(weight).sum(new int[] {1});
          return LossOps.meanOverValid(perRow, valid);
        },
        logits,
        labels);
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    return eql(predictions.head(), labels.head(), rare);
  }
}
