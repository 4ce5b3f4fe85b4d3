package io.longtail.detection.backbone;

import static io.longtail.detection.backbone.TestArrays.forward;
import static io.longtail.detection.backbone.TestArrays.gaussian;
import static io.longtail.detection.backbone.TestArrays.initialized;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class FpnTest {

  private static final Shape[] C = {
    new Shape(1, 4, 16, 24), new Shape(1, 8, 8, 12), new Shape(1, 16, 4, 6), new Shape(1, 32, 2, 3)
  };

  @Test
  void producesP2ToP6WithOutChannelsAtStrides4To64() {
    try (NDManager m = NDManager.newBaseManager()) {
      Fpn fpn = initialized(new Fpn(12), m, C);
      NDList p = forward(fpn, m, false, inputs(m, 0));
      assertThat(fpn.strides()).containsExactly(4, 8, 16, 32, 64);
      Shape[] expected = {
        new Shape(1, 12, 16, 24),
        new Shape(1, 12, 8, 12),
        new Shape(1, 12, 4, 6),
        new Shape(1, 12, 2, 3),
        new Shape(1, 12, 1, 2)
      };
      assertThat(p.getShapes()).containsExactly(expected);
      assertThat(fpn.getOutputShapes(C)).containsExactly(expected);
    }
  }

  @Test
  void p6IsP5SubsampledByTwo() {
    try (NDManager m = NDManager.newBaseManager()) {
      Fpn fpn = initialized(new Fpn(6), m, C);
      NDList p = forward(fpn, m, false, inputs(m, 1));
      NDArray subsampled = p.get(3).get(":, :, ::2, ::2");
      assertThat(p.get(4).toFloatArray()).containsExactly(subsampled.toFloatArray());
    }
  }

  @Test
  void topDownPathCarriesC5IntoP2ButNothingFlowsUp() {
    try (NDManager m = NDManager.newBaseManager()) {
      Fpn fpn = initialized(new Fpn(8), m, C);
      NDArray[] base = inputs(m, 2);
      NDList p = forward(fpn, m, false, base);

      NDArray[] otherC5 = base.clone();
      otherC5[3] = gaussian(m, C[3], 99);
      NDList q = forward(fpn, m, false, otherC5);
      assertThat(maxAbsDiff(p.get(0), q.get(0))).as("P2 after changing C5").isGreaterThan(1e-3f);

      NDArray[] otherC2 = base.clone();
      otherC2[0] = gaussian(m, C[0], 98);
      NDList r = forward(fpn, m, false, otherC2);
      assertThat(maxAbsDiff(p.get(0), r.get(0))).as("P2 after changing C2").isGreaterThan(1e-3f);
      for (int level = 1; level < 5; level++) {
        assertThat(r.get(level).toFloatArray())
            .as("P%d after changing C2", level + 2)
            .containsExactly(p.get(level).toFloatArray());
      }
    }
  }

  @Test
  void upsamplesByNearestNeighbourAndCropsToOddSizes() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(new float[] {1, 2, 3, 4}, new Shape(1, 1, 2, 2));
      assertThat(Fpn.upsample2x(x, 4, 4).toFloatArray())
          .containsExactly(1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4);
      assertThat(Fpn.upsample2x(x, 3, 4).toFloatArray())
          .containsExactly(1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4);
    }
  }

  @Test
  void handlesOddFeatureSizes() {
    Shape[] odd = {
      new Shape(1, 4, 13, 9), new Shape(1, 8, 7, 5), new Shape(1, 16, 4, 3), new Shape(1, 32, 2, 2)
    };
    try (NDManager m = NDManager.newBaseManager()) {
      Fpn fpn = initialized(new Fpn(4), m, odd);
      NDArray[] c = new NDArray[4];
      for (int i = 0; i < 4; i++) {
        c[i] = gaussian(m, odd[i], i);
      }
      NDList p = forward(fpn, m, false, c);
      assertThat(p.getShapes()).containsExactly(fpn.getOutputShapes(odd));
      assertThat(p.get(0).getShape()).isEqualTo(new Shape(1, 4, 13, 9));
    }
  }

  @Test
  void outputConvolutionsStartAsXavierUniformWithZeroBias() {
    try (NDManager m = NDManager.newBaseManager()) {
      Fpn fpn = initialized(new Fpn(64), m, C);
      // output2: 3x3 over 64 channels, fan-in 576, bound sqrt(3 / 576)
      NDArray w = TestArrays.parameter(fpn, "output2_weight").getArray();
      float bound = (float) Math.sqrt(3.0 / 576);
      assertThat(w.abs().max().getFloat()).isLessThanOrEqualTo(bound);
      assertThat(w.abs().max().getFloat()).isGreaterThan(0.9f * bound);
      assertThat(TestArrays.parameter(fpn, "output2_bias").getArray().abs().sum().getFloat())
          .isEqualTo(0f);
    }
  }

  private static NDArray[] inputs(NDManager m, long seed) {
    NDArray[] c = new NDArray[4];
    for (int i = 0; i < 4; i++) {
      c[i] = gaussian(m, C[i], seed * 10 + i);
    }
    return c;
  }

  private static float maxAbsDiff(NDArray a, NDArray b) {
    return a.sub(b).abs().max().getFloat();
  }
}
