package io.longtail.datasets.lvis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longtail.datasets.mask.Masks;
import io.longtail.datasets.mask.Rle;
import org.junit.jupiter.api.Test;

/** {@link Segmentation#toRle}: every stored form gives the same mask. */
class SegmentationToRleTest {

  private static final double[] SQUARE = {2, 1, 6, 1, 6, 4, 2, 4};

  @Test
  void polygonsAreRasterisedLikeMasksFromPolygons() {
    Rle rle = new PolygonSegmentation(new double[][] {SQUARE}).toRle(6, 8);
    assertThat(rle).isEqualTo(Masks.fromPolygons(new double[][] {SQUARE}, 6, 8));
    assertThat(rle.height()).isEqualTo(6);
    assertThat(rle.width()).isEqualTo(8);
    assertThat(rle.area()).isPositive();
  }

  @Test
  void compressedAndUncompressedRleDecodeToTheSameMask() {
    Rle square = Masks.fromPolygons(new double[][] {SQUARE}, 6, 8);
    RleSegmentation compressed = new RleSegmentation(6, 8, square.toCompressedString());
    UncompressedRleSegmentation counts = new UncompressedRleSegmentation(6, 8, square.counts());
    assertThat(compressed.toRle(6, 8)).isEqualTo(square);
    assertThat(counts.toRle(6, 8)).isEqualTo(square);
  }

  @Test
  void anRleOfAnotherSizeThanTheImageIsRejected() {
    Rle square = Masks.fromPolygons(new double[][] {SQUARE}, 6, 8);
    RleSegmentation compressed = new RleSegmentation(6, 8, square.toCompressedString());
    assertThatThrownBy(() -> compressed.toRle(8, 6))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("6x8")
        .hasMessageContaining("8x6");
  }
}
