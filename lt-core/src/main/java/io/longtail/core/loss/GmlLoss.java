package io.longtail.core.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import java.util.ArrayList;
import java.util.List;

/**
 * The Gaussian-mixture likelihood (GML) loss (Suh and Seo, "Long-Tailed Recognition by Mutual
 * Information Maximization between Latent Features and Ground-Truth Labels", ICML 2023), following
 * the authors' {@code GMLLoss}. For a batch of {@code N} queries (unit-norm student embeddings
 * {@code q}) and the {@code K} keys of a {@link ClassWiseQueue} (unit-norm embeddings of frozen
 * teacher features, with their classes and sample indices):
 *
 * <pre>
 *   log S_c(q)   = log mean_{k in class c} exp(q . k / T)            (Gaussian-mixture likelihood)
 *   L_con        = CE(log S(q) + log pi, y)                          (T detached: trains q and k)
 *   L_con_T      = CE(log S'(q) + log pi, y)   with q . k detached and keys of the query's own
 *                                               sample left out     (trains the temperature only)
 *   L_sup        = CE(z / T_s + log pi, y)                           (classifier logits z)
 *   L            = gamma * L_sup + beta * (L_con + L_con_T)
 * </pre>
 *
 * where {@code pi} is the training class prior (the logit-adjustment term), {@code T} the contrast
 * temperature (learnable in the reference through {@code log T}; pass it as a fourth prediction to
 * learn it, or use the fixed {@link Config#temperature()}), {@code T_s = 1/30} the fixed
 * temperature of the classifier logits. Each CE is a batch mean. The reference's optional
 * distillation term (weight {@code alpha}, 0 in its ImageNet-LT runs) is not included. A class with
 * no admissible key in the temperature term (its only keys are the query's own sample) is left out
 * of that term's softmax, and a query whose own class has none is left out of its mean; the
 * reference would produce NaN there. The minimum queue length rule of {@link ClassWiseQueue}
 * guarantees every class keys in the first term.
 *
 * <p><b>Training step.</b> (1) enqueue the batch's teacher features, {@code loss.queue().enqueue(f,
 * y, ids)}; (2) embed the whole queue, {@code keys = normalize(embedK(loss.queue().features()))};
 * (3) {@code evaluate(labels = [y (N), ids (N)], predictions = [z (N, C), q (N, d), keys (K, d)] or
 * [z, q, keys, logT (1)])}. The queue is the loss's state (save it with {@link
 * ClassWiseQueue#save}); {@link #evaluate} itself does not change it.
 */
public final class GmlLoss extends Loss implements AutoCloseable {

  /**
   * GML settings.
   *
   * @param classCounts training samples per class (prior and queue layout), all {@code >= 1}
   * @param featureDim dimension of the teacher features stored in the queue
   * @param queueSize number of queue slots {@code K} (reference: 8192 for CIFAR, 16384 for
   *     ImageNet-LT)
   * @param minPerClass minimum queue slots per class, {@code >= 1} (reference: 2 for CIFAR, 3 for
   *     ImageNet-LT)
   * @param temperature contrast temperature {@code T > 0} (0.07; the initial value when learned)
   * @param supervisedTemperature temperature {@code T_s > 0} of the classifier logits (1/30)
   * @param contrastWeight {@code beta >= 0} (1)
   * @param supervisedWeight {@code gamma >= 0} (1)
   * @param seed seed of the initial random queue features
   */
  public record Config(
      List<Long> classCounts,
      int featureDim,
      int queueSize,
      int minPerClass,
      double temperature,
      double supervisedTemperature,
      double contrastWeight,
      double supervisedWeight,
      long seed)
      implements LossConfig {
    /** Validates the settings and copies the list. */
    public Config {
      if (classCounts == null || classCounts.isEmpty()) {
        throw new IllegalArgumentException(
            "classCounts must list at least one class, got " + classCounts);
      }
      classCounts = List.copyOf(classCounts);
      for (int i = 0; i < classCounts.size(); i++) {
        if (classCounts.get(i) < 1) {
          throw new IllegalArgumentException(
              "classCounts[" + i + "] must be >= 1, got " + classCounts.get(i));
        }
      }
      if (featureDim < 1) {
        throw new IllegalArgumentException("featureDim must be >= 1, got " + featureDim);
      }
      if (minPerClass < 1) {
        throw new IllegalArgumentException("minPerClass must be >= 1, got " + minPerClass);
      }
      if (queueSize < (long) classCounts.size() * minPerClass) {
        throw new IllegalArgumentException(
            "queueSize must be >= numClasses * minPerClass = "
                + (long) classCounts.size() * minPerClass
                + ", got "
                + queueSize);
      }
      if (!(temperature > 0) || !Double.isFinite(temperature)) {
        throw new IllegalArgumentException(
            "temperature must be positive and finite, got " + temperature);
      }
      if (!(supervisedTemperature > 0) || !Double.isFinite(supervisedTemperature)) {
        throw new IllegalArgumentException(
            "supervisedTemperature must be positive and finite, got " + supervisedTemperature);
      }
      LossOps.checkRange("contrastWeight", contrastWeight, 0, Double.MAX_VALUE);
      LossOps.checkRange("supervisedWeight", supervisedWeight, 0, Double.MAX_VALUE);
    }

    /**
     * A builder with the reference defaults: queue 8192, 2 slots per class minimum, {@code T =
     * 0.07}, {@code T_s = 1/30}, weights 1, seed 0.
     */
    public static Builder builder(List<Long> classCounts, int featureDim) {
      return new Builder(classCounts, featureDim);
    }

    /** {@code log(pi_c)}. */
    public double[] logPrior() {
      return LogitAdjustedLoss.logPrior(classCounts);
    }

    @Override
    public LossKind kind() {
      return LossKind.GML;
    }

    @Override
    public HeadActivation headActivation() {
      return HeadActivation.SOFTMAX;
    }

    @Override
    public GmlLoss create() {
      return new GmlLoss(this);
    }
  }

  /** Builder for {@link Config}. */
  public static final class Builder {
    private final List<Long> classCounts;
    private final int featureDim;
    private int queueSize = 8192;
    private int minPerClass = 2;
    private double temperature = 0.07;
    private double supervisedTemperature = 1.0 / 30;
    private double contrastWeight = 1;
    private double supervisedWeight = 1;
    private long seed;

    private Builder(List<Long> classCounts, int featureDim) {
      this.classCounts = classCounts;
      this.featureDim = featureDim;
    }

    /** Queue slots {@code K} (default 8192). */
    public Builder optQueueSize(int queueSize) {
      this.queueSize = queueSize;
      return this;
    }

    /** Minimum slots per class (default 2). */
    public Builder optMinPerClass(int minPerClass) {
      this.minPerClass = minPerClass;
      return this;
    }

    /** Contrast temperature (default 0.07). */
    public Builder optTemperature(double temperature) {
      this.temperature = temperature;
      return this;
    }

    /** Temperature of the classifier logits (default 1/30). */
    public Builder optSupervisedTemperature(double supervisedTemperature) {
      this.supervisedTemperature = supervisedTemperature;
      return this;
    }

    /** Weight {@code beta} of the contrast terms (default 1). */
    public Builder optContrastWeight(double contrastWeight) {
      this.contrastWeight = contrastWeight;
      return this;
    }

    /** Weight {@code gamma} of the classifier term (default 1). */
    public Builder optSupervisedWeight(double supervisedWeight) {
      this.supervisedWeight = supervisedWeight;
      return this;
    }

    /** Seed of the initial queue features (default 0). */
    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Validates and builds the settings. */
    public Config build() {
      return new Config(
          classCounts,
          featureDim,
          queueSize,
          minPerClass,
          temperature,
          supervisedTemperature,
          contrastWeight,
          supervisedWeight,
          seed);
    }
  }

  private final Config config;
  private final double[] logPrior;
  private final ClassWiseQueue queue;

  /** Creates the loss and its queue (initial contents from the seed). */
  public GmlLoss(Config config) {
    super(LossKind.GML.configName());
    this.config = config;
    this.logPrior = config.logPrior();
    this.queue =
        new ClassWiseQueue(
            config.classCounts(),
            config.queueSize(),
            config.minPerClass(),
            config.featureDim(),
            config.seed());
  }

  /** The settings. */
  public Config config() {
    return config;
  }

  /** The class-wise queue (the loss's state). */
  public ClassWiseQueue queue() {
    return queue;
  }

  /**
   * The GML loss against this loss's queue.
   *
   * @param labels {@code [classes (N), sampleIds (N)]}
   * @param predictions {@code [logits (N, C), queries (N, d), keys (K, d)]}, optionally followed by
   *     {@code logTemperature (1)} to learn the temperature
   * @return scalar
   */
  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    if (labels.size() != 2 || (predictions.size() != 3 && predictions.size() != 4)) {
      throw new IllegalArgumentException(
          "gml: expected labels [classes, sampleIds] and predictions [logits, queries, keys"
              + " (, logTemperature)], got "
              + labels.size()
              + " labels and "
              + predictions.size()
              + " predictions");
    }
    return gml(
        predictions.get(0),
        labels.get(0),
        labels.get(1),
        predictions.get(1),
        predictions.get(2),
        queue.labels(),
        queue.ids(),
        predictions.size() == 4 ? predictions.get(3) : null,
        logPrior,
        config);
  }

  /**
   * The GML loss as a pure function.
   *
   * @param logits classifier logits {@code (N, C)}
   * @param labels {@code (N)} in {@code [0, C-1]}
   * @param sampleIds {@code (N)} sample indices of the queries
   * @param queries {@code (N, d)} query embeddings (unit norm in the reference)
   * @param keys {@code (K, d)} key embeddings of the queue
   * @param keyLabels {@code (K)} class of every key
   * @param keyIds {@code (K)} sample index of every key
   * @param logTemperature {@code (1)} learnable {@code log T}, or {@code null} for the configured
   *     fixed temperature
   * @param logPrior {@code C} values of {@code log(pi_c)}
   * @param config weights and temperatures
   * @return scalar
   */
  public static NDArray gml(
      NDArray logits,
      NDArray labels,
      NDArray sampleIds,
      NDArray queries,
      NDArray keys,
      NDArray keyLabels,
      NDArray keyIds,
      NDArray logTemperature,
      double[] logPrior,
      Config config) {
    long c = LossOps.checkLogits(logits, "gml");
    LossOps.checkColumns("gml", c, logPrior.length, "one per class count");
    LossOps.checkLabels(logits, labels, c - 1, false, "gml");
    long n = logits.getShape().get(0);
    Shape qs = queries.getShape();
    Shape ks = keys.getShape();
    if (qs.dimension() != 2 || qs.get(0) != n || ks.dimension() != 2 || ks.get(1) != qs.get(1)) {
      throw new IllegalArgumentException(
          "gml: queries must be (N=" + n + ", d) and keys (K, d), got " + qs + " and " + ks);
    }
    if (keyLabels.getShape().size() != ks.get(0) || keyIds.getShape().size() != ks.get(0)) {
      throw new IllegalArgumentException(
          "gml: keyLabels and keyIds must have K="
              + ks.get(0)
              + " entries, got "
              + keyLabels.getShape()
              + " and "
              + keyIds.getShape());
    }
    List<NDArray> inputs =
        new ArrayList<>(List.of(logits, labels, sampleIds, queries, keys, keyLabels, keyIds));
    if (logTemperature != null) {
      inputs.add(logTemperature);
    }
    return LossOps.inScope(
        logits,
        scope -> {
          DataType dt = logits.getDataType();
          NDArray prior = LossOps.constant(scope, logPrior, dt).reshape(1, -1);
          NDArray t = LossOps.oneHot(logits, labels);
          NDArray logT =
              logTemperature != null
                  ? logTemperature.toType(dt, false).reshape(1, 1)
                  : scope.create(Math.log(config.temperature())).toType(dt, false).reshape(1, 1);
          NDArray temperature = logT.exp();
          NDArray keyOneHot = keyLabels.reshape(-1).oneHot((int) c, dt); // (K, C)
          NDArray dots = queries.matMul(keys.transpose()); // (N, K)

          NDArray loss = scope.zeros(new Shape(), dt);
          if (config.supervisedWeight() > 0) {
            NDArray sup =
                LossOps.crossEntropyRows(logits.div(config.supervisedTemperature()).add(prior), t)
                    .mean();
            loss = loss.add(sup.mul(config.supervisedWeight()));
          }
          if (config.contrastWeight() > 0) {
            // Term 1: gradient to queries and keys, not to T.
            NDArray all = dots.onesLike();
            NDArray con =
                contrastTerm(dots.div(temperature.stopGradient()), all, keyOneHot, prior, t);
            // Term 2: gradient to T only; a query's own sample is left out.
            NDArray own =
                sampleIds
                    .reshape(-1, 1)
                    .toType(DataType.FLOAT64, false)
                    .eq(keyIds.reshape(1, -1).toType(DataType.FLOAT64, false));
            NDArray others = own.logicalNot().toType(dt, false);
            NDArray conT =
                contrastTerm(dots.stopGradient().div(temperature), others, keyOneHot, prior, t);
            loss = loss.add(con.add(conT).mul(config.contrastWeight()));
          }
          return loss;
        },
        inputs.toArray(new NDArray[0]));
  }

  /**
   * {@code CE(logS + log pi, y)} averaged over queries whose own class has an admissible key, with
   * {@code logS_c = log mean_{k in c, mask} exp(s_k)}; classes without admissible keys are left out
   * of the softmax.
   */
  private static NDArray contrastTerm(
      NDArray scaledDots, NDArray mask, NDArray keyOneHot, NDArray prior, NDArray targets) {
    // The row maximum (detached) keeps exp() in range; it cancels in log-mean-exp.
    NDArray max = scaledDots.max(new int[] {1}, true).stopGradient();
    NDArray sumExp = scaledDots.sub(max).exp().mul(mask).matMul(keyOneHot); // (N, C)
    NDArray count = mask.matMul(keyOneHot); // (N, C)
    NDArray present = count.gt(0).toType(count.getDataType(), false);
    NDArray absent = present.neg().add(1);
    // Empty classes: mean := 1 (finite, no gradient), then pushed out of the softmax.
    NDArray mean = sumExp.div(count.maximum(1)).add(absent);
    NDArray logS = mean.log().add(max).sub(absent.mul(1e30)).add(prior);
    NDArray rowValid = present.mul(targets).sum(new int[] {1});
    NDArray ce = LossOps.crossEntropyRows(logS, targets);
    return ce.mul(rowValid).sum().div(rowValid.sum().maximum(1));
  }

  /** Frees the queue's device memory. */
  @Override
  public void close() {
    queue.close();
  }
}
