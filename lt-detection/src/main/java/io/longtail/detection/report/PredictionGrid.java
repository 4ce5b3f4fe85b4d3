package io.longtail.detection.report;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import io.longtail.datasets.lvis.Annotation;
import io.longtail.datasets.lvis.Category;
import io.longtail.datasets.lvis.CategoryIndex;
import io.longtail.datasets.lvis.Frequency;
import io.longtail.datasets.lvis.ImageInfo;
import io.longtail.datasets.lvis.LvisDataset;
import io.longtail.detection.report.DetectionPainter.LabelledBox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * A PNG grid of images (rows) by columns of boxes (ground truth, then one column per variant), each
 * column titled, drawn with {@link DetectionPainter}.
 */
public final class PredictionGrid {

  private static final int GAP = 6;
  private static final int HEADER = 34;

  private PredictionGrid() {}

  /**
   * One column of the grid.
   *
   * @param title its heading
   * @param boxes the boxes of each image id, in original-image pixels (no entry: nothing drawn)
   */
  public record Column(String title, Map<Long, List<LabelledBox>> boxes) {
    /** Copies the map. */
    public Column {
      boxes = Map.copyOf(boxes);
    }
  }

  /**
   * Chooses images for the grid, favouring the tail: in turn an image showing a rare, a common and
   * a frequent category (by the annotations' {@code frequency}), each time a category not shown yet
   * and among images with at most four annotations, in image-id order.
   *
   * @param dataset annotations with frequencies
   * @param count images wanted
   * @return at most {@code count} images
   */
  public static List<ImageInfo> pickImages(LvisDataset dataset, int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be positive, got " + count);
    }
    List<ImageInfo> candidates = new ArrayList<>(dataset.images());
    candidates.sort(Comparator.comparingLong(ImageInfo::id));
    Frequency[] cycle = {Frequency.RARE, Frequency.COMMON, Frequency.FREQUENT};
    List<ImageInfo> chosen = new ArrayList<>();
    Set<Long> used = new HashSet<>();
    Set<Integer> shown = new HashSet<>();
    int misses = 0;
    for (int turn = 0; chosen.size() < count && misses < cycle.length; turn++) {
      Frequency group = cycle[turn % cycle.length];
      ImageInfo pick = null;
      for (ImageInfo image : candidates) {
        List<Annotation> anns = dataset.annotationsOfImage(image.id());
        if (used.contains(image.id()) || anns.isEmpty() || anns.size() > 4) {
          continue;
        }
        for (Annotation a : anns) {
          Category c = dataset.category(a.categoryId());
          if (c.frequency() == group && !shown.contains(c.id())) {
            pick = image;
            break;
          }
        }
        if (pick != null) {
          break;
        }
      }
      if (pick == null) {
        misses++;
        continue;
      }
      misses = 0;
      chosen.add(pick);
      used.add(pick.id());
      for (Annotation a : dataset.annotationsOfImage(pick.id())) {
        shown.add(a.categoryId());
      }
    }
    // Not enough tail images (e.g. no frequencies): fill in id order.
    for (ImageInfo image : candidates) {
      if (chosen.size() >= count) {
        break;
      }
      if (used.add(image.id())) {
        chosen.add(image);
      }
    }
    return chosen;
  }

  /**
   * The ground-truth boxes of images as a column (no scores), coloured by contiguous class.
   *
   * @param dataset the annotations
   * @param images the images
   * @param title the heading
   */
  public static Column groundTruth(LvisDataset dataset, List<ImageInfo> images, String title) {
    return groundTruth(dataset, images, title, false);
  }

  /**
   * The ground truth of images as a column (no scores), coloured by contiguous class, with the
   * instances' masks when asked for (annotations without a segmentation get their box only).
   *
   * @param dataset the annotations
   * @param images the images
   * @param title the heading
   * @param masks whether to fill the annotations' masks
   */
  public static Column groundTruth(
      LvisDataset dataset, List<ImageInfo> images, String title, boolean masks) {
    CategoryIndex index = dataset.categoryIndex();
    Map<Long, List<LabelledBox>> boxes = new java.util.HashMap<>();
    for (ImageInfo image : images) {
      List<LabelledBox> list = new ArrayList<>();
      for (Annotation a : dataset.annotationsOfImage(image.id())) {
        double[] b = a.bbox();
        list.add(
            new LabelledBox(
                b[0],
                b[1],
                b[0] + b[2],
                b[1] + b[3],
                index.toLabel(a.categoryId()),
                dataset.category(a.categoryId()).name(),
                Double.NaN,
                masks && a.segmentation() != null
                    ? a.segmentation().toRle(image.height(), image.width())
                    : null));
      }
      boxes.put(image.id(), list);
    }
    return new Column(title, boxes);
  }

  /**
   * Writes the grid.
   *
   * @param png output file
   * @param imagesRoot folder the images' file names are relative to
   * @param images the rows
   * @param columns the columns
   * @param tile side of a tile in pixels (images keep their aspect ratio inside it)
   * @throws IOException if an image cannot be read or the PNG written
   */
  @SuppressWarnings("try") // the PointerScope frees the native objects made inside
  public static void write(
      Path png, Path imagesRoot, List<ImageInfo> images, List<Column> columns, int tile)
      throws IOException {
    if (images.isEmpty() || columns.isEmpty()) {
      throw new IllegalArgumentException(
          "images and columns must not be empty, got "
              + images.size()
              + " images and "
              + columns.size()
              + " columns");
    }
    if (tile < 64) {
      throw new IllegalArgumentException("tile must be >= 64, got " + tile);
    }
    int rows = images.size();
    int cols = columns.size();
    try (PointerScope scope = new PointerScope()) {
      Mat grid =
          new Mat(
              HEADER + rows * tile + (rows + 1) * GAP,
              cols * tile + (cols + 1) * GAP,
              CV_8UC3,
              new Scalar(255, 255, 255, 0));
      for (int c = 0; c < cols; c++) {
        title(grid, columns.get(c).title(), GAP + c * (tile + GAP), tile);
      }
      for (int r = 0; r < rows; r++) {
        ImageInfo image = images.get(r);
        Path file = imagesRoot.resolve(image.fileName());
        if (!Files.isRegularFile(file)) {
          throw new IOException("image not found: " + file);
        }
        Mat src = opencv_imgcodecs.imread(file.toString(), opencv_imgcodecs.IMREAD_COLOR);
        if (src == null || src.empty()) {
          throw new IOException("cannot decode image " + file);
        }
        double scale = (double) tile / Math.max(src.cols(), src.rows());
        int w = Math.max(1, (int) Math.round(src.cols() * scale));
        int h = Math.max(1, (int) Math.round(src.rows() * scale));
        for (int c = 0; c < cols; c++) {
          List<LabelledBox> boxes = columns.get(c).boxes().getOrDefault(image.id(), List.of());
          Mat drawn = DetectionPainter.draw(src, boxes, w, h);
          int x = GAP + c * (tile + GAP) + (tile - w) / 2;
          int y = HEADER + GAP + r * (tile + GAP) + (tile - h) / 2;
          drawn.copyTo(grid.apply(new Rect(x, y, w, h)));
        }
      }
      Path parent = png.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      if (!opencv_imgcodecs.imwrite(png.toString(), grid)) {
        throw new IOException("cannot write " + png);
      }
    }
  }

  private static void title(Mat grid, String text, int x, int width) {
    double fontScale = 0.55;
    int[] baseline = new int[1];
    Size size =
        opencv_imgproc.getTextSize(
            text, opencv_imgproc.FONT_HERSHEY_SIMPLEX, fontScale, 1, baseline);
    while (size.width() > width && fontScale > 0.3) {
      fontScale -= 0.05;
      size =
          opencv_imgproc.getTextSize(
              text, opencv_imgproc.FONT_HERSHEY_SIMPLEX, fontScale, 1, baseline);
    }
    int tx = x + Math.max(0, (width - size.width()) / 2);
    int ty = (HEADER + size.height()) / 2 + 2;
    opencv_imgproc.putText(
        grid,
        text,
        new Point(tx, ty),
        opencv_imgproc.FONT_HERSHEY_SIMPLEX,
        fontScale,
        new Scalar(30, 30, 30, 0),
        1,
        opencv_imgproc.LINE_AA,
        false);
  }
}
