package io.longtail.detection.structures;

/**
 * Geometry of axis-aligned boxes stored row-major in a flat {@code float[]}: box {@code i} is
 * {@code (x1, y1, x2, y2)} at offsets {@code 4i .. 4i+3}, in pixels, {@code x2 >= x1}. Areas use
 * {@code (x2 - x1) * (y2 - y1)} (no +1, as detectron2).
 */
public final class Boxes {
  private Boxes() {}

  /** Number of boxes in a flat array, checking that its length is a multiple of 4. */
  public static int count(float[] boxes) {
    if (boxes.length % 4 != 0) {
      throw new IllegalArgumentException(
          "boxes must hold 4 values per box, got length " + boxes.length);
    }
    return boxes.length / 4;
  }

  /** Area of box {@code i}. */
  public static float area(float[] boxes, int i) {
    return (boxes[4 * i + 2] - boxes[4 * i]) * (boxes[4 * i + 3] - boxes[4 * i + 1]);
  }

  /** IoU of box {@code i} of {@code a} and box {@code j} of {@code b}; 0 when both are empty. */
  public static float iou(float[] a, int i, float[] b, int j) {
    float iw = Math.min(a[4 * i + 2], b[4 * j + 2]) - Math.max(a[4 * i], b[4 * j]);
    if (iw <= 0) {
      return 0f;
    }
    float ih = Math.min(a[4 * i + 3], b[4 * j + 3]) - Math.max(a[4 * i + 1], b[4 * j + 1]);
    if (ih <= 0) {
      return 0f;
    }
    float inter = iw * ih;
    float union = area(a, i) + area(b, j) - inter;
    return union > 0 ? inter / union : 0f;
  }

  /**
   * Pairwise IoU matrix.
   *
   * @param a {@code M} boxes
   * @param b {@code N} boxes
   * @return {@code [M][N]} IoUs
   */
  public static float[][] iouMatrix(float[] a, float[] b) {
    int m = count(a);
    int n = count(b);
    float[][] out = new float[m][n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        out[i][j] = iou(a, i, b, j);
      }
    }
    return out;
  }

  /** Clips boxes in place to {@code [0, width] x [0, height]}. */
  public static void clip(float[] boxes, float width, float height) {
    for (int i = 0; i < boxes.length; i += 4) {
      boxes[i] = Math.min(Math.max(boxes[i], 0f), width);
      boxes[i + 1] = Math.min(Math.max(boxes[i + 1], 0f), height);
      boxes[i + 2] = Math.min(Math.max(boxes[i + 2], 0f), width);
      boxes[i + 3] = Math.min(Math.max(boxes[i + 3], 0f), height);
    }
  }

  /** Box {@code i} as a new 4-element array. */
  public static float[] box(float[] boxes, int i) {
    return new float[] {boxes[4 * i], boxes[4 * i + 1], boxes[4 * i + 2], boxes[4 * i + 3]};
  }

  /** Boxes {@code indices} of {@code boxes}, in that order. */
  public static float[] select(float[] boxes, int[] indices) {
    float[] out = new float[indices.length * 4];
    for (int k = 0; k < indices.length; k++) {
      System.arraycopy(boxes, 4 * indices[k], out, 4 * k, 4);
    }
    return out;
  }

  /** Concatenation of two box arrays. */
  public static float[] concat(float[] a, float[] b) {
    float[] out = new float[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** Converts {@code (x, y, w, h)} boxes (COCO) to {@code (x1, y1, x2, y2)}. */
  public static float[] fromXywh(double[] xywh) {
    float[] out = new float[xywh.length];
    for (int i = 0; i < xywh.length; i += 4) {
      out[i] = (float) xywh[i];
      out[i + 1] = (float) xywh[i + 1];
      out[i + 2] = (float) (xywh[i] + xywh[i + 2]);
      out[i + 3] = (float) (xywh[i + 1] + xywh[i + 3]);
    }
    return out;
  }
}
