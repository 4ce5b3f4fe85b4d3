package io.longtail.datasets.mask;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Conversions between {@link Rle} masks and OpenCV images ({@code org.bytedeco.opencv}): a mask is
 * a single-channel 8-bit {@link Mat} ({@code CV_8UC1}) of {@code height} rows and {@code width}
 * columns. The caller owns (and should {@code close()}) every {@code Mat} returned.
 */
public final class MatMasks {

  private MatMasks() {}

  /** Decodes a mask to a new {@code CV_8UC1} Mat holding 1 on the foreground and 0 elsewhere. */
  public static Mat toMat(Rle rle) {
    return toMat(rle, 1);
  }

  /**
   * Decodes a mask to a new {@code CV_8UC1} Mat.
   *
   * @param foreground the value written on foreground pixels, 1..255 (e.g. 255 to view or save it)
   * @throws IllegalArgumentException if {@code foreground} is outside 1..255
   */
  public static Mat toMat(Rle rle, int foreground) {
    if (foreground < 1 || foreground > 255) {
      throw new IllegalArgumentException("foreground must be in 1..255, got " + foreground);
    }
    if (rle.height() == 0 || rle.width() == 0) {
      throw new IllegalArgumentException(
          "an OpenCV Mat cannot be empty, got a mask of " + rle.height() + "x" + rle.width());
    }
    byte[] pixels = Masks.decode(rle, PixelOrder.ROW_MAJOR);
    if (foreground != 1) {
      byte f = (byte) foreground;
      for (int i = 0; i < pixels.length; i++) {
        if (pixels[i] != 0) {
          pixels[i] = f;
        }
      }
    }
    Mat mat = new Mat(rle.height(), rle.width(), CV_8UC1);
    mat.data().put(pixels);
    return mat;
  }

  /**
   * Encodes a {@code CV_8UC1} Mat; every non-zero pixel is foreground, so 0/1 and 0/255 masks both
   * work. Views that are not continuous (a ROI of a larger image) are accepted.
   *
   * @throws IllegalArgumentException if the Mat is not 2-D {@code CV_8UC1}
   */
  public static Rle fromMat(Mat mat) {
    if (mat == null) {
      throw new IllegalArgumentException("mat must not be null");
    }
    if (mat.dims() != 2 || mat.type() != CV_8UC1) {
      throw new IllegalArgumentException(
          "mat must be a 2-D CV_8UC1 image, got dims " + mat.dims() + " and type " + mat.type());
    }
    int h = mat.rows();
    int w = mat.cols();
    byte[] pixels = new byte[h * w];
    BytePointer data = mat.data();
    long step = mat.step();
    if (mat.isContinuous()) {
      data.get(pixels);
    } else {
      for (int y = 0; y < h; y++) {
        data.position(y * step).get(pixels, y * w, w);
      }
    }
    return Masks.encode(pixels, h, w, PixelOrder.ROW_MAJOR);
  }
}
