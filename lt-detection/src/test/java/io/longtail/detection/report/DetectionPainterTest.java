package io.longtail.detection.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import io.longtail.datasets.mask.Masks;
import io.longtail.datasets.mask.Rle;
import io.longtail.detection.config.CategoryRef;
import io.longtail.detection.report.DetectionPainter.LabelledBox;
import io.longtail.detection.structures.ImageDetections;
import java.util.List;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

class DetectionPainterTest {

  private static final List<CategoryRef> CATEGORIES =
      List.of(new CategoryRef(3, "circle"), new CategoryRef(7, "star"));

  @Test
  void boxesKeepScoresAtTheThresholdBestFirstUpToTheCap() {
    ImageDetections d =
        new ImageDetections(
            1,
            new float[] {0, 0, 10, 10, 5, 5, 20, 20, 1, 2, 3, 4},
            new float[] {0.2f, 0.9f, 0.5f},
            new int[] {0, 1, 0});
    List<LabelledBox> boxes = DetectionPainter.boxes(d, CATEGORIES, 0.5, 10);
    assertThat(boxes).extracting(LabelledBox::name).containsExactly("star", "circle");
    assertThat(boxes.get(0).score()).isEqualTo(0.9f);
    assertThat(boxes.get(1).x1()).isEqualTo(1);
    assertThat(boxes.get(1).y2()).isEqualTo(4);
    assertThat(DetectionPainter.boxes(d, CATEGORIES, 0, 1)).hasSize(1);
  }

  @Test
  void masksAreFilledTranslucentlyInTheClassColourAtTheOutputScale() {
    Mat grey = new Mat(50, 100, CV_8UC3, new Scalar(100, 100, 100, 0));
    // The mask covers x in [20, 60), y in [10, 40) of the 100 x 50 image; the box is larger.
    Rle mask = Masks.fromBbox(new double[] {20, 10, 40, 30}, 50, 100);
    LabelledBox box = new LabelledBox(10, 5, 90, 45, 0, "circle", 0.9, mask);
    Mat out = DetectionPainter.draw(grey, List.of(box), 200, 100);
    Scalar colour = DetectionPainter.colour(0);
    double a = DetectionPainter.MASK_OPACITY;
    try (UByteIndexer px = out.createIndexer()) {
      // Inside the mask (x 40..120, y 20..80 at twice the size): 55% grey + 45% colour.
      for (int c = 0; c < 3; c++) {
        int expected = (int) Math.round((1 - a) * 100 + a * colour.get(c));
        assertThat(px.get(50, 80, c)).as("channel %d", c).isCloseTo(expected, within(1));
      }
      // Inside the box but outside the mask: untouched.
      assertThat(px.get(50, 150, 0)).isEqualTo(100);
      assertThat(px.get(85, 80, 1)).isEqualTo(100);
    }
  }

  @Test
  void drawScalesTheImageAndPaintsBoxesInTheClassColour() {
    Mat grey = new Mat(50, 100, CV_8UC3, new Scalar(128, 128, 128, 0));
    LabelledBox box = new LabelledBox(20, 20, 80, 45, 1, "star", 0.87);
    Mat out = DetectionPainter.draw(grey, List.of(box), 200, 100);
    assertThat(out.cols()).isEqualTo(200);
    assertThat(out.rows()).isEqualTo(100);
    Scalar colour = DetectionPainter.colour(1);
    try (UByteIndexer px = out.createIndexer()) {
      // The right edge at x = 160 (80 * 2), halfway down the box, has the class colour (BGR).
      int y = 65;
      assertThat(px.get(y, 160, 0)).isEqualTo((int) colour.get(0));
      assertThat(px.get(y, 160, 1)).isEqualTo((int) colour.get(1));
      assertThat(px.get(y, 160, 2)).isEqualTo((int) colour.get(2));
      // The inside of the box is left as it was.
      assertThat(px.get(y, 100, 0)).isEqualTo(128);
    }
    // The input is not changed.
    try (UByteIndexer px = grey.createIndexer()) {
      assertThat(px.get(40, 80, 0)).isEqualTo(128);
    }
  }

  @Test
  void labelsShowNameAndScoreAndTextContrastsWithTheColour() {
    assertThat(DetectionPainter.text(new LabelledBox(0, 0, 1, 1, 0, "star", 0.876)))
        .isEqualTo("star 0.88");
    assertThat(DetectionPainter.text(new LabelledBox(0, 0, 1, 1, 0, "star", Double.NaN)))
        .isEqualTo("star");
    // Olive-yellow (index 8) takes black text, navy (index 11) white.
    assertThat(DetectionPainter.textColour(8).get(0)).isZero();
    assertThat(DetectionPainter.textColour(11).get(0)).isEqualTo(255);
    // Colours repeat after the palette and negative indices are allowed.
    assertThat(DetectionPainter.colour(12).get(2)).isEqualTo(DetectionPainter.colour(0).get(2));
    assertThat(DetectionPainter.colour(-1).get(2)).isEqualTo(DetectionPainter.colour(11).get(2));
  }

  @Test
  void drawRejectsNonColourImages() {
    Mat mask = new Mat(10, 10, CV_8UC1);
    assertThatThrownBy(() -> DetectionPainter.draw(mask, List.of(), 10, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bgr");
  }
}
