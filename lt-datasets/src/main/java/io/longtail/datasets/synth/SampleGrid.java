package io.longtail.datasets.synth;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import io.longtail.datasets.lvis.Annotation;
import io.longtail.datasets.lvis.ImageInfo;
import io.longtail.datasets.lvis.LvisDataset;
import io.longtail.datasets.lvis.PolygonSegmentation;
import io.longtail.datasets.sampling.Seeds;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * A PNG grid of dataset images with their annotations drawn: box, polygon outline and category name
 * of every annotated instance, read back through the LVIS reader so the picture shows what a
 * training pipeline sees.
 */
public final class SampleGrid {

  private static final Scalar[] PALETTE = {
    new Scalar(255, 255, 255, 0),
    new Scalar(0, 255, 255, 0),
    new Scalar(255, 255, 0, 0),
    new Scalar(255, 0, 255, 0),
    new Scalar(0, 255, 0, 0),
    new Scalar(0, 128, 255, 0),
  };

  private SampleGrid() {}

  /**
   * Draws {@code cols x rows} images chosen at random (from {@code seed}) among those with at least
   * two annotations.
   *
   * @param dataset the annotations
   * @param imagesRoot folder the images' file names are relative to
   * @param png output file
   * @param cols tiles per row
   * @param rows rows
   * @param tile tile side in pixels (images are resized to it)
   * @param seed choice of images
   * @throws IOException if an image cannot be read or the PNG written
   */
  @SuppressWarnings("try") // the PointerScope frees the native objects made inside
  public static void write(
      LvisDataset dataset, Path imagesRoot, Path png, int cols, int rows, int tile, long seed)
      throws IOException {
    if (cols < 1 || rows < 1 || tile < 32) {
      throw new IllegalArgumentException(
          "cols, rows must be >= 1 and tile >= 32, got " + cols + ", " + rows + ", " + tile);
    }
    List<ImageInfo> candidates = new ArrayList<>();
    for (ImageInfo image : dataset.images()) {
      if (dataset.annotationsOfImage(image.id()).size() >= 2) {
        candidates.add(image);
      }
    }
    if (candidates.isEmpty()) {
      candidates.addAll(dataset.images());
    }
    SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, Streams.SAMPLE_GRID));
    for (int i = 0; i < Math.min(cols * rows, candidates.size()); i++) {
      int j = i + rng.nextInt(candidates.size() - i);
      ImageInfo t = candidates.get(i);
      candidates.set(i, candidates.get(j));
      candidates.set(j, t);
    }
    int gap = 4;
    try (PointerScope scope = new PointerScope()) {
      Mat grid =
          new Mat(
              rows * tile + (rows + 1) * gap,
              cols * tile + (cols + 1) * gap,
              CV_8UC3,
              new Scalar(40, 40, 40, 0));
      for (int k = 0; k < Math.min(cols * rows, candidates.size()); k++) {
        ImageInfo image = candidates.get(k);
        Path file = imagesRoot.resolve(image.fileName());
        Mat src = opencv_imgcodecs.imread(file.toString(), opencv_imgcodecs.IMREAD_COLOR);
        if (src == null || src.empty()) {
          throw new IOException("cannot read image " + file);
        }
        Mat big = new Mat();
        opencv_imgproc.resize(src, big, new Size(tile, tile), 0, 0, opencv_imgproc.INTER_LINEAR);
        double sx = (double) tile / image.width();
        double sy = (double) tile / image.height();
        List<Annotation> anns = dataset.annotationsOfImage(image.id());
        for (int a = 0; a < anns.size(); a++) {
          draw(
              big,
              anns.get(a),
              dataset.category(anns.get(a).categoryId()).name(),
              sx,
              sy,
              PALETTE[a % PALETTE.length]);
        }
        int x = gap + (k % cols) * (tile + gap);
        int y = gap + (k / cols) * (tile + gap);
        big.copyTo(grid.apply(new Rect(x, y, tile, tile)));
      }
      if (!opencv_imgcodecs.imwrite(png.toString(), grid)) {
        throw new IOException("cannot write " + png);
      }
    }
  }

  private static void draw(Mat img, Annotation a, String name, double sx, double sy, Scalar c) {
    if (a.segmentation() instanceof PolygonSegmentation poly) {
      for (double[] part : poly.parts()) {
        double[] xy = part.clone();
        for (int i = 0; i < xy.length; i += 2) {
          xy[i] *= sx;
          xy[i + 1] *= sy;
        }
        for (int i = 0; i < xy.length; i += 2) {
          int j = (i + 2) % xy.length;
          opencv_imgproc.line(
              img,
              new Point((int) Math.round(xy[i] * 8), (int) Math.round(xy[i + 1] * 8)),
              new Point((int) Math.round(xy[j] * 8), (int) Math.round(xy[j + 1] * 8)),
              c,
              1,
              opencv_imgproc.LINE_AA,
              3);
        }
      }
    }
    double[] b = a.bbox();
    int x0 = (int) Math.round(b[0] * sx);
    int y0 = (int) Math.round(b[1] * sy);
    int x1 = (int) Math.round((b[0] + b[2]) * sx);
    int y1 = (int) Math.round((b[1] + b[3]) * sy);
    opencv_imgproc.rectangle(
        img, new Point(x0, y0), new Point(x1, y1), c, 1, opencv_imgproc.LINE_8, 0);
    double fontScale = 0.36;
    int[] baseline = new int[1];
    Size text =
        opencv_imgproc.getTextSize(
            name, opencv_imgproc.FONT_HERSHEY_SIMPLEX, fontScale, 1, baseline);
    int tx = Math.max(0, Math.min(x0, img.cols() - text.width() - 2));
    int ty = y0 - 3 >= text.height() ? y0 - 3 : Math.min(img.rows() - 2, y1 + text.height() + 3);
    opencv_imgproc.rectangle(
        img,
        new Point(tx, ty - text.height() - 2),
        new Point(tx + text.width() + 2, ty + 2),
        new Scalar(0, 0, 0, 0),
        opencv_imgproc.FILLED,
        opencv_imgproc.LINE_8,
        0);
    opencv_imgproc.putText(
        img,
        name,
        new Point(tx + 1, ty),
        opencv_imgproc.FONT_HERSHEY_SIMPLEX,
        fontScale,
        c,
        1,
        opencv_imgproc.LINE_AA,
        false);
  }
}
