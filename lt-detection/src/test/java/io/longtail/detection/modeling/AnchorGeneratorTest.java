package io.longtail.detection.modeling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class AnchorGeneratorTest {

  private final AnchorGenerator generator =
      new AnchorGenerator(new float[] {32, 64}, new int[] {4, 8}, new float[] {0.5f, 1f, 2f});

  @Test
  void cellAnchorsHaveTheLevelAreaAndRatios() {
    float[] cell = generator.cellAnchors(0);
    for (int a = 0; a < 3; a++) {
      float w = cell[4 * a + 2] - cell[4 * a];
      float h = cell[4 * a + 3] - cell[4 * a + 1];
      assertThat(w * h).isCloseTo(32 * 32, within(1e-2f));
      assertThat(h / w).isCloseTo(new float[] {0.5f, 1f, 2f}[a], within(1e-5f));
      assertThat(cell[4 * a] + cell[4 * a + 2]).isCloseTo(0f, within(1e-5f));
    }
    // Square anchor of size 32 centred on the origin.
    assertThat(new float[] {cell[4], cell[5], cell[6], cell[7]}).containsExactly(-16, -16, 16, 16);
  }

  @Test
  void anchorsAreOrderedByRowColumnRatio() {
    List<float[]> anchors = generator.anchors(List.of(new int[] {2, 3}, new int[] {1, 2}));
    assertThat(anchors.get(0)).hasSize(4 * 2 * 3 * 3);
    assertThat(anchors.get(1)).hasSize(4 * 1 * 2 * 3);
    float[] l0 = anchors.get(0);
    // Anchor index (y * W + x) * A + a: y=1, x=2, square (a=1) is centred at (8, 4).
    int i = (1 * 3 + 2) * 3 + 1;
    assertThat(new float[] {l0[4 * i], l0[4 * i + 1], l0[4 * i + 2], l0[4 * i + 3]})
        .containsExactly(8 - 16, 4 - 16, 8 + 16, 4 + 16);
    float[] l1 = anchors.get(1);
    int j = 1 * 3 + 1; // y=0, x=1 on stride 8, square
    assertThat(l1[4 * j] + l1[4 * j + 2]).isCloseTo(16f, within(1e-5f));
  }
}
