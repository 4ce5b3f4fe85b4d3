package io.longtail.segmentation.masks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longtail.datasets.mask.Masks;
import io.longtail.datasets.mask.PixelOrder;
import io.longtail.datasets.mask.Rle;
import io.longtail.datasets.pipeline.InstanceMask;
import org.junit.jupiter.api.Test;

class MaskTargetsTest {

  private static final int H = 90;
  private static final int W = 100;

  /** A concave polygon (an L with a notch) that runs past the box's right and bottom edges. */
  private static final double[][] POLYGON = {
    {20.3, 14.6, 61.2, 15.1, 60.7, 33.4, 37.9, 33.8, 38.2, 58.4, 71.6, 59.1, 70.8, 77.9, 19.6, 76.2}
  };

  /** The full-image rasterisation, row-major. */
  private static byte[] fullImage() {
    return Masks.decode(Masks.fromPolygons(POLYGON, H, W), PixelOrder.ROW_MAJOR);
  }

  private static float[] crop(byte[] image, int x0, int y0, int size) {
    float[] out = new float[size * size];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        out[y * size + x] = image[(y0 + y) * W + x0 + x];
      }
    }
    return out;
  }

  @Test
  void polygonTargetOfAnIntegerWindowEqualsTheCropOfTheRasterisedImage() {
    byte[] image = fullImage();
    // Exact when no vertex lies left of or above the window: the COCO rasteriser rounds vertices
    // by truncation, which differs by one fine-grid step (0.2 px) for negative coordinates.
    for (int[] corner : new int[][] {{18, 12}, {19, 14}, {5, 3}}) {
      float[] box = {corner[0], corner[1], corner[0] + 28, corner[1] + 28};
      float[] target = MaskTargets.target(new InstanceMask.Polygons(POLYGON), box, H, W, 28);
      assertThat(target)
          .as("box at %d,%d", corner[0], corner[1])
          .containsExactly(crop(image, corner[0], corner[1], 28));
    }
  }

  @Test
  void polygonTargetOfAWindowInsideTheShapeDiffersOnlyOnEdges() {
    byte[] image = fullImage();
    for (int[] corner : new int[][] {{40, 50}, {47, 55}, {30, 30}}) {
      float[] box = {corner[0], corner[1], corner[0] + 28, corner[1] + 28};
      float[] target = MaskTargets.target(new InstanceMask.Polygons(POLYGON), box, H, W, 28);
      assertThat(mismatches(target, crop(image, corner[0], corner[1], 28))).isLessThanOrEqualTo(8);
    }
  }

  @Test
  void runLengthTargetOfAnIntegerWindowEqualsTheCrop() {
    byte[] image = fullImage();
    Rle rle = Masks.encode(image, H, W, PixelOrder.ROW_MAJOR);
    for (int[] corner : new int[][] {{0, 0}, {18, 12}, {47, 55}, {72, 62}}) {
      float[] box = {corner[0], corner[1], corner[0] + 28, corner[1] + 28};
      float[] target = MaskTargets.target(new InstanceMask.RunLength(rle), box, H, W, 28);
      assertThat(target).containsExactly(crop(image, corner[0], corner[1], 28));
    }
  }

  @Test
  void targetsOfALargerBoxAreTheDownsampledCrop() {
    byte[] image = fullImage();
    Rle rle = Masks.encode(image, H, W, PixelOrder.ROW_MAJOR);
    float[] box = {16, 10, 72, 66}; // 56 x 56 -> 28 x 28, two pixels per cell
    float[] expected = new float[28 * 28];
    for (int y = 0; y < 28; y++) {
      for (int x = 0; x < 28; x++) {
        int sum = 0;
        for (int dy = 0; dy < 2; dy++) {
          for (int dx = 0; dx < 2; dx++) {
            sum += image[(10 + 2 * y + dy) * W + 16 + 2 * x + dx];
          }
        }
        expected[y * 28 + x] = sum >= 2 ? 1 : 0;
      }
    }
    float[] fromPolygon = MaskTargets.target(new InstanceMask.Polygons(POLYGON), box, H, W, 28);
    float[] fromRle = MaskTargets.target(new InstanceMask.RunLength(rle), box, H, W, 28);
    // Cells on the outline may go either way (half their pixels in); the interior must agree.
    assertThat(mismatches(fromPolygon, expected)).isLessThanOrEqualTo(28);
    assertThat(mismatches(fromRle, expected)).isLessThanOrEqualTo(28);
    assertThat(sum(expected)).isGreaterThan(200);
  }

  @Test
  void aRectangleFillsItsOwnBox() {
    double[][] rect = {{12, 20, 52, 20, 52, 41, 12, 41}};
    float[] target = MaskTargets.fromPolygons(rect, new float[] {12, 20, 52, 41}, 28);
    assertThat(sum(target)).isEqualTo(28 * 28);
  }

  @Test
  void degenerateInputsGiveEmptyOrRejectedTargets() {
    assertThat(
            sum(
                MaskTargets.fromPolygons(
                    new double[][] {{1, 2, 3, 4}}, new float[] {0, 0, 9, 9}, 28)))
        .isZero();
    assertThatThrownBy(() -> MaskTargets.fromPolygons(POLYGON, new float[] {0, 0, 9, 9}, 0))
        .hasMessageContaining("size must be >= 1, got 0");
    assertThatThrownBy(() -> MaskTargets.fromPolygons(POLYGON, new float[] {0, 0, 9}, 28))
        .hasMessageContaining("box must be (x1, y1, x2, y2), got 3 values");
  }

  static int mismatches(float[] a, float[] b) {
    int n = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i] != b[i]) {
        n++;
      }
    }
    return n;
  }

  static int sum(float[] a) {
    int n = 0;
    for (float v : a) {
      n += (int) v;
    }
    return n;
  }
}
