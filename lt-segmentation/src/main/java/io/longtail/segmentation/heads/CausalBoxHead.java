package io.longtail.segmentation.heads;

import ai.djl.ndarray.NDArray;
import io.longtail.core.classifier.InferenceMode;
import io.longtail.detection.config.BoxHeadKind;
import io.longtail.detection.config.ClassifierConfig;
import io.longtail.detection.config.ClassifierKind;
import io.longtail.detection.config.RoiHeadsConfig;
import io.longtail.detection.modeling.BoxCoder;
import io.longtail.detection.roiheads.FastRcnnInference;
import io.longtail.detection.roiheads.RoiBoxHead;
import io.longtail.detection.structures.ImageDetections;

/**
 * The causal-norm ROI box head (De-confound-TDE, Tang et al., NeurIPS 2020) for projects that build
 * their own detector: a builder for the head and the two test-time steps, with the tensors that go
 * in and out.
 *
 * <h2>Label convention</h2>
 *
 * Foreground classes are {@code 0 .. K-1}, background is {@code K} (the last column of every {@code
 * K + 1} score row), ignore is {@code -1}.
 *
 * <h2>Training</h2>
 *
 * <pre>{@code
 * RoiBoxHead head = CausalBoxHead.builder().setNumForeground(k).build();
 * head.initialize(manager, DataType.FLOAT32, new Shape(1, 256, 7, 7));
 * // pooled: (R, C, 7, 7) ROIAlign features of the sampled ROIs; labels: (R) int32, 0..K
 * NDList out = head.forward(ps, new NDList(pooled), new NDList(labels), null);
 * // out: logits (R, K + 1), deltas (R, 4K) (or (R, 4) class-agnostic), box features (R, fcDim)
 * }</pre>
 *
 * The labels are needed in the forward: the causal-norm classifier updates its moving feature
 * {@code e <- mu e + mean(x over foreground rows)} there (a buffer, saved with the parameters).
 * Train the logits with softmax cross-entropy and the deltas with an L1 loss on the foreground
 * rows, as {@link io.longtail.detection.roiheads.FastRcnnLosses} does.
 *
 * <h2>Inference</h2>
 *
 * <pre>{@code
 * NDList out = head.forward(ps, new NDList(pooled), false);      // no labels
 * NDArray scores = CausalBoxHead.scores(head, out.get(2), InferenceMode.BACKGROUND_EXEMPT, 1.5f);
 * // scores: (R, K + 1) probabilities, background last
 * ImageDetections d = CausalBoxHead.detect(scores.toFloatArray(), out.get(1).toFloatArray(),
 *     proposals, k, geometry, settings);
 * }</pre>
 *
 * Background-exempted scores keep each ROI's foreground/background split of the plain softmax and
 * de-bias only the split among foreground classes with TDE ({@code alpha} sets the strength and can
 * change after training without retraining).
 */
public final class CausalBoxHead {
  private CausalBoxHead() {}

  /** A builder with detectron2's box head sizes and the paper's causal-norm settings. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Test-time class scores from the head's box features.
   *
   * @param head the head
   * @param boxFeatures {@code (R, fcDim)}: output 2 of the head's forward
   * @param mode {@link InferenceMode#PLAIN} (softmax), {@link InferenceMode#TDE} (softmax of the
   *     TDE logits) or {@link InferenceMode#BACKGROUND_EXEMPT} (the detection default)
   * @param alpha TDE strength (ignored by PLAIN)
   * @return {@code (R, K + 1)} scores, background last, attached to the features' manager
   */
  public static NDArray scores(
      RoiBoxHead head, NDArray boxFeatures, InferenceMode mode, float alpha) {
    return head.classifier().scores(boxFeatures, mode, alpha);
  }

  /**
   * Detections of one image from its scores and deltas: per-class boxes decoded with the ROI head's
   * box coder (weights 10, 10, 5, 5), score threshold, class-aware NMS, cap, and mapping back to
   * the original image ({@link FastRcnnInference#detect}).
   *
   * @param scores {@code R x (K + 1)} row-major scores
   * @param deltas {@code R x 4K} (or {@code R x 4}) row-major deltas
   * @param proposals {@code R} proposal boxes {@code (x1, y1, x2, y2)} in resized-image pixels
   * @param numForeground {@code K}
   * @param geometry the image's id, resized size and scale
   * @param settings score threshold, NMS IoU, cap
   * @return detections in original-image pixels, classes in {@code 0 .. K-1}
   */
  public static ImageDetections detect(
      float[] scores,
      float[] deltas,
      float[] proposals,
      int numForeground,
      FastRcnnInference.ImageGeometry geometry,
      FastRcnnInference.Settings settings) {
    return FastRcnnInference.detect(
        scores, deltas, proposals, numForeground, BoxCoder.roiHead(), geometry, settings);
  }

  /** Builds a {@link RoiBoxHead} with a causal-norm classifier. */
  public static final class Builder {
    private int numForeground;
    private int fcDim = 1024;
    private int numHeads = 2;
    private float tau = 16f;
    private float gamma = 1f / 32;
    private float mu = 0.9f;
    private float alpha = 1.5f;
    private boolean classAgnostic;

    private Builder() {}

    /** Number of foreground classes {@code K} (required, {@code >= 1}). */
    public Builder setNumForeground(int numForeground) {
      this.numForeground = numForeground;
      return this;
    }

    /** Width of the two fully connected layers (default 1024). */
    public Builder optFcDim(int fcDim) {
      this.fcDim = fcDim;
      return this;
    }

    /** Causal-norm heads; must divide {@code fcDim} (default 2). */
    public Builder optNumHeads(int numHeads) {
      this.numHeads = numHeads;
      return this;
    }

    /** Logit scale (default 16). */
    public Builder optTau(float tau) {
      this.tau = tau;
      return this;
    }

    /** Weight-norm constant (default 1/32). */
    public Builder optGamma(float gamma) {
      this.gamma = gamma;
      return this;
    }

    /** Moving-average decay of the moving feature (default 0.9). */
    public Builder optMu(float mu) {
      this.mu = mu;
      return this;
    }

    /** Default TDE strength stored with the head (default 1.5). */
    public Builder optAlpha(float alpha) {
      this.alpha = alpha;
      return this;
    }

    /** One box per ROI instead of one per class (default false). */
    public Builder optClassAgnosticBoxRegression(boolean classAgnostic) {
      this.classAgnostic = classAgnostic;
      return this;
    }

    /**
     * The head.
     *
     * @throws IllegalArgumentException naming the setting when one is invalid
     */
    public RoiBoxHead build() {
      if (numForeground < 1) {
        throw new IllegalArgumentException("numForeground must be >= 1, got " + numForeground);
      }
      ClassifierConfig classifier =
          new ClassifierConfig(ClassifierKind.CAUSAL_NORM, numHeads, tau, gamma, mu, alpha, null);
      RoiHeadsConfig config =
          new RoiHeadsConfig(
              BoxHeadKind.SHARED_2FC,
              fcDim,
              null,
              null,
              null,
              null,
              null,
              null,
              classifier,
              classAgnostic,
              null,
              null,
              null);
      return new RoiBoxHead(config, numForeground);
    }
  }
}
