package io.longtail.detection.report;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import io.longtail.datasets.mask.MatMasks;
import io.longtail.datasets.mask.Rle;
import io.longtail.detection.config.CategoryRef;
import io.longtail.detection.structures.ImageDetections;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Draws labelled boxes, and instance masks where given, on images with OpenCV: one colour per class
 * from a 12-colour qualitative palette (Tableau 10 plus two), a 1 px dark outline around every box
 * so it shows on light and dark backgrounds, masks as a translucent fill ({@link #MASK_OPACITY}) in
 * the same colour, and a filled label ({@code name 0.87}) in the box colour with black or white
 * text, whichever contrasts more.
 */
public final class DetectionPainter {

  /** Qualitative palette as RGB (Tableau 10, then olive and navy). */
  private static final int[][] PALETTE_RGB = {
    {31, 119, 180},
    {255, 127, 14},
    {44, 160, 44},
    {214, 39, 40},
    {148, 103, 189},
    {140, 86, 75},
    {227, 119, 194},
    {127, 127, 127},
    {188, 189, 34},
    {23, 190, 207},
    {128, 128, 0},
    {0, 0, 128},
  };

  /** Opacity of the colour over a mask's pixels. */
  public static final double MASK_OPACITY = 0.45;

  private DetectionPainter() {}

  /**
   * A box to draw, in the pixels of the image it is drawn on.
   *
   * @param x1 left
   * @param y1 top
   * @param x2 right
   * @param y2 bottom
   * @param classIndex contiguous class, chooses the colour
   * @param name label text before the score
   * @param score confidence in {@code [0, 1]}, or NaN to print no score (ground truth)
   * @param mask the instance's mask over the whole image, or {@code null} for a box only
   */
  public record LabelledBox(
      double x1,
      double y1,
      double x2,
      double y2,
      int classIndex,
      String name,
      double score,
      Rle mask) {

    /** A box without a mask. */
    public LabelledBox(
        double x1, double y1, double x2, double y2, int classIndex, String name, double score) {
      this(x1, y1, x2, y2, classIndex, name, score, null);
    }
  }

  /**
   * The detections of one image above a score threshold, highest score first, with class names.
   *
   * @param detections boxes in original-image pixels
   * @param categories the label space ({@code categories.get(k)} is class {@code k})
   * @param scoreThreshold minimum score drawn
   * @param maxBoxes at most this many boxes
   * @return boxes in original-image pixels
   */
  public static List<LabelledBox> boxes(
      ImageDetections detections,
      List<CategoryRef> categories,
      double scoreThreshold,
      int maxBoxes) {
    List<LabelledBox> out = new ArrayList<>();
    float[] b = detections.boxes();
    float[] s = detections.scores();
    int[] c = detections.classes();
    for (int i = 0; i < s.length; i++) {
      if (s[i] >= scoreThreshold) {
        out.add(
            new LabelledBox(
                b[4 * i],
                b[4 * i + 1],
                b[4 * i + 2],
                b[4 * i + 3],
                c[i],
                categories.get(c[i]).name(),
                s[i]));
      }
    }
    out.sort(Comparator.comparingDouble(LabelledBox::score).reversed());
    return out.size() > maxBoxes ? List.copyOf(out.subList(0, maxBoxes)) : out;
  }

  /**
   * A resized copy of a BGR image with boxes drawn on it (lowest score first, so the best box and
   * its label end up on top); masks are filled first, so that every outline and label stays
   * visible.
   *
   * @param bgr 8-bit 3-channel image (not changed)
   * @param boxes boxes in the pixels of {@code bgr}
   * @param width output width in pixels
   * @param height output height in pixels
   * @return a new image of {@code width x height}
   */
  public static Mat draw(Mat bgr, List<LabelledBox> boxes, int width, int height) {
    if (bgr.type() != CV_8UC3) {
      throw new IllegalArgumentException(
          "bgr must be an 8-bit 3-channel Mat, got type " + bgr.type());
    }
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException(
          "width and height must be positive, got " + width + " x " + height);
    }
    Mat out = new Mat();
    opencv_imgproc.resize(bgr, out, new Size(width, height), 0, 0, opencv_imgproc.INTER_LINEAR);
    double sx = (double) width / bgr.cols();
    double sy = (double) height / bgr.rows();
    int side = Math.min(width, height);
    int thickness = Math.max(2, (int) Math.round(side / 250.0));
    double fontScale = Math.max(0.4, side / 900.0);
    List<LabelledBox> order = new ArrayList<>(boxes);
    order.sort(Comparator.comparingDouble(b -> Double.isNaN(b.score()) ? 2 : b.score()));
    for (LabelledBox b : order) {
      if (b.mask() != null) {
        fill(out, b.mask(), colour(b.classIndex()));
      }
    }
    for (LabelledBox b : order) {
      Point p1 = new Point((int) Math.round(b.x1() * sx), (int) Math.round(b.y1() * sy));
      Point p2 = new Point((int) Math.round(b.x2() * sx), (int) Math.round(b.y2() * sy));
      Scalar colour = colour(b.classIndex());
      opencv_imgproc.rectangle(
          out, p1, p2, new Scalar(20, 20, 20, 0), thickness + 2, opencv_imgproc.LINE_8, 0);
      opencv_imgproc.rectangle(out, p1, p2, colour, thickness, opencv_imgproc.LINE_8, 0);
      label(out, b, p1, colour, fontScale);
    }
    return out;
  }

  /** Blends the colour into the pixels of a mask (resized to the image with nearest neighbours). */
  private static void fill(Mat img, Rle mask, Scalar colour) {
    if (mask.height() == 0 || mask.width() == 0 || mask.area() == 0) {
      return;
    }
    try (Mat small = MatMasks.toMat(mask);
        Mat resized = new Mat();
        Mat solid = new Mat(img.rows(), img.cols(), CV_8UC3, colour);
        Mat blended = new Mat()) {
      opencv_imgproc.resize(
          small, resized, new Size(img.cols(), img.rows()), 0, 0, opencv_imgproc.INTER_NEAREST);
      opencv_core.addWeighted(img, 1 - MASK_OPACITY, solid, MASK_OPACITY, 0, blended);
      blended.copyTo(img, resized);
    }
  }

  /** The label text: the name, and the score with two decimals when there is one. */
  static String text(LabelledBox b) {
    return Double.isNaN(b.score())
        ? b.name()
        : b.name() + String.format(Locale.ROOT, " %.2f", b.score());
  }

  /** The palette colour of a class as an OpenCV BGR scalar. */
  static Scalar colour(int classIndex) {
    int[] rgb = PALETTE_RGB[Math.floorMod(classIndex, PALETTE_RGB.length)];
    return new Scalar(rgb[2], rgb[1], rgb[0], 0);
  }

  /** Black or white, whichever contrasts more with the colour (ITU-R BT.601 luma). */
  static Scalar textColour(int classIndex) {
    int[] rgb = PALETTE_RGB[Math.floorMod(classIndex, PALETTE_RGB.length)];
    double luma = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2];
    return luma > 140 ? new Scalar(0, 0, 0, 0) : new Scalar(255, 255, 255, 0);
  }

  private static void label(Mat img, LabelledBox b, Point p1, Scalar colour, double fontScale) {
    String text = text(b);
    int[] baseline = new int[1];
    Size size =
        opencv_imgproc.getTextSize(
            text, opencv_imgproc.FONT_HERSHEY_SIMPLEX, fontScale, 1, baseline);
    int pad = 2;
    int w = size.width() + 2 * pad;
    int h = size.height() + baseline[0] + 2 * pad;
    int x = Math.max(0, Math.min(p1.x(), img.cols() - w));
    // Above the box when there is room, otherwise inside its top edge.
    int y = p1.y() - h >= 0 ? p1.y() - h : Math.min(Math.max(0, p1.y()), img.rows() - h);
    opencv_imgproc.rectangle(
        img,
        new Point(x, y),
        new Point(x + w, y + h),
        colour,
        opencv_imgproc.FILLED,
        opencv_imgproc.LINE_8,
        0);
    opencv_imgproc.putText(
        img,
        text,
        new Point(x + pad, y + pad + size.height()),
        opencv_imgproc.FONT_HERSHEY_SIMPLEX,
        fontScale,
        textColour(b.classIndex()),
        1,
        opencv_imgproc.LINE_AA,
        false);
  }
}
