package io.longtail.segmentation.api;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC4;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.longtail.datasets.lvis.CategoryIndex;
import io.longtail.datasets.pipeline.DetectionTransform;
import io.longtail.datasets.pipeline.PreparedImage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Turns the image types the API accepts into 8-bit RGB OpenCV images and then into prepared
 * (resized, normalised) model inputs. Callers free the Mats (a {@code PointerScope}).
 */
final class ImageInputs {
  private ImageInputs() {}

  /** Decodes an image file (any format OpenCV reads) to RGB. */
  static Mat rgb(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("no image file at " + file);
    }
    Mat bgr = opencv_imgcodecs.imread(file.toString(), opencv_imgcodecs.IMREAD_COLOR);
    if (bgr == null || bgr.empty()) {
      throw new IOException("OpenCV cannot decode " + file);
    }
    Mat rgb = new Mat();
    opencv_imgproc.cvtColor(bgr, rgb, opencv_imgproc.COLOR_BGR2RGB);
    bgr.close();
    return rgb;
  }

  /** Converts a Java image of any type to RGB. */
  static Mat rgb(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
    byte[] bytes = new byte[3 * w * h];
    for (int i = 0; i < argb.length; i++) {
      int p = argb[i];
      bytes[3 * i] = (byte) (p >> 16);
      bytes[3 * i + 1] = (byte) (p >> 8);
      bytes[3 * i + 2] = (byte) p;
    }
    return fromBytes(bytes, h, w);
  }

  /**
   * Converts an OpenCV image in OpenCV's channel order to RGB: {@code CV_8UC3} BGR, {@code CV_8UC4}
   * BGRA or {@code CV_8UC1} grey.
   */
  static Mat rgb(Mat image) {
    if (image == null || image.empty()) {
      throw new IllegalArgumentException("image must be a non-empty Mat");
    }
    int code;
    int type = image.type();
    if (type == CV_8UC3) {
      code = opencv_imgproc.COLOR_BGR2RGB;
    } else if (type == CV_8UC4) {
      code = opencv_imgproc.COLOR_BGRA2RGB;
    } else if (type == CV_8UC1) {
      code = opencv_imgproc.COLOR_GRAY2RGB;
    } else {
      throw new IllegalArgumentException(
          "image must be an 8-bit BGR, BGRA or grey Mat (CV_8UC3, CV_8UC4, CV_8UC1), got type "
              + type);
    }
    Mat rgb = new Mat();
    opencv_imgproc.cvtColor(image, rgb, code);
    return rgb;
  }

  /** Converts a DJL image (any {@code ImageFactory}) to RGB. */
  static Mat rgb(Image image, NDManager manager) {
    if (image.getWrappedImage() instanceof BufferedImage b) {
      return rgb(b);
    }
    try (NDArray hwc = image.toNDArray(manager, Image.Flag.COLOR).toType(DataType.UINT8, false)) {
      return fromBytes(hwc.toByteArray(), image.getHeight(), image.getWidth());
    }
  }

  private static Mat fromBytes(byte[] rgbBytes, int height, int width) {
    Mat mat = new Mat(height, width, CV_8UC3);
    mat.data().put(rgbBytes);
    return mat;
  }

  /**
   * Resizes and normalises an RGB image for the model.
   *
   * @param rgb 8-bit RGB
   * @param transform the model's test transform
   * @param index the model's categories
   * @return the prepared image (id 0, no annotations)
   */
  static PreparedImage prepare(Mat rgb, DetectionTransform transform, CategoryIndex index) {
    return transform.apply(rgb, 0L, "", List.of(), index, false);
  }
}
