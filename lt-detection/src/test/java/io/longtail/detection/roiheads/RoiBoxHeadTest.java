package io.longtail.detection.roiheads;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.longtail.core.classifier.CausalNormClassifier;
import io.longtail.detection.config.ConfigIo;
import io.longtail.detection.config.RoiHeadsConfig;
import org.junit.jupiter.api.Test;

class RoiBoxHeadTest {

  private static RoiHeadsConfig config(String head, boolean agnostic) {
    return ConfigIo.parse(
            "model: {roiHeads: {head: "
                + head
                + ", fcDim: 16, convDim: 8, classAgnosticBoxRegression: "
                + agnostic
                + ", classifier: {kind: CAUSAL_NORM, numHeads: 2, mu: 0.5}}}\n",
            "test")
        .model()
        .roiHeads();
  }

  @Test
  void bothHeadsGiveLogitsDeltasAndFeatures() {
    for (String head : new String[] {"SHARED_2FC", "SHARED_4CONV_1FC"}) {
      for (boolean agnostic : new boolean[] {false, true}) {
        try (NDManager m = NDManager.newBaseManager()) {
          RoiBoxHead box = new RoiBoxHead(config(head, agnostic), 5);
          box.initialize(m, DataType.FLOAT32, new Shape(1, 4, 7, 7));
          NDList out =
              box.forward(
                  new ParameterStore(m, false),
                  new NDList(m.randomNormal(new Shape(3, 4, 7, 7))),
                  false);
          assertThat(out.get(0).getShape()).isEqualTo(new Shape(3, 6));
          assertThat(out.get(1).getShape()).isEqualTo(new Shape(3, agnostic ? 4 : 20));
          assertThat(out.get(2).getShape()).isEqualTo(new Shape(3, 16));
        }
      }
    }
  }

  @Test
  void trainingForwardHandsLabelsToTheCausalNormClassifier() {
    try (NDManager m = NDManager.newBaseManager()) {
      RoiBoxHead box = new RoiBoxHead(config("SHARED_2FC", false), 5);
      box.initialize(m, DataType.FLOAT32, new Shape(1, 4, 7, 7));
      CausalNormClassifier classifier = (CausalNormClassifier) box.classifier();
      ParameterStore ps = new ParameterStore(m, false);
      NDArray rois = m.randomNormal(new Shape(4, 4, 7, 7));
      // Only background ROIs (label 5 = K): the moving feature must not move.
      box.forward(ps, new NDList(rois), new NDList(m.create(new int[] {5, 5, 5, 5})), null);
      assertThat(classifier.movingFeature().abs().sum().getFloat()).isZero();
      // Two foreground ROIs: it becomes their mean feature (mu * 0 + mean).
      NDList out =
          box.forward(ps, new NDList(rois), new NDList(m.create(new int[] {0, 5, 3, 5})), null);
      float[] features = out.get(2).toFloatArray();
      float[] expected = new float[16];
      for (int j = 0; j < 16; j++) {
        expected[j] = (features[j] + features[2 * 16 + j]) / 2;
      }
      assertThat(classifier.movingFeature().toFloatArray())
          .containsExactly(expected, org.assertj.core.data.Offset.offset(1e-5f));
    }
  }
}
