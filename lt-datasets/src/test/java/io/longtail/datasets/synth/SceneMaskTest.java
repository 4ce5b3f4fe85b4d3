package io.longtail.datasets.synth;

import static org.assertj.core.api.Assertions.assertThat;

import io.longtail.datasets.mask.Masks;
import io.longtail.datasets.mask.PixelOrder;
import io.longtail.datasets.mask.Rle;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The annotated polygons are the drawn, visible regions: masks are exact up to rasterisation. */
class SceneMaskTest {

  @Test
  void annotatedPolygonsMatchTheDrawnVisiblePixels() {
    List<ShapeCategory> cats = CategoryCatalog.create(60, 3);
    ScenePlanner planner = new ScenePlanner(256, 8, 6, 0.0, cats);
    double sumIou = 0;
    int n = 0;
    int occluded = 0;
    int withHoles = 0;
    for (long seed = 0; seed < 30; seed++) {
      List<ShapeCategory> assigned =
          List.of(cats.get((int) seed % 60), cats.get((int) (seed * 7 + 3) % 60));
      Scene scene = planner.plan(seed, assigned, seed * 31 + 1);
      byte[] map = SceneRenderer.instanceMap(scene);
      for (int i = 0; i < scene.instances().size(); i++) {
        Scene.Instance inst = scene.instances().get(i);
        Rle rle = Masks.fromPolygons(inst.parts(), 256, 256);
        byte[] ann = Masks.decode(rle, PixelOrder.ROW_MAJOR);
        int inter = 0;
        int union = 0;
        int drawn = 0;
        for (int p = 0; p < map.length; p++) {
          boolean a = ann[p] != 0;
          boolean d = map[p] == i + 1;
          inter += a && d ? 1 : 0;
          union += a || d ? 1 : 0;
          drawn += d ? 1 : 0;
        }
        double iou = (double) inter / union;
        if (inst.area() >= 400) {
          assertThat(iou)
              .as("scene %d instance %d area %.0f", seed, i, inst.area())
              .isGreaterThan(0.8);
        }
        // The annotated area is the polygon area; the drawn pixel count agrees within the border.
        assertThat(Math.abs(drawn - inst.area())).isLessThan(0.25 * inst.area() + 40);
        sumIou += iou;
        n++;
        if (inst.area() < 0.99 * Polygons.area(inst.shape().region())) {
          occluded++;
        }
        if (inst.parts().length > 0 && inst.shape().hole() != null) {
          withHoles++;
        }
      }
    }
    System.out.printf("mean mask IoU %.4f over %d instances%n", sumIou / n, n);
    assertThat(sumIou / n).isGreaterThan(0.9);
    assertThat(occluded).isPositive();
    assertThat(withHoles).isPositive();
  }

  @Test
  void everyInstanceKeepsAtLeastHalfOfItsAreaVisible() {
    List<ShapeCategory> cats = CategoryCatalog.create(20, 1);
    ScenePlanner planner = new ScenePlanner(256, 8, 6, 0.0, cats);
    for (long seed = 0; seed < 30; seed++) {
      Scene scene = planner.plan(seed, List.of(cats.get(0), cats.get(1), cats.get(2)), seed);
      for (Scene.Instance inst : scene.instances()) {
        double full = Polygons.area(inst.shape().region());
        assertThat(inst.area()).isGreaterThanOrEqualTo(0.5 * full - 1);
        double[] b = inst.bbox();
        assertThat(b[0]).isGreaterThanOrEqualTo(0);
        assertThat(b[1]).isGreaterThanOrEqualTo(0);
        assertThat(b[0] + b[2]).isLessThanOrEqualTo(256);
        assertThat(b[1] + b[3]).isLessThanOrEqualTo(256);
      }
    }
  }
}
