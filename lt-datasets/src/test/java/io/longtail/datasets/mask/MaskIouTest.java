package io.longtail.datasets.mask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MaskIouTest {

  // 4 x 4 image: dt covers columns 0-1 (8 pixels), gt columns 1-2 (8 pixels); they share column 1.
  private static final Rle DT = Rle.fromCounts(new int[] {0, 8, 8}, 4, 4);
  private static final Rle GT = Rle.fromCounts(new int[] {4, 8, 4}, 4, 4);

  @Test
  void iouIsIntersectionOverUnionAndCrowdUsesDetectionArea() {
    double[][] iou = MaskIou.iou(List.of(DT), List.of(GT, GT), new boolean[] {false, true});
    assertThat(iou).hasDimensions(1, 2);
    assertThat(iou[0][0]).isEqualTo(4.0 / 12.0);
    assertThat(iou[0][1]).isEqualTo(4.0 / 8.0);
    assertThat(MaskIou.intersectionArea(DT, GT)).isEqualTo(4);
  }

  @Test
  void disjointAndEmptyMasksGiveZero() {
    Rle right = Rle.fromCounts(new int[] {12, 4}, 4, 4);
    Rle empty = Rle.fromCounts(new int[] {16}, 4, 4);
    double[][] iou =
        MaskIou.iou(List.of(DT, empty), List.of(right, empty), new boolean[] {true, false});
    assertThat(iou).isEqualTo(new double[][] {{0, 0}, {0, 0}});
  }

  @Test
  void matrixIsDetectionsByGroundTruths() {
    double[][] iou = MaskIou.iou(List.of(DT, GT, DT), List.of(GT), new boolean[] {false});
    assertThat(iou).hasDimensions(3, 1);
    assertThat(iou[1][0]).isEqualTo(1.0);
  }

  @Test
  void equalsBitmapCountingOnRandomMasks() {
    Random random = new Random(3);
    int h = 37;
    int w = 53;
    List<Rle> masks = new ArrayList<>();
    List<boolean[]> bitmaps = new ArrayList<>();
    for (int k = 0; k < 40; k++) {
      Rle rle =
          k % 2 == 0
              ? randomPolygon(random, h, w)
              : Masks.encode(randomBlob(random, h, w), h, w, PixelOrder.COLUMN_MAJOR);
      masks.add(rle);
      bitmaps.add(Masks.decodeBoolean(rle, PixelOrder.COLUMN_MAJOR));
    }
    boolean[] crowd = new boolean[masks.size()];
    for (int g = 0; g < crowd.length; g++) {
      crowd[g] = g % 3 == 0;
    }
    double[][] iou = MaskIou.iou(masks, masks, crowd);
    int positive = 0;
    for (int d = 0; d < masks.size(); d++) {
      for (int g = 0; g < masks.size(); g++) {
        int inter = 0;
        int union = 0;
        for (int i = 0; i < h * w; i++) {
          boolean a = bitmaps.get(d)[i];
          boolean b = bitmaps.get(g)[i];
          inter += a && b ? 1 : 0;
          union += a || b ? 1 : 0;
        }
        double expected =
            inter == 0 ? 0 : (double) inter / (crowd[g] ? masks.get(d).area() : union);
        assertThat(iou[d][g]).as("dt %d gt %d", d, g).isEqualTo(expected);
        positive += expected > 0 ? 1 : 0;
      }
    }
    assertThat(positive).isGreaterThan(masks.size() * 4);
  }

  @Test
  void badArgumentsAreRejected() {
    Rle other = Rle.fromCounts(new int[] {20}, 4, 5);
    assertThatThrownBy(() -> MaskIou.iou(List.of(DT), List.of(other), new boolean[] {false}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gt[0] of 4x5");
    assertThatThrownBy(() -> MaskIou.iou(List.of(DT), List.of(GT), new boolean[2]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got length 2");
  }

  private static Rle randomPolygon(Random random, int h, int w) {
    double cx = random.nextDouble() * w;
    double cy = random.nextDouble() * h;
    double r = 2 + random.nextDouble() * 15;
    int n = 3 + random.nextInt(10);
    double[] xy = new double[2 * n];
    for (int i = 0; i < n; i++) {
      double angle = 2 * Math.PI * i / n;
      double radius = r * (0.4 + 0.6 * random.nextDouble());
      xy[2 * i] = cx + radius * Math.cos(angle);
      xy[2 * i + 1] = cy + radius * Math.sin(angle);
    }
    return Masks.fromPolygon(xy, h, w);
  }

  private static boolean[] randomBlob(Random random, int h, int w) {
    boolean[] bits = new boolean[h * w];
    int x0 = random.nextInt(w);
    int y0 = random.nextInt(h);
    int x1 = Math.min(w, x0 + 1 + random.nextInt(25));
    int y1 = Math.min(h, y0 + 1 + random.nextInt(25));
    for (int x = x0; x < x1; x++) {
      for (int y = y0; y < y1; y++) {
        bits[x * h + y] = random.nextInt(5) != 0;
      }
    }
    return bits;
  }
}
