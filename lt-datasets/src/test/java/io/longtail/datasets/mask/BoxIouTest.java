package io.longtail.datasets.mask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoxIouTest {

  @Test
  void overlappingBoxesGiveIntersectionOverUnionOrOverDetectionAreaForCrowd() {
    // Overlap [5, 10] x [5, 10] = 25; union 100 + 100 - 25 = 175; crowd: 25 / 100.
    double[][] iou =
        BoxIou.iou(
            new double[][] {{0, 0, 10, 10}},
            new double[][] {{5, 5, 10, 10}, {5, 5, 10, 10}},
            new boolean[] {false, true});
    assertThat(iou[0][0]).isEqualTo(25.0 / 175.0);
    assertThat(iou[0][1]).isEqualTo(0.25);
  }

  @Test
  void touchingOrDisjointBoxesGiveZero() {
    double[][] iou =
        BoxIou.iou(
            new double[][] {{0, 0, 10, 10}, {0, 0, 0, 0}},
            new double[][] {{10, 0, 5, 5}, {20, 20, 1, 1}},
            new boolean[] {true, false});
    assertThat(iou).isEqualTo(new double[][] {{0, 0}, {0, 0}});
  }

  @Test
  void matchesMaskIouOfTheRasterisedBoxesWhenBoxesArePixelAligned() {
    double[][] boxes = {{2, 3, 10, 7}, {6, 1, 9, 12}, {0, 0, 30, 30}};
    List<Rle> masks = new ArrayList<>();
    for (double[] b : boxes) {
      masks.add(Masks.fromBbox(b, 40, 40));
    }
    boolean[] crowd = {false, true, false};
    assertThat(BoxIou.iou(boxes, boxes, crowd)).isEqualTo(MaskIou.iou(masks, masks, crowd));
  }

  @Test
  void boxesMustHaveFourValues() {
    assertThatThrownBy(
            () -> BoxIou.iou(new double[][] {{0, 0, 1}}, new double[0][], new boolean[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dt[0] must be a box [x, y, w, h] of 4 values, got 3 values");
  }
}
