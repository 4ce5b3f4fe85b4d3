package io.longtail.detection.modeling;

import io.longtail.detection.structures.Boxes;

/**
 * The R-CNN box parameterisation (Girshick et al.; detectron2 {@code Box2BoxTransform}): a target
 * box relative to a reference box is {@code dx = wx (gx - px) / pw}, {@code dy = wy (gy - py) /
 * ph}, {@code dw = ww log(gw / pw)}, {@code dh = wh log(gh / ph)}, with centres {@code (x, y)}.
 * Decoding clamps {@code dw, dh} to {@code log(1000 / 16)} so that no box explodes.
 *
 * @param weights {@code (wx, wy, ww, wh)}: {@code (1, 1, 1, 1)} for the RPN, {@code (10, 10, 5, 5)}
 *     for the ROI box head
 */
public record BoxCoder(float[] weights) {

  /** Largest {@code dw, dh} used when decoding: log(1000 / 16). */
  public static final float SCALE_CLAMP = (float) Math.log(1000.0 / 16);

  /** Validates the weights. */
  public BoxCoder {
    if (weights.length != 4) {
      throw new IllegalArgumentException("weights must have 4 values, got " + weights.length);
    }
    for (float w : weights) {
      if (!(w > 0)) {
        throw new IllegalArgumentException("weights must be positive, got " + w);
      }
    }
    weights = weights.clone();
  }

  /** The RPN coder, weights (1, 1, 1, 1). */
  public static BoxCoder rpn() {
    return new BoxCoder(new float[] {1, 1, 1, 1});
  }

  /** The ROI box head coder, weights (10, 10, 5, 5). */
  public static BoxCoder roiHead() {
    return new BoxCoder(new float[] {10, 10, 5, 5});
  }

  /**
   * Deltas that turn each reference box into its target box.
   *
   * @param references {@code N} boxes with positive width and height
   * @param targets {@code N} boxes
   * @return {@code 4N} deltas {@code (dx, dy, dw, dh)}
   */
  public float[] encode(float[] references, float[] targets) {
    int n = Boxes.count(references);
    if (targets.length != references.length) {
      throw new IllegalArgumentException(
          "references and targets must have the same count, got "
              + n
              + " and "
              + Boxes.count(targets));
    }
    float[] out = new float[4 * n];
    for (int i = 0; i < n; i++) {
      int o = 4 * i;
      float pw = references[o + 2] - references[o];
      float ph = references[o + 3] - references[o + 1];
      float px = references[o] + 0.5f * pw;
      float py = references[o + 1] + 0.5f * ph;
      float gw = targets[o + 2] - targets[o];
      float gh = targets[o + 3] - targets[o + 1];
      float gx = targets[o] + 0.5f * gw;
      float gy = targets[o + 1] + 0.5f * gh;
      out[o] = weights[0] * (gx - px) / pw;
      out[o + 1] = weights[1] * (gy - py) / ph;
      out[o + 2] = weights[2] * (float) Math.log(gw / pw);
      out[o + 3] = weights[3] * (float) Math.log(gh / ph);
    }
    return out;
  }

  /**
   * Applies deltas to reference boxes.
   *
   * @param references {@code N} boxes
   * @param deltas {@code 4N} deltas
   * @return {@code N} decoded boxes
   */
  public float[] decode(float[] references, float[] deltas) {
    return decode(references, deltas, 0, 4);
  }

  /**
   * Applies deltas read with a stride: box {@code i} uses {@code deltas[offset + stride * i .. +
   * 3]}. With {@code stride = 4K} and {@code offset = 4k} this decodes class {@code k} of per-class
   * regression outputs.
   */
  public float[] decode(float[] references, float[] deltas, int offset, int stride) {
    int n = Boxes.count(references);
    float[] out = new float[4 * n];
    for (int i = 0; i < n; i++) {
      int o = 4 * i;
      int d = offset + stride * i;
      float pw = references[o + 2] - references[o];
      float ph = references[o + 3] - references[o + 1];
      float px = references[o] + 0.5f * pw;
      float py = references[o + 1] + 0.5f * ph;
      float dx = deltas[d] / weights[0];
      float dy = deltas[d + 1] / weights[1];
      float dw = Math.min(deltas[d + 2] / weights[2], SCALE_CLAMP);
      float dh = Math.min(deltas[d + 3] / weights[3], SCALE_CLAMP);
      float cx = dx * pw + px;
      float cy = dy * ph + py;
      float w = (float) Math.exp(dw) * pw;
      float h = (float) Math.exp(dh) * ph;
      out[o] = cx - 0.5f * w;
      out[o + 1] = cy - 0.5f * h;
      out[o + 2] = cx + 0.5f * w;
      out[o + 3] = cy + 0.5f * h;
    }
    return out;
  }
}
