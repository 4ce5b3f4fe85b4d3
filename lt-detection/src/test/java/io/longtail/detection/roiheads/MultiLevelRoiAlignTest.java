package io.longtail.detection.roiheads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.longtail.detection.modeling.RoiLevels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultiLevelRoiAlignTest {

  @Test
  void poolsEachRoiFromItsLevelAndKeepsTheRoiOrder() {
    try (NDManager m = NDManager.newBaseManager()) {
      // Four levels of constant maps: level l holds the value 10 * l + image index.
      int[] strides = {4, 8, 16, 32};
      List<NDArray> features = new ArrayList<>();
      for (int l = 0; l < 4; l++) {
        int size = 256 / strides[l];
        NDArray img0 = m.full(new Shape(1, 1, size, size), 10f * l);
        NDArray img1 = m.full(new Shape(1, 1, size, size), 10f * l + 1);
        features.add(img0.concat(img1, 0));
      }
      MultiLevelRoiAlign pooler = new MultiLevelRoiAlign(new RoiLevels(2, 5), strides, 2, 0);
      List<float[]> rois =
          List.of(
              new float[] {0, 0, 224, 224, 0, 0, 20, 20}, // P4, P2
              new float[] {0, 0, 112, 112, 0, 0, 250, 250}); // P3, P4
      NDArray pooled = pooler.pool(features, rois);
      assertThat(pooled.getShape()).isEqualTo(new Shape(4, 1, 2, 2));
      float[] values = pooled.mean(new int[] {1, 2, 3}).toFloatArray();
      assertThat(values).containsExactly(new float[] {20, 0, 11, 21}, within(1e-4f));
    }
  }

  @Test
  void degenerateRoisPoolWithoutAbortingTheEngine() {
    try (NDManager m = NDManager.newBaseManager()) {
      int[] strides = {4, 8, 16, 32};
      List<NDArray> features = new ArrayList<>();
      for (int l = 0; l < 4; l++) {
        int size = 256 / strides[l];
        features.add(m.ones(new Shape(1, 2, size, size)));
      }
      MultiLevelRoiAlign pooler = new MultiLevelRoiAlign(new RoiLevels(2, 5), strides, 7, 0);
      // Zero height, zero width, and a point: MXNet would abort on "roi_height > 0".
      float[] rois = {10, 20, 30, 20, 40, 5, 40, 50, 7, 7, 7, 7};
      NDArray pooled = pooler.pool(features, List.of(rois));
      assertThat(pooled.getShape()).isEqualTo(new Shape(3, 2, 7, 7));
      for (float v : pooled.toFloatArray()) {
        assertThat(Float.isFinite(v)).isTrue();
      }
    }
  }
}
