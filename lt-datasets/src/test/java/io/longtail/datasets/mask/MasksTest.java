package io.longtail.datasets.mask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MasksTest {

  /**
   * A 4 x 5 mask drawn by hand, row-major (x to the right, y down):
   *
   * <pre>
   *   y0: 0 0 0 0 0
   *   y1: 0 1 1 0 0
   *   y2: 0 1 0 0 0
   *   y3: 0 0 0 0 1
   * </pre>
   *
   * Column-major foreground positions x * 4 + y: 5, 6, 9, 19.
   */
  private static final byte[] HAND_DRAWN = {
    0, 0, 0, 0, 0, //
    0, 1, 1, 0, 0, //
    0, 1, 0, 0, 0, //
    0, 0, 0, 0, 1
  };

  @Test
  void handDrawnMaskHasHandComputedRunsAreaAndBox() {
    Rle rle = Masks.encode(HAND_DRAWN, 4, 5, PixelOrder.ROW_MAJOR);
    assertThat(rle.counts()).containsExactly(5, 2, 2, 1, 9, 1);
    assertThat(rle.area()).isEqualTo(4);
    assertThat(rle.bbox()).containsExactly(1, 1, 4, 3);
  }

  @Test
  void bitmapsRoundTripInBothOrders() {
    Rle rle = Masks.encode(HAND_DRAWN, 4, 5, PixelOrder.ROW_MAJOR);
    assertThat(Masks.decode(rle, PixelOrder.ROW_MAJOR)).containsExactly(HAND_DRAWN);
    byte[] columnMajor = Masks.decode(rle, PixelOrder.COLUMN_MAJOR);
    assertThat(columnMajor)
        .containsExactly(0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
    assertThat(Masks.encode(columnMajor, 4, 5, PixelOrder.COLUMN_MAJOR)).isEqualTo(rle);

    Random random = new Random(7);
    for (int trial = 0; trial < 50; trial++) {
      int h = 1 + random.nextInt(40);
      int w = 1 + random.nextInt(40);
      boolean[] bits = new boolean[h * w];
      for (int i = 0; i < bits.length; i++) {
        bits[i] = random.nextInt(3) == 0;
      }
      for (PixelOrder order : PixelOrder.values()) {
        Rle r = Masks.encode(bits, h, w, order);
        assertThat(Masks.decodeBoolean(r, order)).containsExactly(bits);
      }
    }
  }

  @Test
  void encodeTreatsEveryNonZeroByteAsForeground() {
    byte[] mask255 = HAND_DRAWN.clone();
    for (int i = 0; i < mask255.length; i++) {
      mask255[i] = (byte) (mask255[i] * 255);
    }
    assertThat(Masks.encode(mask255, 4, 5, PixelOrder.ROW_MAJOR))
        .isEqualTo(Masks.encode(HAND_DRAWN, 4, 5, PixelOrder.ROW_MAJOR));
  }

  @Test
  void maskStartingWithForegroundHasLeadingZeroRun() {
    Rle rle = Masks.encode(new byte[] {1, 1, 0, 1}, 2, 2, PixelOrder.COLUMN_MAJOR);
    assertThat(rle.counts()).containsExactly(0, 2, 1, 1);
    // The 4th count is stored as 1 - 2 = -1, i.e. 31 = 'O' - '0'.
    assertThat(rle.toCompressedString()).isEqualTo("021O");
  }

  @Test
  void squarePolygonCoversPixelsWhoseCentresAreInside() {
    // Corners (1,1) and (3,3): pixel centres 1.5 and 2.5 are inside in x and y, so pixels x, y in
    // {1, 2}; column-major positions 6, 7, 11, 12 on a 5 x 5 image.
    Rle rle = Masks.fromPolygon(new double[] {1, 1, 3, 1, 3, 3, 1, 3}, 5, 5);
    assertThat(rle.counts()).containsExactly(6, 2, 3, 2, 12);
    assertThat(rle.area()).isEqualTo(4);
    assertThat(rle.bbox()).containsExactly(1, 1, 2, 2);
    assertThat(Masks.fromBbox(new double[] {1, 1, 2, 2}, 5, 5)).isEqualTo(rle);
  }

  @Test
  void polygonOutsideTheImageIsClipped() {
    Rle rle = Masks.fromPolygon(new double[] {-10, -10, 30, -10, 30, 30, -10, 30}, 4, 3);
    assertThat(rle.counts()).containsExactly(0, 12);
    Rle empty = Masks.fromPolygon(new double[] {10, 10, 20, 10, 20, 20}, 4, 3);
    assertThat(empty.area()).isZero();
  }

  @Test
  void polygonPartsAreUnited() {
    double[] left = {0, 0, 2, 0, 2, 4, 0, 4};
    double[] right = {1, 0, 4, 0, 4, 4, 1, 4};
    Rle both = Masks.fromPolygons(new double[][] {left, right}, 4, 4);
    assertThat(both.counts()).containsExactly(0, 16);
    assertThat(Masks.fromPolygons(new double[][] {left}, 4, 4))
        .isEqualTo(Masks.fromPolygon(left, 4, 4));
  }

  @Test
  void unionAndIntersectionFollowTheBitmaps() {
    Random random = new Random(11);
    for (int trial = 0; trial < 30; trial++) {
      int h = 1 + random.nextInt(20);
      int w = 1 + random.nextInt(20);
      boolean[][] bits = new boolean[3][h * w];
      Rle[] rles = new Rle[3];
      for (int k = 0; k < 3; k++) {
        for (int i = 0; i < h * w; i++) {
          bits[k][i] = random.nextInt(4) == 0;
        }
        rles[k] = Masks.encode(bits[k], h, w, PixelOrder.COLUMN_MAJOR);
      }
      boolean[] or = new boolean[h * w];
      boolean[] and = new boolean[h * w];
      for (int i = 0; i < h * w; i++) {
        or[i] = bits[0][i] || bits[1][i] || bits[2][i];
        and[i] = bits[0][i] && bits[1][i] && bits[2][i];
      }
      assertThat(Masks.decodeBoolean(Masks.union(List.of(rles)), PixelOrder.COLUMN_MAJOR))
          .containsExactly(or);
      assertThat(Masks.decodeBoolean(Masks.intersection(List.of(rles)), PixelOrder.COLUMN_MAJOR))
          .containsExactly(and);
    }
  }

  @Test
  void badPolygonsAreRejectedNamingTheValue() {
    assertThatThrownBy(() -> Masks.fromPolygon(new double[] {1, 2, 3, 4, 5, 6, 7}, 10, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("even number of coordinates")
        .hasMessageContaining("got 7");
    assertThatThrownBy(() -> Masks.fromPolygon(new double[] {1, 2, 3, 4}, 10, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 3 points")
        .hasMessageContaining("got 2: [1.0, 2.0, 3.0, 4.0]");
    assertThatThrownBy(
            () ->
                Masks.fromPolygons(
                    new double[][] {{0, 0, 4, 0, 4, 4}, {1, 1, 2, 2, Double.NaN, 3}}, 10, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("parts[1]")
        .hasMessageContaining("xy[4] = NaN");
    assertThatThrownBy(() -> Masks.fromPolygons(new double[0][], 10, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one polygon");
    assertThatThrownBy(() -> Masks.fromPolygon(new double[] {0, 0, 4, 0, 4, 4}, 0, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 0x10");
  }

  @Test
  void badBitmapsAndMergesAreRejected() {
    assertThatThrownBy(() -> Masks.encode(new byte[5], 2, 3, PixelOrder.ROW_MAJOR))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("height * width = 6 values, got 5");
    Rle a = Rle.fromCounts(new int[] {6}, 2, 3);
    Rle b = Rle.fromCounts(new int[] {6}, 3, 2);
    assertThatThrownBy(() -> Masks.union(List.of(a, b)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("masks[1] of 3x2");
    assertThatThrownBy(() -> Masks.intersection(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
