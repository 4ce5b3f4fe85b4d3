package io.longtail.core.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Seesaw loss (Wang et al., "Seesaw Loss for Long-Tailed Instance Segmentation", CVPR 2021), as in
 * mmdetection's {@code SeesawLoss}. For a row of class {@code i}, every other logit {@code z_j} is
 * shifted by {@code log S_ij} before the softmax cross-entropy, with {@code S_ij = M_ij * C_ij}:
 *
 * <ul>
 *   <li>mitigation {@code M_ij = (N_j / N_i)^p} when {@code N_j < N_i}, else 1, from the
 *       accumulated counts {@code N} of every class (clamped below at 1) — the loss's state;
 *   <li>compensation {@code C_ij = (s_j / s_i)^q} when {@code s_j > s_i}, else 1, from the
 *       predicted probabilities {@code s = softmax(z)} (detached: no gradient flows through {@code
 *       S}) with {@code s_i} clamped below at {@code eps}.
 * </ul>
 *
 * With {@code p = q = 0} every factor is 1 and the loss is plain cross-entropy.
 *
 * <p><b>Branches.</b> {@link Branches#CLASSES}: logits {@code (N, K)}, labels in {@code [-1, K-1]},
 * the mean of the Seesaw cross-entropy over non-ignored rows (mmdetection's {@code seesaw_ce_loss}
 * with mean reduction). {@link Branches#CLASSES_AND_OBJECTNESS} (mmdetection's detection head):
 * logits {@code (N, K + 2)} = {@code K} class columns then two objectness columns (object,
 * background); labels in {@code [-1, K]} with {@code K} = background. The loss is {@code (sum over
 * foreground rows of the Seesaw CE on the class columns + sum over all rows of the CE of the
 * objectness columns against "is background") / number of non-ignored rows}: both branches divided
 * by the same count, as mmdetection's bbox head does by passing the number of sampled ROIs as
 * {@code avg_factor}. mmdetection returns the two terms separately; here they are added. Test
 * scores: {@code softmax(classes) * P(object)} and {@code P(background)} ({@link #scores}).
 *
 * <p><b>State.</b> The accumulated counts {@code N} ({@code K + 1} entries, background last) are
 * updated in {@link #evaluate}, the training forward, from the batch's labels <em>before</em> the
 * loss is computed, as in mmdetection. {@link #lossValue} computes the loss for the current counts
 * without touching them; DJL's evaluator accumulators ({@link #updateAccumulators}) use it, so
 * logging the training loss does not count a batch twice. {@link #cumulativeSamples}, {@link
 * #restoreCumulativeSamples}, {@link #saveState} and {@link #loadState} carry the counts through
 * checkpoints. Not thread-safe.
 */
public final class SeesawLoss extends Loss {

  private static final byte STATE_VERSION = 1;

  /** Which branches the head has. */
  public enum Branches {
    /** Class columns only ({@code K} logits, no background). */
    CLASSES,
    /** Class columns plus a two-way objectness softmax ({@code K + 2} logits). */
    CLASSES_AND_OBJECTNESS
  }

  /**
   * Seesaw settings.
   *
   * @param numClasses foreground classes {@code K >= 1}
   * @param p mitigation exponent, {@code >= 0} (0.8)
   * @param q compensation exponent, {@code >= 0} (2.0)
   * @param eps lower clamp of the true-class probability in the compensation ratio, {@code > 0}
   *     (0.01)
   * @param branches class columns only, or with the objectness branch
   */
  public record Config(int numClasses, double p, double q, double eps, Branches branches)
      implements LossConfig {
    /** Validates the settings. */
    public Config {
      if (numClasses < 1) {
        throw new IllegalArgumentException("numClasses must be >= 1, got " + numClasses);
      }
      LossOps.checkRange("p", p, 0, Double.MAX_VALUE);
      LossOps.checkRange("q", q, 0, Double.MAX_VALUE);
      if (!(eps > 0) || !Double.isFinite(eps)) {
        throw new IllegalArgumentException("eps must be positive and finite, got " + eps);
      }
      if (branches == null) {
        throw new IllegalArgumentException(
            "branches must be CLASSES or CLASSES_AND_OBJECTNESS, got null");
      }
    }

    /** A builder with mmdetection's defaults ({@code p = 0.8, q = 2, eps = 0.01}, classes only). */
    public static Builder builder(int numClasses) {
      return new Builder(numClasses);
    }

    /** Number of logit columns the head must produce. */
    public int logitColumns() {
      return branches == Branches.CLASSES ? numClasses : numClasses + 2;
    }

    @Override
    public LossKind kind() {
      return LossKind.SEESAW;
    }

    @Override
    public HeadActivation headActivation() {
      return HeadActivation.SOFTMAX;
    }

    @Override
    public SeesawLoss create() {
      return new SeesawLoss(this);
    }
  }

  /** Builder for {@link Config}. */
  public static final class Builder {
    private final int numClasses;
    private double p = 0.8;
    private double q = 2.0;
    private double eps = 1e-2;
    private Branches branches = Branches.CLASSES;

    private Builder(int numClasses) {
      this.numClasses = numClasses;
    }

    /** Mitigation exponent (default 0.8). */
    public Builder optP(double p) {
      this.p = p;
      return this;
    }

    /** Compensation exponent (default 2.0). */
    public Builder optQ(double q) {
      this.q = q;
      return this;
    }

    /** Clamp of the true-class probability (default 0.01). */
    public Builder optEps(double eps) {
      this.eps = eps;
      return this;
    }

    /** Branches (default {@link Branches#CLASSES}). */
    public Builder optBranches(Branches branches) {
      this.branches = branches;
      return this;
    }

    /** Validates and builds the settings. */
    public Config build() {
      return new Config(numClasses, p, q, eps, branches);
    }
  }

  private final Config config;
  private final long[] cumulative;
  private final Map<String, Double> totals = new HashMap<>();

  /** Creates the loss with all counts at zero. */
  public SeesawLoss(Config config) {
    super(LossKind.SEESAW.configName());
    this.config = config;
    this.cumulative = new long[config.numClasses() + 1];
  }

  /** The settings. */
  public Config config() {
    return config;
  }

  /**
   * Training forward: adds the batch's labels to the accumulated counts, then returns {@link
   * #lossValue}.
   *
   * @param labels {@code [classes (N)]}
   * @param predictions {@code [logits]}, see the class documentation for the shapes
   */
  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    NDArray logits = predictions.head();
    NDArray y = labels.head();
    check(logits, y);
    accumulate(y);
    return compute(logits, y);
  }

  /**
   * The loss for the current counts, without updating them (validation, logging).
   *
   * @param labels {@code [classes (N)]}
   * @param predictions {@code [logits]}
   * @return scalar
   */
  public NDArray lossValue(NDList labels, NDList predictions) {
    NDArray logits = predictions.head();
    NDArray y = labels.head();
    check(logits, y);
    return compute(logits, y);
  }

  private void check(NDArray logits, NDArray labels) {
    long cols = LossOps.checkLogits(logits, "seesaw");
    LossOps.checkColumns("seesaw", cols, config.logitColumns(), "branches " + config.branches());
    int maxLabel =
        config.branches() == Branches.CLASSES ? config.numClasses() - 1 : config.numClasses();
    LossOps.checkLabels(logits, labels, maxLabel, false, "seesaw");
  }

  private void accumulate(NDArray labels) {
    try (NDArray ints = labels.toType(DataType.INT32, true)) {
      for (int label : ints.toIntArray()) {
        if (label >= 0) {
          cumulative[label]++;
        }
      }
    }
  }

  private NDArray compute(NDArray logits, NDArray labels) {
    int k = config.numClasses();
    double[] counts = new double[k];
    for (int i = 0; i < k; i++) {
      counts[i] = cumulative[i];
    }
    if (config.branches() == Branches.CLASSES) {
      return seesawCrossEntropy(logits, labels, counts, config.p(), config.q(), config.eps());
    }
    return LossOps.inScope(
        logits,
        scope -> {
          DataType dt = logits.getDataType();
          NDArray classLogits = logits.get(new NDIndex(":, :{}", k));
          NDArray objLogits = logits.get(new NDIndex(":, {}:", k));
          NDArray y = LossOps.labelValues(logits, labels);
          NDArray valid = y.gte(0).toType(dt, false);
          NDArray isBackground = y.eq(k).toType(dt, false);
          NDArray foreground = valid.sub(isBackground);
          // Seesaw CE per row on the class columns; background rows (label K) have a zero
          // one-hot row and are masked out.
          NDArray classRows =
              seesawRows(classLogits, y.mul(foreground).add(foreground.sub(1)), counts, config)
                  .mul(foreground);
          // Objectness: column 0 = object, column 1 = background.
          NDArray objTargets =
              NDArrays.stack(new NDList(isBackground.neg().add(1), isBackground), 1);
          NDArray objRows = LossOps.crossEntropyRows(objLogits, objTargets).mul(valid);
          return classRows.add(objRows).sum().div(valid.sum().maximum(1));
        },
        logits,
        labels);
  }

  /**
   * mmdetection's {@code seesaw_ce_loss} with mean reduction: the Seesaw cross-entropy averaged
   * over non-ignored rows.
   *
   * @param logits {@code (N, K)} class logits
   * @param labels {@code (N)} in {@code [-1, K-1]}
   * @param cumulativeSamples accumulated count per class, {@code K} values (already including this
   *     batch when it is a training step)
   * @param p mitigation exponent
   * @param q compensation exponent
   * @param eps clamp of the true-class probability
   * @return scalar
   */
  public static NDArray seesawCrossEntropy(
      NDArray logits, NDArray labels, double[] cumulativeSamples, double p, double q, double eps) {
    long k = LossOps.checkLogits(logits, "seesaw");
    LossOps.checkColumns("seesaw", k, cumulativeSamples.length, "one per class count");
    LossOps.checkLabels(logits, labels, k - 1, false, "seesaw");
    Config c = new Config((int) k, p, q, eps, Branches.CLASSES); // validates the hyper-parameters
    return LossOps.inScope(
        logits,
        scope ->
            LossOps.meanOverValid(
                seesawRows(logits, LossOps.labelValues(logits, labels), cumulativeSamples, c),
                LossOps.indexValidRows(logits, labels)),
        logits,
        labels);
  }

  /** Per-row Seesaw CE {@code (N)}; rows with label -1 give 0 (zero one-hot row). */
  private static NDArray seesawRows(
      NDArray logits, NDArray labelValues, double[] counts, Config config) {
    DataType dt = logits.getDataType();
    int k = (int) logits.getShape().get(1);
    NDArray t = labelValues.oneHot(k, dt);
    NDArray notT = t.neg().add(1);
    NDArray logS = logits.zerosLike();
    if (config.p() > 0) {
      NDArray n = LossOps.constant(logits.getManager(), counts, dt).maximum(1);
      NDArray nSelf = t.mul(n).sum(new int[] {1}, true).maximum(1); // N_i per row (1 if ignored)
      NDArray ratio = n.reshape(1, -1).div(nSelf);
      // log M_ij = p log(N_j / N_i) where N_j < N_i, else 0
      logS = logS.add(NDArrays.where(ratio.lt(1), ratio.log().mul(config.p()), ratio.zerosLike()));
    }
    if (config.q() > 0) {
      NDArray s = logits.stopGradient().softmax(1);
      NDArray sSelf = s.mul(t).sum(new int[] {1}, true).maximum(config.eps());
      NDArray ratio = s.div(sSelf);
      // log C_ij = q log(s_j / s_i) where s_j > s_i, else 0
      logS = logS.add(NDArrays.where(ratio.gt(1), ratio.log().mul(config.q()), ratio.zerosLike()));
    }
    return LossOps.crossEntropyRows(logits.add(logS.mul(notT)), t);
  }

  /**
   * Test-time scores for the {@link Branches#CLASSES_AND_OBJECTNESS} head: {@code softmax(classes)
   * * P(object)} for the {@code K} classes and {@code P(background)} last, as mmdetection's {@code
   * get_activation}.
   *
   * @param logits {@code (N, K + 2)}
   * @return {@code (N, K + 1)} scores, background last; rows sum to 1
   */
  public static NDArray scores(NDArray logits) {
    long cols = LossOps.checkLogits(logits, "seesaw scores");
    if (cols < 3) {
      throw new IllegalArgumentException(
          "seesaw scores need K + 2 >= 3 logit columns, got " + cols);
    }
    long k = cols - 2;
    return LossOps.inScope(
        logits,
        scope -> {
          NDArray classes = logits.get(new NDIndex(":, :{}", k)).softmax(1);
          NDArray obj = logits.get(new NDIndex(":, {}:", k)).softmax(1);
          NDArray fg = classes.mul(obj.get(new NDIndex(":, 0:1")));
          return fg.concat(obj.get(new NDIndex(":, 1:2")), 1);
        },
        logits);
  }

  /** A copy of the accumulated counts, {@code K + 1} entries with background last. */
  public long[] cumulativeSamples() {
    return cumulative.clone();
  }

  /**
   * Replaces the accumulated counts (e.g. from a checkpoint).
   *
   * @param counts {@code K + 1} non-negative counts, background last
   */
  public void restoreCumulativeSamples(long[] counts) {
    if (counts.length != cumulative.length) {
      throw new IllegalArgumentException(
          "counts must have numClasses + 1 = "
              + cumulative.length
              + " entries, got "
              + counts.length);
    }
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] < 0) {
        throw new IllegalArgumentException("counts[" + i + "] must be >= 0, got " + counts[i]);
      }
    }
    System.arraycopy(counts, 0, cumulative, 0, counts.length);
  }

  /** Writes the accumulated counts (version, length, counts). */
  public void saveState(DataOutputStream os) throws IOException {
    os.writeByte(STATE_VERSION);
    os.writeInt(cumulative.length);
    for (long c : cumulative) {
      os.writeLong(c);
    }
  }

  /**
   * Reads counts written by {@link #saveState}.
   *
   * @throws IOException on a bad version or a class-count mismatch
   */
  public void loadState(DataInputStream is) throws IOException {
    byte version = is.readByte();
    if (version != STATE_VERSION) {
      throw new IOException("unsupported seesaw state version " + version);
    }
    int n = is.readInt();
    if (n != cumulative.length) {
      throw new IOException(
          "saved seesaw state has " + n + " counts, this loss needs " + cumulative.length);
    }
    long[] counts = new long[n];
    for (int i = 0; i < n; i++) {
      counts[i] = is.readLong();
    }
    try {
      restoreCumulativeSamples(counts);
    } catch (IllegalArgumentException e) {
      throw new IOException("invalid saved seesaw state: " + e.getMessage(), e);
    }
  }

  @Override
  public void addAccumulator(String key) {
    totalInstances.put(key, 0L);
    totals.put(key, 0.0);
  }

  @Override
  public void updateAccumulator(String key, NDList labels, NDList predictions) {
    updateAccumulators(new String[] {key}, labels, predictions);
  }

  /** Accumulates {@link #lossValue} (the counts are left alone). */
  @Override
  public void updateAccumulators(String[] keys, NDList labels, NDList predictions) {
    double value;
    try (NDArray loss = lossValue(labels, predictions);
        NDArray wide = loss.toType(DataType.FLOAT64, true)) {
      value = wide.getDouble();
    }
    for (String key : keys) {
      totalInstances.compute(key, (k, v) -> v == null ? 1L : v + 1);
      totals.compute(key, (k, v) -> v == null ? value : v + value);
    }
  }

  @Override
  public void resetAccumulator(String key) {
    addAccumulator(key);
  }

  @Override
  public float getAccumulator(String key) {
    Long n = totalInstances.get(key);
    if (n == null) {
      throw new IllegalArgumentException("no seesaw accumulator named " + key);
    }
    return n == 0 ? Float.NaN : (float) (totals.get(key) / n);
  }

  @Override
  public String toString() {
    return "seesaw(" + config + ", counts=" + Arrays.toString(cumulative) + ")";
  }
}
