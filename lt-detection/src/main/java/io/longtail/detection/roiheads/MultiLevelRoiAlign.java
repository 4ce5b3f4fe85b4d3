package io.longtail.detection.roiheads;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.longtail.detection.modeling.RoiLevels;
import io.longtail.detection.ops.DetectionOps;
import io.longtail.detection.structures.Boxes;
import io.longtail.detection.structures.IntList;
import java.util.List;

/**
 * ROIAlign over FPN levels (detectron2 {@code ROIPooler}): each ROI pools from the level chosen by
 * its size ({@link RoiLevels}), with {@code aligned = true}; results come back in the ROIs' order.
 * Differentiable with respect to the features.
 *
 * @param levels the pooled levels (P2..P5)
 * @param strides stride of each pooled level, lowest first
 * @param outputSize pooled size (7 for boxes, 14 for masks)
 * @param samplingRatio ROIAlign samples per bin side (0 adaptive)
 */
public record MultiLevelRoiAlign(
    RoiLevels levels, int[] strides, int outputSize, int samplingRatio) {

  /** Smallest ROI side in input pixels handed to ROIAlign. */
  public static final float MIN_SIDE = 0.01f;

  /** Checks that there is one stride per level. */
  public MultiLevelRoiAlign {
    if (strides.length != levels.maxLevel() - levels.minLevel() + 1) {
      throw new IllegalArgumentException(
          "need one stride per level "
              + levels.minLevel()
              + ".."
              + levels.maxLevel()
              + ", got "
              + strides.length);
    }
    strides = strides.clone();
  }

  /**
   * Pools the ROIs of a batch.
   *
   * @param features feature maps of the pooled levels, lowest first, {@code (N, C, H_l, W_l)}
   * @param roisPerImage boxes of each image in input pixels
   * @return {@code (R, C, S, S)} with {@code R} the total number of ROIs, in image then ROI order
   */
  public NDArray pool(List<NDArray> features, List<float[]> roisPerImage) {
    int total = 0;
    for (float[] r : roisPerImage) {
      total += Boxes.count(r);
    }
    float[] all = new float[total * 4];
    int[] imageOf = new int[total];
    int k = 0;
    for (int i = 0; i < roisPerImage.size(); i++) {
      float[] r = roisPerImage.get(i);
      System.arraycopy(r, 0, all, 4 * k, r.length);
      for (int j = 0; j < Boxes.count(r); j++) {
        imageOf[k++] = i;
      }
    }
    int[] level = levels.assign(all);
    NDArray first = features.get(0);
    NDManager m = first.getManager();
    DetectionOps ops = DetectionOps.forEngineOf(first);
    NDList pooled = new NDList();
    IntList order = new IntList();
    for (int l = 0; l < strides.length; l++) {
      IntList members = new IntList();
      for (int r = 0; r < total; r++) {
        if (level[r] == l) {
          members.add(r);
        }
      }
      if (members.size() == 0) {
        continue;
      }
      float[] rows = new float[members.size() * 5];
      for (int j = 0; j < members.size(); j++) {
        int r = members.get(j);
        rows[5 * j] = imageOf[r];
        System.arraycopy(all, 4 * r, rows, 5 * j + 1, 4);
        // MXNet's aligned ROIAlign aborts the process on an ROI of zero height or width (seen
        // on a degenerate proposal after 900 training iterations): give every ROI a minimal
        // extent.
        rows[5 * j + 3] = Math.max(rows[5 * j + 3], rows[5 * j + 1] + MIN_SIDE);
        rows[5 * j + 4] = Math.max(rows[5 * j + 4], rows[5 * j + 2] + MIN_SIDE);
        order.add(r);
      }
      try (NDArray rois = m.create(rows, new Shape(members.size(), 5))) {
        pooled.add(ops.roiAlign(features.get(l), rois, outputSize, 1f / strides[l], samplingRatio));
      }
    }
    if (total == 0) {
      long c = first.getShape().get(1);
      return m.zeros(new Shape(0, c, outputSize, outputSize), first.getDataType());
    }
    NDArray byLevel = pooled.size() == 1 ? pooled.head() : NDArrays.concat(pooled, 0);
    // byLevel row j holds ROI order[j]: invert the permutation to restore the ROIs' order.
    int[] inverse = new int[total];
    int[] perm = order.toArray();
    for (int j = 0; j < total; j++) {
      inverse[perm[j]] = j;
    }
    try (NDArray idx = m.create(inverse)) {
      return byLevel.get(idx);
    }
  }
}
