package io.longtail.segmentation.masks;

import io.longtail.datasets.mask.Rle;

/**
 * Pastes a predicted {@code M x M} mask into the image (detectron2 {@code paste_masks_in_image}):
 * the mask is stretched over its box with bilinear interpolation, pixel centres sampled in the
 * mask's own coordinates ({@code grid_sample} with {@code align_corners = false} and zero padding,
 * so probabilities fade to 0 across the box's border), then thresholded (0.5).
 *
 * <p>Image pixel {@code (x, y)} (centre {@code (x + 0.5, y + 0.5)}) reads the mask at {@code u = (x
 * + 0.5 - x1) / (x2 - x1) * M - 0.5} (same for {@code v}); mask cell {@code i} sits at {@code u =
 * i}. A full mask (all ones) pasted into an integer box therefore covers exactly the box's pixels.
 */
public final class MaskPaste {
  private MaskPaste() {}

  /**
   * Pastes a mask's probabilities.
   *
   * @param mask {@code size * size} probabilities, row-major
   * @param size the mask's side {@code M}
   * @param box {@code (x1, y1, x2, y2)} in image pixels; a box with no width or height gives an
   *     empty window
   * @param imageHeight the image's height
   * @param imageWidth the image's width
   * @return the probabilities over the pixels the box touches (one pixel of margin)
   */
  public static PastedMask paste(
      float[] mask, int size, float[] box, int imageHeight, int imageWidth) {
    if (size < 1 || mask.length != size * size) {
      throw new IllegalArgumentException(
          "mask must hold size * size values with size >= 1, got size "
              + size
              + " and "
              + mask.length
              + " values");
    }
    if (box == null || box.length != 4) {
      throw new IllegalArgumentException("box must be (x1, y1, x2, y2)");
    }
    float bx1 = box[0];
    float by1 = box[1];
    float bw = box[2] - box[0];
    float bh = box[3] - box[1];
    if (!(bw > 0 && bh > 0) || imageHeight == 0 || imageWidth == 0) {
      return new PastedMask(imageHeight, imageWidth, 0, 0, 0, 0, new float[0]);
    }
    int x0 = clamp((int) Math.floor(box[0]) - 1, imageWidth);
    int y0 = clamp((int) Math.floor(box[1]) - 1, imageHeight);
    int x1 = clamp((int) Math.ceil(box[2]) + 1, imageWidth);
    int y1 = clamp((int) Math.ceil(box[3]) + 1, imageHeight);
    int w = Math.max(0, x1 - x0);
    int h = Math.max(0, y1 - y0);
    // Horizontal taps and weights of every window column (zero weight for a tap off the mask).
    int[] left = new int[w];
    float[] wLeft = new float[w];
    float[] wRight = new float[w];
    for (int i = 0; i < w; i++) {
      float u = (x0 + i + 0.5f - bx1) / bw * size - 0.5f;
      int l = (int) Math.floor(u);
      float f = u - l;
      left[i] = l;
      wLeft[i] = l >= 0 && l < size ? 1 - f : 0;
      wRight[i] = l + 1 >= 0 && l + 1 < size ? f : 0;
    }
    float[] out = new float[w * h];
    for (int j = 0; j < h; j++) {
      float v = (y0 + j + 0.5f - by1) / bh * size - 0.5f;
      int t = (int) Math.floor(v);
      float g = v - t;
      float wTop = t >= 0 && t < size ? 1 - g : 0;
      float wBottom = t + 1 >= 0 && t + 1 < size ? g : 0;
      if (wTop == 0 && wBottom == 0) {
        continue;
      }
      int top = Math.max(0, Math.min(size - 1, t)) * size;
      int bottom = Math.max(0, Math.min(size - 1, t + 1)) * size;
      for (int i = 0; i < w; i++) {
        int l = Math.max(0, Math.min(size - 1, left[i]));
        int r = Math.max(0, Math.min(size - 1, left[i] + 1));
        float a = wLeft[i] * mask[top + l] + wRight[i] * mask[top + r];
        float b = wLeft[i] * mask[bottom + l] + wRight[i] * mask[bottom + r];
        out[j * w + i] = wTop * a + wBottom * b;
      }
    }
    return new PastedMask(imageHeight, imageWidth, x0, y0, w, h, out);
  }

  /**
   * Pastes and thresholds a mask into a run-length mask of the whole image.
   *
   * @param mask {@code size * size} probabilities, row-major
   * @param size the mask's side
   * @param box {@code (x1, y1, x2, y2)} in image pixels
   * @param imageHeight the image's height
   * @param imageWidth the image's width
   * @param threshold the cut (0.5)
   * @return the binary mask
   */
  public static Rle pasteToRle(
      float[] mask, int size, float[] box, int imageHeight, int imageWidth, float threshold) {
    return paste(mask, size, box, imageHeight, imageWidth).toRle(threshold);
  }

  private static int clamp(int v, int max) {
    return Math.max(0, Math.min(max, v));
  }
}
