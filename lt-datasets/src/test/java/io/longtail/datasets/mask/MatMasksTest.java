package io.longtail.datasets.mask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.junit.jupiter.api.Test;

class MatMasksTest {

  private static final Rle MASK =
      Masks.fromPolygon(new double[] {2.3, 1.2, 14.8, 3.1, 9.5, 11.7, 1.1, 8.4}, 13, 17);

  @Test
  void matRoundTripKeepsTheMaskAndUsesRowsForHeight() {
    try (Mat mat = MatMasks.toMat(MASK)) {
      assertThat(mat.rows()).isEqualTo(13);
      assertThat(mat.cols()).isEqualTo(17);
      assertThat(mat.type()).isEqualTo(CV_8UC1);
      byte[] pixels = new byte[13 * 17];
      mat.data().get(pixels);
      assertThat(pixels).containsExactly(Masks.decode(MASK, PixelOrder.ROW_MAJOR));
      assertThat(MatMasks.fromMat(mat)).isEqualTo(MASK);
    }
  }

  @Test
  void zeroTo255MatsEncodeLikeZeroToOne() {
    try (Mat mat = MatMasks.toMat(MASK, 255)) {
      byte[] pixels = new byte[13 * 17];
      mat.data().get(pixels);
      assertThat(pixels).contains((byte) 255).doesNotContain((byte) 1);
      assertThat(MatMasks.fromMat(mat)).isEqualTo(MASK);
    }
  }

  @Test
  void nonContinuousRoiIsEncodedRowByRow() {
    try (Mat big = MatMasks.toMat(MASK);
        Rect rect = new Rect(3, 2, 10, 9);
        Mat roi = new Mat(big, rect)) {
      assertThat(roi.isContinuous()).isFalse();
      byte[] full = Masks.decode(MASK, PixelOrder.ROW_MAJOR);
      byte[] expected = new byte[9 * 10];
      for (int y = 0; y < 9; y++) {
        System.arraycopy(full, (y + 2) * 17 + 3, expected, y * 10, 10);
      }
      assertThat(MatMasks.fromMat(roi))
          .isEqualTo(Masks.encode(expected, 9, 10, PixelOrder.ROW_MAJOR));
    }
  }

  @Test
  void colourMatsAndBadForegroundValuesAreRejected() {
    try (Mat colour = new Mat(4, 4, CV_8UC3)) {
      assertThatThrownBy(() -> MatMasks.fromMat(colour))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("CV_8UC1")
          .hasMessageContaining("type " + CV_8UC3);
    }
    assertThatThrownBy(() -> MatMasks.toMat(MASK, 256))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 256");
  }
}
