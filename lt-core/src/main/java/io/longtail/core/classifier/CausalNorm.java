package io.longtail.core.classifier;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The maths of the causal-norm classifier and TDE inference (De-confound-TDE, Tang et al., NeurIPS
 * 2020), as pure functions over NDArrays. The formulas are those of {@code shared/DESIGN.md}; every
 * vector of length {@code D} is split into {@code H} chunks of {@code D/H} and each chunk is
 * normalised on its own.
 *
 * <p>All functions are side-effect free: the caller owns (and closes) inputs and outputs.
 */
public final class CausalNorm {

  /**
   * Added to feature and moving-feature norms so that zero rows give finite outputs. The detection
   * reference adds the same 1e-9; the classification reference adds nothing, which changes results
   * by less than 1e-7 relative for features of norm above 1e-2.
   */
  public static final float FEATURE_EPSILON = 1e-9f;

  /** Added to both sides of the foreground split in background-exempted inference. */
  public static final float EXEMPT_EPSILON = 1e-10f;

  private CausalNorm() {}

  /**
   * Causal-norm weights {@code w~ = w / (||w|| + gamma)} per head chunk.
   *
   * @param weight {@code (C, D)}
   * @param numHeads {@code H}, dividing {@code D}
   * @param gamma the causal-norm constant (1/32 in the paper)
   * @return {@code (C, D)}
   */
  public static NDArray normalizedWeight(NDArray weight, int numHeads, float gamma) {
    return normalizeChunks(weight, numHeads, gamma);
  }

  /**
   * Unit-normalised feature chunks {@code x^ = x / (||x|| + 1e-9)}.
   *
   * @param features {@code (N, D)}
   * @param numHeads {@code H}, dividing {@code D}
   * @return {@code (N, D)}
   */
  public static NDArray normalizedFeatures(NDArray features, int numHeads) {
    return normalizeChunks(features, numHeads, FEATURE_EPSILON);
  }

  /**
   * Causal-norm logits {@code y = (tau / H) * sum_h x^_h . w~_h}.
   *
   * @param features {@code (N, D)}
   * @param weight {@code (C, D)}
   * @param numHeads {@code H}
   * @param tau the logit scale (16 in the paper)
   * @param gamma the causal-norm constant (1/32 in the paper)
   * @return logits {@code (N, C)}
   */
  public static NDArray logits(
      NDArray features, NDArray weight, int numHeads, float tau, float gamma) {
    checkShapes(features, weight, numHeads);
    try (NDManager scope = features.getManager().newSubManager()) {
      NDArray x = normalizedFeatures(features, numHeads);
      NDArray w = normalizedWeight(weight, numHeads, gamma);
      x.attach(scope);
      w.attach(scope);
      NDArray y = x.matMul(w.transpose()).mul(tau / numHeads);
      y.attach(features.getManager());
      return y;
    }
  }

  /**
   * The counterfactual term {@code y0 = (tau / H) * sum_h alpha * cos_h * (e^_h . w~_h)} with
   * {@code cos_h = x^_h . e^_h}: the part of the logits caused by the moving-average feature
   * direction, which TDE removes.
   *
   * @param features {@code (N, D)}
   * @param weight {@code (C, D)}
   * @param movingFeature {@code (D)} or {@code (1, D)}
   * @param numHeads {@code H}
   * @param tau the logit scale
   * @param gamma the causal-norm constant
   * @param alpha the TDE strength (test time only)
   * @return {@code (N, C)}
   */
  public static NDArray counterfactualLogits(
      NDArray features,
      NDArray weight,
      NDArray movingFeature,
      int numHeads,
      float tau,
      float gamma,
      float alpha) {
    checkShapes(features, weight, numHeads);
    checkMovingFeature(features, movingFeature);
    NDManager out = features.getManager();
    try (NDManager scope = out.newSubManager()) {
      NDArray x = normalizedFeatures(features, numHeads);
      NDArray w = normalizedWeight(weight, numHeads, gamma);
      x.attach(scope);
      w.attach(scope);
      NDArray y0 = counterfactual(x, w, movingFeature, numHeads, tau, alpha, scope);
      y0.attach(out);
      return y0;
    }
  }

  /**
   * Plain and TDE logits together, normalising features and weights once (what background-exempted
   * inference needs: about half the cost of computing them apart).
   *
   * @return {@code [y, y - y0]}, both {@code (N, C)}, attached to the features' manager
   * @see #counterfactualLogits
   */
  public static NDList logitsAndTdeLogits(
      NDArray features,
      NDArray weight,
      NDArray movingFeature,
      int numHeads,
      float tau,
      float gamma,
      float alpha) {
    checkShapes(features, weight, numHeads);
    checkMovingFeature(features, movingFeature);
    NDManager out = features.getManager();
    try (NDManager scope = out.newSubManager()) {
      NDArray x = normalizedFeatures(features, numHeads);
      NDArray w = normalizedWeight(weight, numHeads, gamma);
      x.attach(scope);
      w.attach(scope);
      NDArray y = x.matMul(w.transpose()).mul(tau / numHeads);
      NDArray tde = y.sub(counterfactual(x, w, movingFeature, numHeads, tau, alpha, scope));
      y.attach(out);
      tde.attach(out);
      return new NDList(y, tde);
    }
  }

  /** {@code y0} from normalised features and weights; intermediates in {@code scope}. */
  private static NDArray counterfactual(
      NDArray x,
      NDArray w,
      NDArray movingFeature,
      int numHeads,
      float tau,
      float alpha,
      NDManager scope) {
    long d = x.getShape().get(1);
    long chunk = d / numHeads;
    NDArray e = normalizedFeatures(scoped(movingFeature.reshape(1, d), scope), numHeads);
    e.attach(scope);
    NDArray eChunks = e.reshape(1, numHeads, chunk);
    // cos_h (N, H) and e^_h . w~_h (C, H): y0 is one (N, H) x (H, C) product.
    NDArray cos = x.reshape(-1, numHeads, chunk).mul(eChunks).sum(new int[] {2});
    NDArray ew = w.reshape(-1, numHeads, chunk).mul(eChunks).sum(new int[] {2});
    return cos.matMul(ew.transpose()).mul(alpha * tau / numHeads);
  }

  private static void checkMovingFeature(NDArray features, NDArray movingFeature) {
    long d = features.getShape().get(1);
    if (movingFeature.getShape().size() != d) {
      throw new IllegalArgumentException(
          "movingFeature must have " + d + " elements, got shape " + movingFeature.getShape());
    }
  }

  /**
   * Total-direct-effect logits {@code y - y0}.
   *
   * @see #counterfactualLogits
   * @return {@code (N, C)}
   */
  public static NDArray tdeLogits(
      NDArray features,
      NDArray weight,
      NDArray movingFeature,
      int numHeads,
      float tau,
      float gamma,
      float alpha) {
    // Out-of-place arithmetic throughout this class: MXNet refuses in-place operators while
    // autograd records, and these functions run inside training steps.
    NDList both = logitsAndTdeLogits(features, weight, movingFeature, numHeads, tau, gamma, alpha);
    both.get(0).close();
    return both.get(1);
  }

  /**
   * Background-exempted scores: {@code p = softmax(logits)}, {@code q = softmax(tdeLogits)}, {@code
   * s_bg = p_bg} and {@code s_k = (sum_fg p) * (q_k + 1e-10) / (sum_fg q + 1e-10)}. The
   * foreground/background ratio of every row is that of the plain classifier; only the split among
   * foreground classes is de-biased.
   *
   * @param logits plain logits {@code (N, K + 1)}, background last
   * @param tdeLogits TDE logits of the same shape
   * @return scores {@code (N, K + 1)}, background last; each row sums to 1 up to 1e-10 terms
   */
  public static NDArray backgroundExemptedScores(NDArray logits, NDArray tdeLogits) {
    if (!logits.getShape().equals(tdeLogits.getShape()) || logits.getShape().dimension() != 2) {
      throw new IllegalArgumentException(
          "logits and tdeLogits must be (N, C) of the same shape, got "
              + logits.getShape()
              + " and "
              + tdeLogits.getShape());
    }
    long c = logits.getShape().get(1);
    if (c < 2) {
      throw new IllegalArgumentException("need at least one foreground class and background");
    }
    NDManager out = logits.getManager();
    try (NDManager scope = out.newSubManager()) {
      NDArray p = logits.softmax(1);
      NDArray q = tdeLogits.softmax(1);
      p.attach(scope);
      q.attach(scope);
      NDIndex fg = new NDIndex(":, :{}", c - 1);
      NDIndex bg = new NDIndex(":, {}:", c - 1);
      NDArray fgP = p.get(fg).sum(new int[] {1}, true);
      NDArray qFg = q.get(fg);
      NDArray fgQ = qFg.sum(new int[] {1}, true);
      NDArray fgScores = qFg.add(EXEMPT_EPSILON).div(fgQ.add(EXEMPT_EPSILON)).mul(fgP);
      NDArray scores = fgScores.concat(p.get(bg), 1);
      scores.attach(out);
      return scores;
    }
  }

  /**
   * One moving-average step {@code e <- mu * e + mean(x over foreground rows)}. Foreground means
   * {@code label >= 0 && label != backgroundIndex} (the reference code tests {@code label > 0},
   * which with background last drops class 0 and keeps background rows: not copied). Without
   * foreground rows the feature is returned unchanged.
   *
   * @param movingFeature current {@code e}, {@code (D)}
   * @param features {@code (N, D)}; gradients are not tracked through the result
   * @param labels {@code (N)} class indices (any numeric type)
   * @param backgroundIndex the background class index, or {@code -1} when there is none
   * @param mu the decay applied to the old value
   * @return the new moving feature {@code (D)}, a new array
   */
  public static NDArray updatedMovingFeature(
      NDArray movingFeature, NDArray features, NDArray labels, int backgroundIndex, float mu) {
    long n = features.getShape().get(0);
    if (labels.getShape().size() != n) {
      throw new IllegalArgumentException(
          "labels must have one entry per feature row (" + n + "), got " + labels.getShape());
    }
    NDManager out = movingFeature.getManager();
    try (NDManager scope = features.getManager().newSubManager()) {
      NDArray x = scoped(features.stopGradient(), scope);
      NDArray l = scoped(labels.reshape(n), scope).toType(DataType.FLOAT32, false);
      NDArray mask = l.gte(0f);
      if (backgroundIndex >= 0) {
        mask = mask.logicalAnd(l.neq((float) backgroundIndex));
      }
      NDArray weights = mask.toType(x.getDataType(), false);
      float count = weights.sum().getFloat();
      if (count == 0f) {
        return movingFeature.duplicate();
      }
      NDArray mean = x.mul(weights.reshape(n, 1)).sum(new int[] {0}).div(count);
      NDArray old = scoped(movingFeature.reshape(mean.getShape()), scope);
      NDArray updated = old.mul(mu).add(mean).reshape(movingFeature.getShape());
      updated.attach(out);
      return updated;
    }
  }

  /**
   * Mean cosine between feature chunks and the moving-feature direction, {@code mean_{n,h}
   * cos_h(x_n)}, over the given rows.
   *
   * @param features {@code (N, D)}
   * @param movingFeature {@code (D)}
   * @param numHeads {@code H}
   * @return the mean cosine
   */
  public static float meanCosine(NDArray features, NDArray movingFeature, int numHeads) {
    long d = features.getShape().get(1);
    try (NDManager scope = features.getManager().newSubManager()) {
      NDArray x = normalizedFeatures(features, numHeads);
      NDArray e = normalizedFeatures(scoped(movingFeature.reshape(1, d), scope), numHeads);
      x.attach(scope);
      long chunk = d / numHeads;
      return x.reshape(-1, numHeads, chunk)
          .mul(e.reshape(1, numHeads, chunk))
          .sum(new int[] {2})
          .mean()
          .getFloat();
    }
  }

  /**
   * The alpha that makes {@code alpha * mean(cos) = 1} on held-out features: a sensible default TDE
   * strength when no validation search is run.
   *
   * @param features held-out features {@code (N, D)}, ideally foreground only
   * @param movingFeature {@code (D)}
   * @param numHeads {@code H}
   * @return {@code 1 / mean(cos)}
   * @throws IllegalArgumentException if the mean cosine is not positive (no useful alpha)
   */
  public static float suggestAlpha(NDArray features, NDArray movingFeature, int numHeads) {
    float meanCos = meanCosine(features, movingFeature, numHeads);
    if (!(meanCos > 1e-6f)) {
      throw new IllegalArgumentException(
          "mean cosine between features and the moving feature must be positive to suggest an"
              + " alpha, got "
              + meanCos);
    }
    return 1f / meanCos;
  }

  private static NDArray normalizeChunks(NDArray rows, int numHeads, float epsilon) {
    Shape shape = rows.getShape();
    if (shape.dimension() != 2 || shape.get(1) % numHeads != 0) {
      throw new IllegalArgumentException(
          "expected (N, D) with D divisible by numHeads=" + numHeads + ", got " + shape);
    }
    try (NDManager scope = rows.getManager().newSubManager()) {
      NDArray chunks = scoped(rows.reshape(shape.get(0), numHeads, shape.get(1) / numHeads), scope);
      NDArray norms = chunks.norm(new int[] {2}, true).add(epsilon);
      NDArray normalized = chunks.div(norms).reshape(shape);
      normalized.attach(rows.getManager());
      return normalized;
    }
  }

  /** Moves an array made from a caller's array (a view, a copy) into a scope that closes it. */
  private static NDArray scoped(NDArray array, NDManager scope) {
    array.attach(scope);
    return array;
  }

  private static void checkShapes(NDArray features, NDArray weight, int numHeads) {
    Shape fs = features.getShape();
    Shape ws = weight.getShape();
    if (fs.dimension() != 2 || ws.dimension() != 2 || fs.get(1) != ws.get(1)) {
      throw new IllegalArgumentException(
          "features (N, D) and weight (C, D) must share D, got " + fs + " and " + ws);
    }
    if (numHeads <= 0 || fs.get(1) % numHeads != 0) {
      throw new IllegalArgumentException(
          "numHeads must be positive and divide D=" + fs.get(1) + ", got " + numHeads);
    }
  }
}
