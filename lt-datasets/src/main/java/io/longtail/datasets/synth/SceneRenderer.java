package io.longtail.datasets.synth;

import static org.bytedeco.opencv.global.opencv_core.CV_32SC2;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import java.awt.geom.Area;
import java.util.List;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Draws a {@link Scene} with OpenCV: backdrop (gradient and noise, filled in Java), clutter, then
 * the instances in order, anti-aliased with sub-pixel coordinates ({@code shift = 3}).
 *
 * <p>Callers own the returned {@link Mat}s; open a {@link org.bytedeco.javacpp.PointerScope} around
 * rendering so that the temporary native objects are freed.
 */
final class SceneRenderer {

  private static final int SHIFT = 3;
  private static final double SUBPIXEL = 1 << SHIFT;
  private static final double STRIPE_SHADE = 0.5;

  /**
   * COCO pixel {@code i} covers {@code [i, i+1)}; OpenCV puts pixel {@code i}'s centre at {@code
   * i}. Shifting by half a pixel makes the drawn shapes cover the pixels that the annotation
   * polygons rasterise to (pycocotools rules).
   */
  private static final double PIXEL_CENTRE = 0.5;

  private SceneRenderer() {}

  /** The image, 8-bit BGR (OpenCV's channel order). */
  static Mat render(Scene scene) {
    int w = scene.width();
    int h = scene.height();
    Mat img = new Mat(h, w, CV_8UC3);
    byte[] pixels = background(scene.background(), w, h);
    try (BytePointer data = img.data()) {
      data.put(pixels);
    }
    for (Scene.Clutter c : scene.clutter()) {
      if (c instanceof Scene.Blob blob) {
        fill(img, List.of(blob.xy()), scalar(blob.colour()), opencv_imgproc.LINE_AA);
      } else if (c instanceof Scene.Line line) {
        polyline(img, line.xy(), scalar(line.colour()), line.thickness());
      }
    }
    for (Scene.Instance instance : scene.instances()) {
      PlacedShape shape = instance.shape();
      Rgb colour = shape.category().colour();
      double[] hole = shape.hole();
      List<double[]> contours =
          hole == null ? List.of(shape.outer()) : List.of(shape.outer(), hole);
      fill(img, contours, scalar(colour), opencv_imgproc.LINE_AA);
      if (shape.category().texture() == Texture.STRIPED) {
        Area stripes = shape.stripes();
        fill(
            img,
            Polygons.rings(stripes),
            scalar(colour.scaled(STRIPE_SHADE)),
            opencv_imgproc.LINE_AA);
      }
    }
    return img;
  }

  /**
   * The instance map: pixel value {@code i + 1} where instance {@code i} is the topmost, 0 where
   * none is (no anti-aliasing). Row-major, {@code height * width}.
   */
  static byte[] instanceMap(Scene scene) {
    Mat map = new Mat(scene.height(), scene.width(), CV_8UC1, new Scalar(0.0));
    try {
      List<Scene.Instance> instances = scene.instances();
      for (int i = 0; i < instances.size(); i++) {
        PlacedShape shape = instances.get(i).shape();
        double[] hole = shape.hole();
        List<double[]> contours =
            hole == null ? List.of(shape.outer()) : List.of(shape.outer(), hole);
        fill(map, contours, new Scalar(i + 1.0), opencv_imgproc.LINE_8);
      }
      byte[] out = new byte[scene.height() * scene.width()];
      try (BytePointer data = map.data()) {
        data.get(out);
      }
      return out;
    } finally {
      map.close();
    }
  }

  private static byte[] background(Scene.Background bg, int w, int h) {
    byte[] out = new byte[w * h * 3];
    double dx = StrictMath.cos(bg.angle());
    double dy = StrictMath.sin(bg.angle());
    double min = Math.min(0, dx * (w - 1)) + Math.min(0, dy * (h - 1));
    double max = Math.max(0, dx * (w - 1)) + Math.max(0, dy * (h - 1));
    double span = Math.max(1e-9, max - min);
    SplittableRandom rng = new SplittableRandom(bg.noiseSeed());
    int amplitude = bg.noise();
    int range = 2 * amplitude + 1;
    Rgb a = bg.from();
    Rgb b = bg.to();
    long bits = 0;
    int left = 0;
    int k = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double t = (dx * x + dy * y - min) / span;
        double[] rgb = {
          a.r() + t * (b.r() - a.r()), a.g() + t * (b.g() - a.g()), a.b() + t * (b.b() - a.b())
        };
        for (int ch = 2; ch >= 0; ch--) { // BGR
          if (left == 0) {
            bits = rng.nextLong();
            left = 8;
          }
          int noise = (int) ((bits & 0xFF) * range >>> 8) - amplitude;
          bits >>>= 8;
          left--;
          int v = (int) Math.round(rgb[ch]) + noise;
          out[k++] = (byte) Math.max(0, Math.min(255, v));
        }
      }
    }
    return out;
  }

  private static Scalar scalar(Rgb c) {
    return new Scalar(c.b(), c.g(), c.r(), 0);
  }

  /** Fills the even-odd region of {@code contours}. */
  static void fill(Mat img, List<double[]> contours, Scalar colour, int lineType) {
    MatVector vector = new MatVector(contours.size());
    IntPointer[] buffers = new IntPointer[contours.size()];
    Mat[] mats = new Mat[contours.size()];
    try {
      for (int i = 0; i < contours.size(); i++) {
        double[] xy = contours.get(i);
        int[] pts = new int[xy.length];
        for (int j = 0; j < xy.length; j++) {
          pts[j] = (int) Math.round((xy[j] - PIXEL_CENTRE) * SUBPIXEL);
        }
        buffers[i] = new IntPointer(pts);
        mats[i] = new Mat(xy.length / 2, 1, CV_32SC2, buffers[i]);
        vector.put(i, mats[i]);
      }
      try (Point offset = new Point(0, 0)) {
        opencv_imgproc.fillPoly(img, vector, colour, lineType, SHIFT, offset);
      }
    } finally {
      vector.close();
      for (int i = 0; i < mats.length; i++) {
        if (mats[i] != null) {
          mats[i].close();
        }
        if (buffers[i] != null) {
          buffers[i].close();
        }
      }
    }
  }

  private static void polyline(Mat img, double[] xy, Scalar colour, int thickness) {
    for (int j = 0; j + 3 < xy.length; j += 2) {
      try (Point p = point(xy[j], xy[j + 1]);
          Point q = point(xy[j + 2], xy[j + 3])) {
        opencv_imgproc.line(img, p, q, colour, thickness, opencv_imgproc.LINE_AA, SHIFT);
      }
    }
  }

  private static Point point(double x, double y) {
    return new Point(
        (int) Math.round((x - PIXEL_CENTRE) * SUBPIXEL),
        (int) Math.round((y - PIXEL_CENTRE) * SUBPIXEL));
  }
}
