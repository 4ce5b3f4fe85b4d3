package io.longtail.detection.modeling;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RoiLevelsTest {

  @Test
  void assignsByScaleRelativeToTheCanonicalRoi() {
    RoiLevels levels = new RoiLevels(2, 5);
    float[] boxes = {
      0, 0, 224, 224, // canonical: P4
      0, 0, 112, 112, // half: P3
      0, 0, 111, 111, // just below half: P2
      0, 0, 448, 448, // double: P5
      0, 0, 10, 10, // tiny: clamped to P2
      0, 0, 2000, 2000, // huge: clamped to P5
      0, 0, 0, 0, // empty: P2
    };
    assertThat(levels.assign(boxes)).containsExactly(2, 1, 0, 3, 0, 3, 0);
  }
}
