package io.longtail.segmentation.heads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.longtail.core.classifier.CausalNormClassifier;
import io.longtail.core.classifier.InferenceMode;
import io.longtail.detection.roiheads.FastRcnnInference;
import io.longtail.detection.roiheads.RoiBoxHead;
import io.longtail.detection.structures.ImageDetections;
import org.junit.jupiter.api.Test;

class CausalBoxHeadTest {

  @Test
  void documentedTensorsFlowThroughTheHead() {
    int k = 3;
    try (NDManager m = NDManager.newBaseManager()) {
      RoiBoxHead head = CausalBoxHead.builder().setNumForeground(k).optFcDim(16).build();
      head.initialize(m, DataType.FLOAT32, new Shape(1, 8, 7, 7));
      ParameterStore ps = new ParameterStore(m, false);
      NDArray pooled = m.randomNormal(new Shape(5, 8, 7, 7));
      NDArray labels = m.create(new int[] {0, 2, k, k, 1});
      CausalNormClassifier classifier = (CausalNormClassifier) head.classifier();
      float[] before = classifier.movingFeature().toFloatArray();
      NDList train = head.forward(ps, new NDList(pooled), new NDList(labels), null);
      assertThat(train.get(0).getShape()).isEqualTo(new Shape(5, k + 1));
      assertThat(train.get(1).getShape()).isEqualTo(new Shape(5, 4 * k));
      assertThat(train.get(2).getShape()).isEqualTo(new Shape(5, 16));
      assertThat(classifier.movingFeature().toFloatArray()).isNotEqualTo(before);

      NDList test = head.forward(ps, new NDList(pooled), false);
      for (InferenceMode mode : InferenceMode.values()) {
        NDArray scores = CausalBoxHead.scores(head, test.get(2), mode, 1.5f);
        assertThat(scores.getShape()).isEqualTo(new Shape(5, k + 1));
        for (float rowSum : scores.sum(new int[] {1}).toFloatArray()) {
          assertThat(rowSum).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-4f));
        }
      }
      // Background-exempted scores keep the plain background probability of every ROI.
      float[] plain =
          CausalBoxHead.scores(head, test.get(2), InferenceMode.PLAIN, 0).toFloatArray();
      float[] exempt =
          CausalBoxHead.scores(head, test.get(2), InferenceMode.BACKGROUND_EXEMPT, 1.5f)
              .toFloatArray();
      for (int r = 0; r < 5; r++) {
        assertThat(exempt[r * (k + 1) + k])
            .isCloseTo(plain[r * (k + 1) + k], org.assertj.core.data.Offset.offset(1e-5f));
      }

      float[] proposals = new float[5 * 4];
      for (int r = 0; r < 5; r++) {
        proposals[4 * r] = 10 * r;
        proposals[4 * r + 1] = 5;
        proposals[4 * r + 2] = 10 * r + 8;
        proposals[4 * r + 3] = 20;
      }
      ImageDetections d =
          CausalBoxHead.detect(
              exempt,
              test.get(1).toFloatArray(),
              proposals,
              k,
              new FastRcnnInference.ImageGeometry(7, 64, 64, 1, 1),
              new FastRcnnInference.Settings(0f, 0.5f, 100));
      assertThat(d.imageId()).isEqualTo(7);
      for (int c : d.classes()) {
        assertThat(c).isBetween(0, k - 1);
      }
    }
  }

  @Test
  void builderNamesBadSettings() {
    assertThatThrownBy(() -> CausalBoxHead.builder().build())
        .hasMessage("numForeground must be >= 1, got 0");
    assertThatThrownBy(
            () -> CausalBoxHead.builder().setNumForeground(2).optFcDim(15).optNumHeads(2).build())
        .hasMessageContaining("divisible");
  }
}
