package io.longtail.segmentation.heads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.longtail.segmentation.config.MaskHeadConfig;
import org.junit.jupiter.api.Test;

class MaskHeadTest {

  @Test
  void headMapsPooledFeaturesToOneMaskPerClassAndSelectsTheRequestedOne() {
    try (NDManager m = NDManager.newBaseManager()) {
      MaskHeadConfig config = new MaskHeadConfig(7, null, 2, 8, null, null, null);
      MaskHead head = new MaskHead(config, 5);
      head.initialize(m, DataType.FLOAT32, new Shape(1, 6, 7, 7));
      ParameterStore ps = new ParameterStore(m, false);
      NDArray pooled = m.randomNormal(new Shape(3, 6, 7, 7));
      NDArray all = head.forward(ps, new NDList(pooled), false).singletonOrThrow();
      assertThat(all.getShape()).isEqualTo(new Shape(3, 5, 14, 14));
      int[] classes = {4, 0, 2};
      NDArray selected = head.selectedLogits(ps, pooled, classes, false);
      assertThat(selected.getShape()).isEqualTo(new Shape(3, 14, 14));
      for (int r = 0; r < 3; r++) {
        float[] expected = all.get(new NDIndex("{}, {}", r, classes[r])).toFloatArray();
        float[] actual = selected.get(r).toFloatArray();
        for (int i = 0; i < expected.length; i++) {
          assertThat(actual[i]).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-5f));
        }
      }
      assertThatThrownBy(() -> head.selectedLogits(ps, pooled, new int[] {0, 5, 1}, false))
          .hasMessageContaining("got 5");
    }
  }

  @Test
  void classAgnosticHeadHasOneMask() {
    try (NDManager m = NDManager.newBaseManager()) {
      MaskHead head = new MaskHead(new MaskHeadConfig(4, null, 1, 4, true, null, null), 9);
      head.initialize(m, DataType.FLOAT32, new Shape(1, 3, 4, 4));
      assertThat(head.getOutputShapes(new Shape[] {new Shape(2, 3, 4, 4)})[0])
          .isEqualTo(new Shape(2, 1, 8, 8));
      NDArray pooled = m.randomNormal(new Shape(2, 3, 4, 4));
      NDArray a =
          head.selectedLogits(new ParameterStore(m, false), pooled, new int[] {3, 8}, false);
      assertThat(a.getShape()).isEqualTo(new Shape(2, 8, 8));
    }
  }

  @Test
  void binaryCrossEntropyMatchesTheDefinition() {
    try (NDManager m = NDManager.newBaseManager()) {
      float[] x = {-30f, -1f, 0f, 2.5f, 40f, 0.3f};
      float[] t = {0f, 1f, 1f, 0f, 1f, 0f};
      double expected = 0;
      for (int i = 0; i < x.length; i++) {
        double p = 1 / (1 + Math.exp(-x[i]));
        double term = t[i] == 1 ? -Math.log(p) : -Math.log1p(-p);
        if (Double.isInfinite(term)) {
          term = Math.abs(x[i]); // log(1 + e^|x|) for a saturated wrong sign
        }
        expected += term;
      }
      expected /= x.length;
      NDArray loss =
          MaskLoss.binaryCrossEntropy(
              m.create(x, new Shape(1, 2, 3)), m.create(t, new Shape(1, 2, 3)));
      assertThat((double) loss.getFloat())
          .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-5));
    }
  }
}
