package io.longtail.segmentation.masks;

import io.longtail.datasets.mask.Masks;
import io.longtail.datasets.mask.PixelOrder;
import io.longtail.datasets.mask.Rle;
import io.longtail.datasets.pipeline.InstanceMask;
import java.util.ArrayList;
import java.util.List;

/**
 * Mask R-CNN training targets: the ground-truth mask of the instance an ROI matched, cropped to the
 * ROI and resampled to {@code size x size} binary values (detectron2 {@code
 * PolygonMasks.crop_and_resize} and {@code BitMasks.crop_and_resize}).
 *
 * <ul>
 *   <li>Polygons are shifted to the ROI's corner, scaled by {@code size / roiWidth} and {@code size
 *       / roiHeight} and rasterised at {@code size x size} with the COCO rules ({@link
 *       Masks#fromPolygons}), so a polygon edge stays sharp whatever the ROI's scale.
 *   <li>Run-length masks (COCO crowd regions) are sampled with ROIAlign ({@code aligned = true},
 *       adaptive sampling: {@code ceil(roiSide / size)} points per bin side, bilinear) on the 0/1
 *       bitmap and thresholded at 0.5.
 * </ul>
 *
 * <p>An ROI that is an integer-aligned {@code size x size} window gives exactly the crop of the
 * full-image rasterisation (the test checks both paths).
 */
public final class MaskTargets {
  private MaskTargets() {}

  /**
   * The target of one ROI.
   *
   * @param mask the instance's mask in the (transformed) image's pixels
   * @param box the ROI {@code (x1, y1, x2, y2)} in the same pixels (4 values)
   * @param imageHeight the image's height (the size of a run-length mask)
   * @param imageWidth the image's width
   * @param size the target's side {@code M} (28)
   * @return {@code size * size} values 0 or 1, row-major
   * @throws IllegalArgumentException on a size below 1, a box without 4 values, or a run-length
   *     mask of another size than the image
   */
  public static float[] target(
      InstanceMask mask, float[] box, int imageHeight, int imageWidth, int size) {
    checkSize(size);
    checkBox(box);
    if (mask instanceof InstanceMask.Polygons p) {
      return fromPolygons(p.parts(), box, size);
    }
    if (mask instanceof InstanceMask.RunLength r) {
      Rle rle = r.rasterize(imageHeight, imageWidth);
      return fromBitmap(
          Masks.decode(rle, PixelOrder.ROW_MAJOR), rle.height(), rle.width(), box, size);
    }
    throw new IllegalArgumentException("mask must be polygons or a run-length mask, got " + mask);
  }

  /**
   * Rasterises polygons inside a box (detectron2 {@code rasterize_polygons_within_box}).
   *
   * @param parts polygons {@code [x0, y0, x1, y1, ...]} in image pixels, merged by union; parts of
   *     fewer than 3 points are ignored (they have no area)
   * @param box the ROI {@code (x1, y1, x2, y2)}
   * @param size the output side
   * @return {@code size * size} values 0 or 1, row-major
   */
  public static float[] fromPolygons(double[][] parts, float[] box, int size) {
    checkSize(size);
    checkBox(box);
    double x0 = box[0];
    double y0 = box[1];
    // A degenerate ROI is widened to 0.1 pixel (detectron2) so the scale stays finite.
    double sx = size / Math.max(box[2] - box[0], 0.1);
    double sy = size / Math.max(box[3] - box[1], 0.1);
    List<double[]> kept = new ArrayList<>();
    for (double[] part : parts) {
      if (part.length < 6) {
        continue;
      }
      double[] xy = new double[part.length - part.length % 2];
      for (int i = 0; i < xy.length; i += 2) {
        xy[i] = (part[i] - x0) * sx;
        xy[i + 1] = (part[i + 1] - y0) * sy;
      }
      kept.add(xy);
    }
    float[] out = new float[size * size];
    if (kept.isEmpty()) {
      return out;
    }
    Rle rle = Masks.fromPolygons(kept.toArray(new double[0][]), size, size);
    byte[] bits = Masks.decode(rle, PixelOrder.ROW_MAJOR);
    for (int i = 0; i < out.length; i++) {
      out[i] = bits[i];
    }
    return out;
  }

  /**
   * Resamples a bitmap inside a box with ROIAlign ({@code aligned = true}, adaptive sampling) and
   * thresholds it at 0.5 (detectron2 {@code BitMasks.crop_and_resize}).
   *
   * @param bitmap {@code height * width} values, non-zero = foreground, row-major
   * @param height bitmap height
   * @param width bitmap width
   * @param box the ROI {@code (x1, y1, x2, y2)} in bitmap pixels
   * @param size the output side
   * @return {@code size * size} values 0 or 1, row-major
   */
  public static float[] fromBitmap(byte[] bitmap, int height, int width, float[] box, int size) {
    checkSize(size);
    checkBox(box);
    if (bitmap.length != height * width) {
      throw new IllegalArgumentException(
          "bitmap must hold height * width = " + height * width + " values, got " + bitmap.length);
    }
    float[] out = new float[size * size];
    // aligned = true: continuous coordinate c samples pixel index c - 0.5.
    double startX = box[0] - 0.5;
    double startY = box[1] - 0.5;
    double binW = (box[2] - box[0]) / size;
    double binH = (box[3] - box[1]) / size;
    int gridW = Math.max(1, (int) Math.ceil((box[2] - box[0]) / size));
    int gridH = Math.max(1, (int) Math.ceil((box[3] - box[1]) / size));
    double count = (double) gridW * gridH;
    for (int py = 0; py < size; py++) {
      for (int px = 0; px < size; px++) {
        double sum = 0;
        for (int iy = 0; iy < gridH; iy++) {
          double y = startY + py * binH + (iy + 0.5) * binH / gridH;
          for (int ix = 0; ix < gridW; ix++) {
            double x = startX + px * binW + (ix + 0.5) * binW / gridW;
            sum += bilinear(bitmap, height, width, y, x);
          }
        }
        out[py * size + px] = sum / count >= 0.5 ? 1f : 0f;
      }
    }
    return out;
  }

  /** ROIAlign's bilinear interpolation: 0 beyond one pixel outside, edge values clamped. */
  private static double bilinear(byte[] bitmap, int height, int width, double y, double x) {
    if (y < -1.0 || y > height || x < -1.0 || x > width) {
      return 0;
    }
    y = Math.max(y, 0);
    x = Math.max(x, 0);
    int yLow = (int) y;
    int xLow = (int) x;
    int yHigh;
    int xHigh;
    if (yLow >= height - 1) {
      yHigh = yLow = height - 1;
      y = yLow;
    } else {
      yHigh = yLow + 1;
    }
    if (xLow >= width - 1) {
      xHigh = xLow = width - 1;
      x = xLow;
    } else {
      xHigh = xLow + 1;
    }
    double ly = y - yLow;
    double lx = x - xLow;
    double hy = 1 - ly;
    double hx = 1 - lx;
    return hy * hx * bit(bitmap, width, yLow, xLow)
        + hy * lx * bit(bitmap, width, yLow, xHigh)
        + ly * hx * bit(bitmap, width, yHigh, xLow)
        + ly * lx * bit(bitmap, width, yHigh, xHigh);
  }

  private static int bit(byte[] bitmap, int width, int y, int x) {
    return bitmap[y * width + x] != 0 ? 1 : 0;
  }

  private static void checkSize(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("size must be >= 1, got " + size);
    }
  }

  private static void checkBox(float[] box) {
    if (box == null || box.length != 4) {
      throw new IllegalArgumentException(
          "box must be (x1, y1, x2, y2), got " + (box == null ? "null" : box.length + " values"));
    }
  }
}
