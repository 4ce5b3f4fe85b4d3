package io.longtail.segmentation.masks;

import static org.assertj.core.api.Assertions.assertThat;

import io.longtail.datasets.mask.MaskIou;
import io.longtail.datasets.mask.Masks;
import io.longtail.datasets.mask.PixelOrder;
import io.longtail.datasets.mask.Rle;
import io.longtail.datasets.pipeline.InstanceMask;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MaskPasteTest {

  @Test
  void aFullMaskPastesBackToExactlyItsBoxUpToMaskSize() {
    float[] full = new float[28 * 28];
    Arrays.fill(full, 1f);
    int h = 120;
    int w = 160;
    int[][] boxes = {
      {10, 20, 38, 48}, {5, 7, 9, 10}, {0, 0, 28, 13}, {140, 100, 160, 120}, {40, 60, 41, 61}
    };
    for (int[] b : boxes) {
      float[] box = {b[0], b[1], b[2], b[3]};
      Rle pasted = MaskPaste.pasteToRle(full, 28, box, h, w, 0.5f);
      assertThat(pasted).as("box %s", Arrays.toString(b)).isEqualTo(boxMask(b, h, w));
    }
  }

  @Test
  void aFullMaskPastedIntoALargerBoxFillsItButForItsCorners() {
    // Bilinear sampling with zero padding (detectron2's grid_sample paste) weighs a corner pixel
    // by the product of two edge fractions, so a box wider and taller than the mask loses a few
    // pixels at each corner, nothing else.
    float[] full = new float[28 * 28];
    Arrays.fill(full, 1f);
    int h = 120;
    int w = 160;
    for (int[] b : new int[][] {{0, 0, 160, 120}, {3, 3, 103, 90}, {100, 30, 159, 119}}) {
      float[] box = {b[0], b[1], b[2], b[3]};
      byte[] pasted = MaskPaste.paste(full, 28, box, h, w).toBitmap(0.5f, PixelOrder.ROW_MAJOR);
      byte[] expected = Masks.decode(boxMask(b, h, w), PixelOrder.ROW_MAJOR);
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int dx = Math.min(Math.abs(x - b[0]), Math.abs(b[2] - 1 - x));
          int dy = Math.min(Math.abs(y - b[1]), Math.abs(b[3] - 1 - y));
          boolean nearCorner = dx + dy <= 3;
          if (!nearCorner || expected[y * w + x] == 0) {
            assertThat(pasted[y * w + x])
                .as("pixel (%d, %d) of box %s", x, y, Arrays.toString(b))
                .isEqualTo(expected[y * w + x]);
          }
        }
      }
    }
  }

  private static Rle boxMask(int[] b, int h, int w) {
    return Masks.fromBbox(new double[] {b[0], b[1], b[2] - b[0], b[3] - b[1]}, h, w);
  }

  @Test
  void targetThenPasteRecoversTheMask() {
    double[][] polygon = {{30.5, 22, 88, 30.2, 70.4, 81.7, 41, 64, 36.2, 90.1, 20, 50}};
    int h = 110;
    int w = 120;
    Rle original = Masks.fromPolygons(polygon, h, w);
    double[] bb = original.bbox();
    float[] box = {(float) bb[0], (float) bb[1], (float) (bb[0] + bb[2]), (float) (bb[1] + bb[3])};
    float[] target = MaskTargets.target(new InstanceMask.Polygons(polygon), box, h, w, 28);
    Rle back = MaskPaste.pasteToRle(target, 28, box, h, w, 0.5f);
    double inter = MaskIou.intersectionArea(back, original);
    double iou = inter / (back.area() + original.area() - inter);
    assertThat(iou).isGreaterThan(0.9);
  }

  @Test
  void runLengthEncodingOfAWindowEqualsEncodingTheWholeBitmap() {
    Random random = new Random(7);
    for (int trial = 0; trial < 50; trial++) {
      int h = 1 + random.nextInt(40);
      int w = 1 + random.nextInt(40);
      float[] mask = new float[14 * 14];
      for (int i = 0; i < mask.length; i++) {
        mask[i] = random.nextFloat();
      }
      float x1 = random.nextFloat() * w;
      float y1 = random.nextFloat() * h;
      float[] box = {x1, y1, x1 + random.nextFloat() * w, y1 + random.nextFloat() * h};
      PastedMask p = MaskPaste.paste(mask, 14, box, h, w);
      Rle direct = p.toRle(0.5f);
      Rle viaBitmap =
          Masks.encode(p.toBitmap(0.5f, PixelOrder.COLUMN_MAJOR), h, w, PixelOrder.COLUMN_MAJOR);
      assertThat(direct).as("trial %d", trial).isEqualTo(viaBitmap);
    }
  }

  @Test
  void probabilitiesFadeAcrossTheBoxBorderAndInterpolateInside() {
    float[] mask = new float[4];
    mask[0] = 1f; // top-left cell of a 2 x 2 mask
    PastedMask p = MaskPaste.paste(mask, 2, new float[] {0, 0, 4, 4}, 4, 4);
    // Pixel (0, 0) reads the mask at u = v = -0.25: 0.75 x 0.75 of cell (0, 0), the rest padding.
    assertThat(p.probability(0, 0)).isCloseTo(0.5625f, org.assertj.core.data.Offset.offset(1e-6f));
    // Pixel (1, 1) reads (0.25, 0.25): 0.75 x 0.75 of cell (0, 0).
    assertThat(p.probability(1, 1)).isCloseTo(0.5625f, org.assertj.core.data.Offset.offset(1e-6f));
    assertThat(p.probability(3, 3)).isZero();
  }

  @Test
  void anEmptyBoxGivesAnEmptyMask() {
    float[] full = new float[28 * 28];
    Arrays.fill(full, 1f);
    Rle r = MaskPaste.pasteToRle(full, 28, new float[] {5, 5, 5, 9}, 20, 20, 0.5f);
    assertThat(r.area()).isZero();
    assertThat(r.height()).isEqualTo(20);
  }
}
