package io.longtail.datasets.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.longtail.datasets.mask.Masks;
import java.awt.geom.Area;
import org.junit.jupiter.api.Test;

class PolygonsTest {

  private static final double[] OUTER = {2, 2, 12, 2, 12, 12, 2, 12};
  private static final double[] HOLE = {5, 5, 7, 5, 7, 7, 5, 7};

  @Test
  void aRegionWithAHoleBecomesOneKeyholePolygon() {
    Area region = Polygons.region(OUTER, HOLE);
    double[][] parts = Polygons.toParts(region);
    assertThat(parts).hasNumberOfRows(1);
    assertThat(parts[0]).hasSize(2 * (4 + 4 + 2));
    assertThat(Polygons.partsArea(parts)).isCloseTo(96, within(1e-9));
    assertThat(Polygons.area(region)).isCloseTo(96, within(1e-9));
    assertThat(Polygons.bbox(parts)).containsExactly(2, 2, 10, 10);
  }

  @Test
  void theCocoRasteriserFillsTheKeyholeWithoutItsHole() {
    double[][] parts = Polygons.toParts(Polygons.region(OUTER, HOLE));
    assertThat(Masks.fromPolygons(parts, 16, 16).area())
        .isEqualTo(
            Masks.fromPolygon(OUTER, 16, 16).area() - Masks.fromPolygon(HOLE, 16, 16).area());
  }

  @Test
  void disjointVisiblePiecesBecomeSeparateParts() {
    Area region = Polygons.region(new double[] {0, 0, 30, 0, 30, 10, 0, 10}, null);
    region.subtract(Polygons.region(new double[] {10, -1, 20, -1, 20, 11, 10, 11}, null));
    double[][] parts = Polygons.toParts(region);
    assertThat(parts).hasNumberOfRows(2);
    assertThat(Polygons.partsArea(parts)).isCloseTo(200, within(1e-9));
  }
}
