package io.longtail.datasets.pipeline;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import io.longtail.datasets.lvis.Annotation;
import io.longtail.datasets.lvis.CategoryIndex;
import io.longtail.datasets.lvis.PolygonSegmentation;
import io.longtail.datasets.lvis.RleSegmentation;
import io.longtail.datasets.lvis.Segmentation;
import io.longtail.datasets.lvis.UncompressedRleSegmentation;
import io.longtail.datasets.mask.MatMasks;
import io.longtail.datasets.mask.Rle;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * The training transform of detectron2's default pipeline: resize so the shorter side is {@code
 * minSize} unless the longer side would exceed {@code maxSize} ({@code ResizeShortestEdge}),
 * optional horizontal flip applied to the image, boxes, polygons and masks alike, then per-channel
 * normalisation {@code (x / 255 - mean) / std} in RGB order.
 *
 * <p>Coordinates follow COCO: pixel {@code i} covers {@code [i, i+1)}, so a flip maps {@code x} to
 * {@code width - x} and a box {@code (x1, x2)} to {@code (width - x2, width - x1)}.
 */
public final class DetectionTransform {

  /** ImageNet channel means (RGB), the torchvision convention. */
  public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};

  /** ImageNet channel standard deviations (RGB). */
  public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

  private final int minSize;
  private final int maxSize;
  private final double flipProbability;
  private final float[] mean;
  private final float[] std;

  private DetectionTransform(Builder b) {
    this.minSize = b.minSize;
    this.maxSize = b.maxSize;
    this.flipProbability = b.flipProbability;
    this.mean = b.mean.clone();
    this.std = b.std.clone();
  }

  /** A builder; defaults: 800 / 1333, flip probability 0.5, ImageNet mean and std. */
  public static Builder builder() {
    return new Builder();
  }

  /** Target of the shorter side. */
  public int minSize() {
    return minSize;
  }

  /** Cap of the longer side. */
  public int maxSize() {
    return maxSize;
  }

  /** Probability of a horizontal flip during training. */
  public double flipProbability() {
    return flipProbability;
  }

  /**
   * The resized {@code (height, width)} of an image ({@code ResizeShortestEdge}).
   *
   * @param height original height
   * @param width original width
   */
  public int[] outputSize(int height, int width) {
    double scale = (double) minSize / Math.min(height, width);
    if (Math.max(height, width) * scale > maxSize) {
      scale = (double) maxSize / Math.max(height, width);
    }
    return new int[] {
      (int) Math.max(1, Math.round(height * scale)), (int) Math.max(1, Math.round(width * scale))
    };
  }

  /**
   * Transforms a decoded image and its annotations.
   *
   * @param rgb 8-bit 3-channel image in RGB order (not modified)
   * @param imageId dataset image id
   * @param fileName image file name, for the targets
   * @param annotations its annotations
   * @param index maps category ids to contiguous labels
   * @param flip whether to flip horizontally
   * @return normalised CHW pixels and typed targets
   */
  @SuppressWarnings("try") // the PointerScope frees the native objects made inside
  public PreparedImage apply(
      Mat rgb,
      long imageId,
      String fileName,
      List<Annotation> annotations,
      CategoryIndex index,
      boolean flip) {
    if (rgb.type() != CV_8UC3) {
      throw new IllegalArgumentException(
          "rgb must be an 8-bit 3-channel Mat, got type " + rgb.type());
    }
    int h0 = rgb.rows();
    int w0 = rgb.cols();
    int[] size = outputSize(h0, w0);
    int h = size[0];
    int w = size[1];
    double sx = (double) w / w0;
    double sy = (double) h / h0;
    float[] pixels = new float[3 * h * w];
    try (PointerScope scope = new PointerScope()) {
      Mat resized = new Mat();
      if (h == h0 && w == w0) {
        rgb.copyTo(resized);
      } else {
        opencv_imgproc.resize(rgb, resized, new Size(w, h), 0, 0, opencv_imgproc.INTER_LINEAR);
      }
      if (flip) {
        Mat flipped = new Mat();
        opencv_core.flip(resized, flipped, 1);
        resized = flipped;
      }
      byte[] hwc = new byte[3 * h * w];
      if (!resized.isContinuous()) {
        resized = resized.clone();
      }
      try (BytePointer data = resized.data()) {
        data.get(hwc);
      }
      normalise(hwc, h, w, mean, std, pixels);
    }

    int n = annotations.size();
    float[] boxes = new float[4 * n];
    int[] labels = new int[n];
    boolean[] crowd = new boolean[n];
    List<InstanceMask> masks = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Annotation a = annotations.get(i);
      double[] b = a.bbox();
      double x1 = b[0] * sx;
      double x2 = (b[0] + b[2]) * sx;
      if (flip) {
        double t = w - x2;
        x2 = w - x1;
        x1 = t;
      }
      boxes[4 * i] = (float) x1;
      boxes[4 * i + 1] = (float) (b[1] * sy);
      boxes[4 * i + 2] = (float) x2;
      boxes[4 * i + 3] = (float) ((b[1] + b[3]) * sy);
      labels[i] = index.toLabel(a.categoryId());
      crowd[i] = a.iscrowd();
      masks.add(mask(a.segmentation(), h0, w0, h, w, sx, sy, flip));
    }
    return new PreparedImage(
        pixels,
        new ImageTargets(
            imageId, fileName, h0, w0, h, w, sx, sy, flip, boxes, labels, crowd, masks));
  }

  /** HWC bytes to normalised CHW floats. */
  static void normalise(byte[] hwc, int h, int w, float[] mean, float[] std, float[] out) {
    int plane = h * w;
    float[] a = new float[3];
    float[] c = new float[3];
    for (int ch = 0; ch < 3; ch++) {
      a[ch] = 1f / (255f * std[ch]);
      c[ch] = mean[ch] / std[ch];
    }
    for (int p = 0; p < plane; p++) {
      int k = 3 * p;
      out[p] = (hwc[k] & 0xFF) * a[0] - c[0];
      out[plane + p] = (hwc[k + 1] & 0xFF) * a[1] - c[1];
      out[2 * plane + p] = (hwc[k + 2] & 0xFF) * a[2] - c[2];
    }
  }

  /** Scales (and flips) polygon parts. */
  static double[][] transformPolygons(
      double[][] parts, double sx, double sy, int width, boolean flip) {
    double[][] out = new double[parts.length][];
    for (int p = 0; p < parts.length; p++) {
      double[] xy = parts[p].clone();
      for (int i = 0; i < xy.length; i += 2) {
        double x = xy[i] * sx;
        xy[i] = flip ? width - x : x;
        xy[i + 1] *= sy;
      }
      out[p] = xy;
    }
    return out;
  }

  @SuppressWarnings("try") // the PointerScope frees the native objects made inside
  private static InstanceMask mask(
      Segmentation s, int h0, int w0, int h, int w, double sx, double sy, boolean flip) {
    if (s == null) {
      return null;
    }
    if (s instanceof PolygonSegmentation poly) {
      return new InstanceMask.Polygons(transformPolygons(poly.parts(), sx, sy, w, flip));
    }
    Rle rle;
    if (s instanceof RleSegmentation r) {
      rle = Rle.fromString(r.compressedCounts(), r.height(), r.width());
    } else if (s instanceof UncompressedRleSegmentation u) {
      rle = Rle.fromCounts(u.counts(), u.height(), u.width());
    } else {
      throw new IllegalArgumentException("unknown segmentation type " + s.getClass().getName());
    }
    if (rle.height() != h0 || rle.width() != w0) {
      throw new IllegalArgumentException(
          "mask size must equal the image size "
              + h0
              + "x"
              + w0
              + ", got "
              + rle.height()
              + "x"
              + rle.width());
    }
    try (PointerScope scope = new PointerScope()) {
      Mat m = MatMasks.toMat(rle);
      Mat r = new Mat();
      opencv_imgproc.resize(m, r, new Size(w, h), 0, 0, opencv_imgproc.INTER_NEAREST);
      if (flip) {
        Mat f = new Mat();
        opencv_core.flip(r, f, 1);
        r = f;
      }
      return new InstanceMask.RunLength(MatMasks.fromMat(r));
    }
  }

  /** Builds a {@link DetectionTransform}. */
  public static final class Builder {
    private int minSize = 800;
    private int maxSize = 1333;
    private double flipProbability = 0.5;
    private float[] mean = IMAGENET_MEAN;
    private float[] std = IMAGENET_STD;

    private Builder() {}

    /** Shorter side after resizing, default 800. */
    public Builder optMinSize(int minSize) {
      this.minSize = minSize;
      return this;
    }

    /** Longest allowed side after resizing, default 1333. */
    public Builder optMaxSize(int maxSize) {
      this.maxSize = maxSize;
      return this;
    }

    /** Probability of a horizontal flip in training, default 0.5 ({@code 0} for evaluation). */
    public Builder optFlipProbability(double flipProbability) {
      this.flipProbability = flipProbability;
      return this;
    }

    /** Channel means (RGB, in {@code [0, 1]} units), default ImageNet's. */
    public Builder optMean(float[] mean) {
      this.mean = mean.clone();
      return this;
    }

    /** Channel standard deviations (RGB, {@code > 0}), default ImageNet's. */
    public Builder optStd(float[] std) {
      this.std = std.clone();
      return this;
    }

    /** The transform. */
    public DetectionTransform build() {
      if (minSize < 1) {
        throw new IllegalArgumentException("minSize must be >= 1, got " + minSize);
      }
      if (maxSize < minSize) {
        throw new IllegalArgumentException(
            "maxSize must be >= minSize = " + minSize + ", got " + maxSize);
      }
      if (!(flipProbability >= 0 && flipProbability <= 1)) {
        throw new IllegalArgumentException(
            "flipProbability must be in [0, 1], got " + flipProbability);
      }
      if (mean.length != 3 || std.length != 3) {
        throw new IllegalArgumentException(
            "mean and std must have 3 values, got " + mean.length + " and " + std.length);
      }
      for (int i = 0; i < 3; i++) {
        if (!(std[i] > 0)) {
          throw new IllegalArgumentException("std[" + i + "] must be > 0, got " + std[i]);
        }
      }
      return new DetectionTransform(this);
    }
  }
}
