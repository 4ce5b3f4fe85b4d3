package io.longtail.datasets.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import io.longtail.datasets.lvis.Annotation;
import io.longtail.datasets.lvis.CategoryIndex;
import io.longtail.datasets.lvis.PolygonSegmentation;
import io.longtail.datasets.lvis.RleSegmentation;
import io.longtail.datasets.mask.MaskIou;
import io.longtail.datasets.mask.Masks;
import io.longtail.datasets.mask.PixelOrder;
import io.longtail.datasets.mask.Rle;
import java.util.List;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

class DetectionTransformTest {

  private static final double[] RECT = {10, 5, 20, 5, 20, 15, 10, 15};
  private static final CategoryIndex INDEX = CategoryIndex.of(List.of(3, 7));

  /** A 40x60 black image with a white rectangle on pixels x 10..19, y 5..14. */
  private static Mat image() {
    Mat m = new Mat(40, 60, CV_8UC3, new Scalar(0, 0, 0, 0));
    opencv_imgproc.rectangle(
        m, new Point(10, 5), new Point(19, 14), new Scalar(255, 255, 255, 0), -1, 8, 0);
    return m;
  }

  private static List<Annotation> annotations() {
    Rle rle = Masks.fromPolygon(RECT, 40, 60);
    return List.of(
        new Annotation(
            1,
            1,
            7,
            new double[] {10, 5, 10, 10},
            100,
            false,
            new PolygonSegmentation(new double[][] {RECT})),
        new Annotation(
            2,
            1,
            3,
            new double[] {10, 5, 10, 10},
            100,
            true,
            new RleSegmentation(40, 60, rle.toCompressedString())));
  }

  private static DetectionTransform identity(int minSize, int maxSize) {
    return DetectionTransform.builder()
        .optMinSize(minSize)
        .optMaxSize(maxSize)
        .optMean(new float[] {0, 0, 0})
        .optStd(new float[] {1, 1, 1})
        .build();
  }

  @Test
  void outputSizeFollowsResizeShortestEdgeWithAMaxSize() {
    DetectionTransform t = DetectionTransform.builder().build();
    assertThat(t.outputSize(480, 640)).containsExactly(800, 1067);
    assertThat(t.outputSize(256, 256)).containsExactly(800, 800);
    assertThat(t.outputSize(100, 1000)).containsExactly(133, 1333);
  }

  @Test
  void flipMovesImageBoxesPolygonsAndMasksTogether() {
    try (Mat img = image()) {
      PreparedImage p = identity(40, 100).apply(img, 1, "a.png", annotations(), INDEX, true);
      ImageTargets t = p.targets();
      assertThat(t.flipped()).isTrue();
      assertThat(t.box(0)).containsExactly(40f, 5f, 50f, 15f);
      assertThat(t.labels()).containsExactly(1, 0);
      assertThat(t.crowd()).containsExactly(false, true);
      // Pixels: the white rectangle is now on x 40..49.
      float[] px = p.pixels();
      for (int y = 0; y < 40; y++) {
        for (int x = 0; x < 60; x++) {
          boolean inside = x >= 40 && x < 50 && y >= 5 && y < 15;
          assertThat(px[y * 60 + x]).as("(%d, %d)", x, y).isEqualTo(inside ? 1f : 0f);
        }
      }
      Rle fromPolygon = t.masks().get(0).rasterize(40, 60);
      Rle fromRle = t.masks().get(1).rasterize(40, 60);
      Rle expected = Masks.fromBbox(new double[] {40, 5, 10, 10}, 40, 60);
      assertThat(Masks.decode(fromPolygon, PixelOrder.ROW_MAJOR))
          .isEqualTo(Masks.decode(expected, PixelOrder.ROW_MAJOR));
      assertThat(Masks.decode(fromRle, PixelOrder.ROW_MAJOR))
          .isEqualTo(Masks.decode(expected, PixelOrder.ROW_MAJOR));
    }
  }

  @Test
  void resizeScalesBoxesPolygonsAndMasksAlike() {
    try (Mat img = image()) {
      PreparedImage p = identity(80, 200).apply(img, 1, "a.png", annotations(), INDEX, true);
      ImageTargets t = p.targets();
      assertThat(t.height()).isEqualTo(80);
      assertThat(t.width()).isEqualTo(120);
      assertThat(t.scaleX()).isCloseTo(2.0, within(1e-12));
      assertThat(t.box(0)).containsExactly(80f, 10f, 100f, 30f);
      Rle a = t.masks().get(0).rasterize(80, 120);
      Rle b = t.masks().get(1).rasterize(80, 120);
      assertThat(a.area()).isEqualTo(400);
      double iou = MaskIou.iou(List.of(a), List.of(b), new boolean[] {false})[0][0];
      assertThat(iou).isGreaterThan(0.95);
    }
  }

  @Test
  void normalisationUsesMeanAndStdPerRgbChannel() {
    byte[] hwc = {(byte) 255, 0, (byte) 128};
    float[] out = new float[3];
    DetectionTransform.normalise(
        hwc, 1, 1, DetectionTransform.IMAGENET_MEAN, DetectionTransform.IMAGENET_STD, out);
    assertThat(out[0]).isCloseTo((1f - 0.485f) / 0.229f, within(1e-5f));
    assertThat(out[1]).isCloseTo((0f - 0.456f) / 0.224f, within(1e-5f));
    assertThat(out[2]).isCloseTo((128f / 255f - 0.406f) / 0.225f, within(1e-5f));
  }

  @Test
  void badSettingsAreRejectedWithTheirValue() {
    assertThatThrownBy(() -> DetectionTransform.builder().optMinSize(900).optMaxSize(800).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxSize must be >= minSize = 900, got 800");
    assertThatThrownBy(() -> DetectionTransform.builder().optFlipProbability(1.5).build())
        .hasMessageContaining("flipProbability must be in [0, 1], got 1.5");
  }
}
