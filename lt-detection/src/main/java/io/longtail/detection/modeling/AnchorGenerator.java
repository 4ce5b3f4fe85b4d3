package io.longtail.detection.modeling;

import java.util.List;

/**
 * Anchors of every FPN level (detectron2 {@code DefaultAnchorGenerator}): on level {@code l} with
 * stride {@code s_l} and size {@code S_l}, one anchor per aspect ratio {@code r} (height / width)
 * at every feature-map cell, of area {@code S_l^2}, width {@code sqrt(S_l^2 / r)}, centred on
 * {@code (x s_l, y s_l)}. Anchors of a level are ordered by row {@code y}, column {@code x}, then
 * ratio: the order of an RPN output of shape {@code (A, H, W)} transposed to {@code (H, W, A)}.
 *
 * @param sizes anchor size per level, e.g. {@code 32, 64, 128, 256, 512} for P2..P6
 * @param strides feature stride per level, e.g. {@code 4, 8, 16, 32, 64}
 * @param aspectRatios ratios shared by all levels, e.g. {@code 0.5, 1, 2}
 */
public record AnchorGenerator(float[] sizes, int[] strides, float[] aspectRatios) {

  /** Validates and copies the settings. */
  public AnchorGenerator {
    if (sizes.length != strides.length || sizes.length == 0) {
      throw new IllegalArgumentException(
          "sizes and strides must have one entry per level, got "
              + sizes.length
              + " and "
              + strides.length);
    }
    if (aspectRatios.length == 0) {
      throw new IllegalArgumentException("aspectRatios must not be empty");
    }
    for (float r : aspectRatios) {
      if (!(r > 0)) {
        throw new IllegalArgumentException("aspect ratios must be positive, got " + r);
      }
    }
    sizes = sizes.clone();
    strides = strides.clone();
    aspectRatios = aspectRatios.clone();
  }

  /** Anchors per feature-map cell. */
  public int anchorsPerCell() {
    return aspectRatios.length;
  }

  /** The {@code A} cell anchors of a level, centred on the origin, as {@code 4A} values. */
  public float[] cellAnchors(int level) {
    float area = sizes[level] * sizes[level];
    float[] out = new float[4 * aspectRatios.length];
    for (int a = 0; a < aspectRatios.length; a++) {
      float w = (float) Math.sqrt(area / aspectRatios[a]);
      float h = aspectRatios[a] * w;
      out[4 * a] = -w / 2;
      out[4 * a + 1] = -h / 2;
      out[4 * a + 2] = w / 2;
      out[4 * a + 3] = h / 2;
    }
    return out;
  }

  /**
   * Anchors of one level for a feature map of {@code height x width} cells.
   *
   * @return {@code 4 * height * width * A} values
   */
  public float[] anchors(int level, int height, int width) {
    float[] cell = cellAnchors(level);
    int a = aspectRatios.length;
    float[] out = new float[4 * height * width * a];
    int stride = strides[level];
    int o = 0;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        float sx = x * stride;
        float sy = y * stride;
        for (int k = 0; k < a; k++) {
          out[o++] = cell[4 * k] + sx;
          out[o++] = cell[4 * k + 1] + sy;
          out[o++] = cell[4 * k + 2] + sx;
          out[o++] = cell[4 * k + 3] + sy;
        }
      }
    }
    return out;
  }

  /**
   * Anchors of all levels.
   *
   * @param featureSizes {@code [height, width]} of each level's feature map
   * @return one flat array per level
   */
  public List<float[]> anchors(List<int[]> featureSizes) {
    if (featureSizes.size() != sizes.length) {
      throw new IllegalArgumentException(
          "expected " + sizes.length + " feature maps, got " + featureSizes.size());
    }
    float[][] out = new float[sizes.length][];
    for (int l = 0; l < sizes.length; l++) {
      out[l] = anchors(l, featureSizes.get(l)[0], featureSizes.get(l)[1]);
    }
    return List.of(out);
  }
}
