package io.longtail.core.classifier;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The De-confound-TDE classifier (Tang, Huang, Zhang: "Long-Tailed Classification by Keeping the
 * Good and Removing the Bad Momentum Causal Effect", NeurIPS 2020) as a DJL block.
 *
 * <p>Parameters: weight {@code W (C, D)}, no bias, trained; moving feature {@code e (D)}, a buffer
 * without gradient that the training forward updates from the foreground rows of each batch and
 * that is saved and loaded with the weight. The forward returns causal-norm logits {@code (N, C)};
 * {@link #tdeLogits} and {@link #backgroundExemptedScores} are the test-time outputs, for any
 * {@code alpha} without retraining. Maths: {@link CausalNorm}.
 *
 * <p>For detection, build with {@link Builder#optBackgroundIndex} set to {@code C - 1} (the label
 * convention puts background last): background rows then leave the moving feature alone and {@link
 * InferenceMode#BACKGROUND_EXEMPT} becomes available.
 */
public final class CausalNormClassifier extends AbstractBlock implements FeatureClassifier {

  private static final byte VERSION = 1;

  private final int numClasses;
  private final int featureDim;
  private final int numHeads;
  private final float tau;
  private final float gamma;
  private final float mu;
  private final float alpha;
  private final int backgroundIndex;
  private final Parameter weight;
  private final Parameter movingFeature;

  private CausalNormClassifier(Builder b) {
    super(VERSION);
    numClasses = b.numClasses;
    featureDim = b.featureDim;
    numHeads = b.numHeads;
    tau = b.tau;
    gamma = b.gamma;
    mu = b.mu;
    alpha = b.alpha;
    backgroundIndex = b.backgroundIndex;
    // The reference initialises W uniformly in +-1/sqrt(D).
    weight =
        addParameter(
            Parameter.builder()
                .setName("weight")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(numClasses, featureDim))
                .optInitializer(new UniformInitializer((float) (1 / Math.sqrt(featureDim))))
                .build());
    movingFeature =
        addParameter(
            Parameter.builder()
                .setName("movingFeature")
                .setType(Parameter.Type.RUNNING_MEAN)
                .optShape(new Shape(featureDim))
                .optRequiresGrad(false)
                .build());
  }

  /** Returns a builder; {@code numClasses} and {@code featureDim} are required. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    NDArray w = ps.getValue(weight, x.getDevice(), training);
    return new NDList(CausalNorm.logits(x, w, numHeads, tau, gamma));
  }

  /**
   * Training forward: logits as {@link #forwardInternal(ParameterStore, NDList, boolean,
   * PairList)}, and, when {@code labels} holds the class indices {@code (N)}, one moving-average
   * step of the moving feature from the foreground rows.
   */
  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList data, NDList labels, PairList<String, Object> params) {
    NDList out = forwardInternal(ps, data, true, params);
    if (labels != null && !labels.isEmpty()) {
      updateMovingFeature(data.singletonOrThrow(), labels.head());
    }
    return out;
  }

  /**
   * One moving-average step {@code e <- mu * e + mean(foreground x)}, in place. Called by the
   * training forward; public for heads that compute features and labels separately.
   *
   * @param features {@code (N, D)}
   * @param labels {@code (N)} class indices; background and ignore ({@code -1}) rows are skipped
   */
  public void updateMovingFeature(NDArray features, NDArray labels) {
    NDArray e = movingFeature.getArray();
    try (NDArray updated =
        CausalNorm.updatedMovingFeature(e, features, labels, backgroundIndex, mu)) {
      // A buffer copy, not an engine operator: in-place operators are refused inside an
      // autograd recording, and the moving feature must stay out of the graph anyway.
      e.set(updated.toByteBuffer());
    }
  }

  @Override
  public NDArray logits(NDArray features) {
    return CausalNorm.logits(features, weight.getArray(), numHeads, tau, gamma);
  }

  /**
   * TDE logits {@code y - y0} for the given strength.
   *
   * @param features {@code (N, D)}
   * @param alpha TDE strength; 0 gives the plain logits
   * @return {@code (N, C)}
   */
  public NDArray tdeLogits(NDArray features, float alpha) {
    return CausalNorm.tdeLogits(
        features, weight.getArray(), movingFeature.getArray(), numHeads, tau, gamma, alpha);
  }

  /**
   * Background-exempted scores (see {@link CausalNorm#backgroundExemptedScores}).
   *
   * @param features {@code (N, D)}
   * @param alpha TDE strength
   * @return {@code (N, C)} scores, background last
   * @throws IllegalStateException if the classifier has no background class
   */
  public NDArray backgroundExemptedScores(NDArray features, float alpha) {
    if (backgroundIndex < 0) {
      throw new IllegalStateException(
          "background-exempted inference needs a background class; build with"
              + " optBackgroundIndex(numClasses - 1)");
    }
    NDList both =
        CausalNorm.logitsAndTdeLogits(
            features, weight.getArray(), movingFeature.getArray(), numHeads, tau, gamma, alpha);
    try (NDArray y = both.get(0);
        NDArray tde = both.get(1)) {
      return CausalNorm.backgroundExemptedScores(y, tde);
    }
  }

  @Override
  public NDArray scores(NDArray features, InferenceMode mode, float alpha) {
    switch (mode) {
      case PLAIN:
        return FeatureClassifier.super.scores(features, mode, alpha);
      case TDE:
        try (NDArray tde = tdeLogits(features, alpha)) {
          return tde.softmax(1);
        }
      case BACKGROUND_EXEMPT:
        return backgroundExemptedScores(features, alpha);
      default:
        throw new IllegalArgumentException("unknown inference mode " + mode);
    }
  }

  /**
   * The alpha that makes {@code alpha * mean(cos(x, e)) = 1} on held-out features.
   *
   * @param features held-out (foreground) features {@code (N, D)}
   * @return the suggested alpha
   */
  public float suggestAlpha(NDArray features) {
    return CausalNorm.suggestAlpha(features, movingFeature.getArray(), numHeads);
  }

  /** The current moving feature {@code e (D)} (the block's own array: do not close it). */
  public NDArray movingFeature() {
    return movingFeature.getArray();
  }

  /** The weight {@code W (C, D)} (the block's own array: do not close it). */
  public NDArray weight() {
    return weight.getArray();
  }

  @Override
  public int numClasses() {
    return numClasses;
  }

  @Override
  public int featureDim() {
    return featureDim;
  }

  /** Number of heads {@code H}. */
  public int numHeads() {
    return numHeads;
  }

  /** The logit scale {@code tau}. */
  public float tau() {
    return tau;
  }

  /** The causal-norm constant {@code gamma}. */
  public float gamma() {
    return gamma;
  }

  /** The moving-average decay {@code mu}. */
  public float mu() {
    return mu;
  }

  /** The default test-time alpha given to the builder. */
  public float defaultAlpha() {
    return alpha;
  }

  /** The background class index, or {@code -1} when there is none. */
  public int backgroundIndex() {
    return backgroundIndex;
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), numClasses)};
  }

  @Override
  protected void saveMetadata(DataOutputStream os) throws IOException {
    saveInputShapes(os);
    os.writeInt(numClasses);
    os.writeInt(featureDim);
    os.writeInt(numHeads);
  }

  @Override
  public void loadMetadata(byte loadVersion, DataInputStream is)
      throws IOException, MalformedModelException {
    if (loadVersion != VERSION) {
      throw new MalformedModelException("unsupported CausalNormClassifier version " + loadVersion);
    }
    readInputShapes(is);
    ClassifierShapes.check(describe(), numClasses, featureDim, is.readInt(), is.readInt());
    int savedHeads = is.readInt();
    if (savedHeads != numHeads) {
      throw new MalformedModelException(
          "saved causal-norm classifier has "
              + savedHeads
              + " heads but "
              + describe()
              + " was built");
    }
  }

  @Override
  public String describe() {
    return String.format(
        "causal-norm(C=%d, D=%d, heads=%d, tau=%s, gamma=%s, mu=%s%s)",
        numClasses,
        featureDim,
        numHeads,
        tau,
        gamma,
        mu,
        backgroundIndex >= 0 ? ", background=" + backgroundIndex : "");
  }

  @Override
  public String toString() {
    return describe();
  }

  /** Builder for {@link CausalNormClassifier}. */
  public static final class Builder {
    private int numClasses = -1;
    private int featureDim = -1;
    private int numHeads = 2;
    private float tau = 16f;
    private float gamma = 1f / 32;
    private float mu = 0.9f;
    private float alpha = 1.5f;
    private int backgroundIndex = -1;

    private Builder() {}

    /** Number of classes {@code C}, background included for detection. Required. */
    public Builder setNumClasses(int numClasses) {
      this.numClasses = numClasses;
      return this;
    }

    /** Feature dimension {@code D}. Required; must be divisible by the number of heads. */
    public Builder setFeatureDim(int featureDim) {
      this.featureDim = featureDim;
      return this;
    }

    /** Number of heads {@code H} (default 2). */
    public Builder optNumHeads(int numHeads) {
      this.numHeads = numHeads;
      return this;
    }

    /** Logit scale {@code tau} (default 16). */
    public Builder optTau(float tau) {
      this.tau = tau;
      return this;
    }

    /** Causal-norm constant {@code gamma} (default 1/32). */
    public Builder optGamma(float gamma) {
      this.gamma = gamma;
      return this;
    }

    /**
     * Moving-average decay {@code mu} in {@code e <- mu * e + mean(x)} (default 0.9; the
     * reference's detection head uses 0.9998 for long schedules).
     */
    public Builder optMu(float mu) {
      this.mu = mu;
      return this;
    }

    /** Default test-time TDE strength {@code alpha} (default 1.5); can be overridden per call. */
    public Builder optAlpha(float alpha) {
      this.alpha = alpha;
      return this;
    }

    /**
     * Background class index for detection; must be {@code numClasses - 1} (background last).
     * Default: none (classification).
     */
    public Builder optBackgroundIndex(int backgroundIndex) {
      this.backgroundIndex = backgroundIndex;
      return this;
    }

    /**
     * Validates the settings and builds the block.
     *
     * @throws IllegalArgumentException naming the first invalid setting
     */
    public CausalNormClassifier build() {
      if (numClasses < 1) {
        throw new IllegalArgumentException("numClasses must be >= 1, got " + numClasses);
      }
      if (featureDim < 1) {
        throw new IllegalArgumentException("featureDim must be >= 1, got " + featureDim);
      }
      if (numHeads < 1 || featureDim % numHeads != 0) {
        throw new IllegalArgumentException(
            "numHeads must be >= 1 and divide featureDim=" + featureDim + ", got " + numHeads);
      }
      if (!(tau > 0) || !Float.isFinite(tau)) {
        throw new IllegalArgumentException("tau must be positive and finite, got " + tau);
      }
      if (!(gamma >= 0) || !Float.isFinite(gamma)) {
        throw new IllegalArgumentException("gamma must be >= 0 and finite, got " + gamma);
      }
      if (!(mu >= 0 && mu <= 1)) {
        throw new IllegalArgumentException("mu must be in [0, 1], got " + mu);
      }
      if (!Float.isFinite(alpha) || alpha < 0) {
        throw new IllegalArgumentException("alpha must be >= 0 and finite, got " + alpha);
      }
      if (backgroundIndex != -1 && backgroundIndex != numClasses - 1) {
        throw new IllegalArgumentException(
            "backgroundIndex must be numClasses - 1 = "
                + (numClasses - 1)
                + " (background last), got "
                + backgroundIndex);
      }
      if (backgroundIndex != -1 && numClasses < 2) {
        throw new IllegalArgumentException(
            "a classifier with background needs numClasses >= 2, got " + numClasses);
      }
      return new CausalNormClassifier(this);
    }
  }
}
