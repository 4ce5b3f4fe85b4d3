package io.longtail.detection.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.longtail.datasets.pipeline.DetectionBatch;
import io.longtail.datasets.pipeline.ImageTargets;
import io.longtail.detection.backbone.Backbone;
import io.longtail.detection.config.RoiHeadsConfig;
import io.longtail.detection.model.FasterRcnn;
import io.longtail.detection.modeling.BalancedSampler;
import io.longtail.detection.modeling.BoxCoder;
import io.longtail.detection.modeling.RoiLevels;
import io.longtail.detection.roiheads.MultiLevelRoiAlign;
import io.longtail.detection.roiheads.RoiBoxHead;
import io.longtail.detection.roiheads.RoiSampling;
import io.longtail.detection.rpn.Rpn;
import io.longtail.detection.rpn.RpnHead;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The training forward of a second stage, which trains only the box classifier: the backbone and
 * the RPN run in inference mode (batch norm uses and keeps its running statistics, as a frozen
 * backbone should), proposals are the RPN's training top-k, ROIs are labelled and sampled as in the
 * first stage, and only the box head runs in training mode, fed with the sampled ROIs' labels.
 *
 * <p>It mirrors {@code FasterRcnn.trainingStep} without the RPN losses and with the features in
 * inference mode; the pieces (ROI pooling over P2..P5 with levels 2..5, sampler, box coder) are
 * built from the model's configuration as the detector builds them.
 */
final class FrozenFeatureStep {

  /**
   * The box head's inputs for one batch, computed outside any gradient recording.
   *
   * @param pooled ROI features {@code (R, C, S, S)}
   * @param sampled the sampled ROIs and their labels
   */
  record Prepared(NDArray pooled, RoiSampling.Sampled sampled) {}

  private final Block backbone;
  private final Block rpnHead;
  private final RoiBoxHead boxHead;
  private final Rpn rpn;
  private final MultiLevelRoiAlign pooler;
  private final BalancedSampler roiSampler;
  private final BoxCoder roiCoder = BoxCoder.roiHead();
  private final float foregroundIou;
  private final int numForeground;
  private final Map<String, List<float[]>> anchorCache = new HashMap<>();

  FrozenFeatureStep(FasterRcnn model) {
    Backbone b = child(model, Backbone.class);
    this.backbone = b;
    this.rpnHead = child(model, RpnHead.class);
    this.boxHead = model.boxHead();
    this.numForeground = model.numForeground();
    RoiHeadsConfig roi = model.config().roiHeads();
    int[] strides = b.strides();
    this.rpn = new Rpn(model.config().rpn(), strides);
    this.pooler =
        new MultiLevelRoiAlign(
            new RoiLevels(2, 5),
            Arrays.copyOf(strides, 4),
            roi.poolerResolution(),
            roi.samplingRatio());
    this.roiSampler = new BalancedSampler(roi.batchSizePerImage(), roi.positiveFraction());
    this.foregroundIou = roi.foregroundIou();
  }

  private static <T extends Block> T child(FasterRcnn model, Class<T> type) {
    for (Block b : model.getChildren().values()) {
      if (type.isInstance(b)) {
        return type.cast(b);
      }
    }
    throw new IllegalStateException("the detector has no " + type.getSimpleName());
  }

  /**
   * Features, proposals, sampled ROIs and their pooled features; every array is attached to the
   * batch's manager. Call outside a gradient collector.
   *
   * @param ps parameter store
   * @param batch images and targets
   * @param random ROI sampling generator
   * @return the box head's inputs
   */
  Prepared prepare(ParameterStore ps, DetectionBatch batch, Random random) {
    NDList features = backbone.forward(ps, new NDList(batch.images()), false);
    NDList rpnOut = rpnHead.forward(ps, features, false);
    List<ImageTargets> targets = batch.targets();
    List<int[]> sizes = new ArrayList<>();
    for (ImageTargets t : targets) {
      sizes.add(new int[] {t.height(), t.width()});
    }
    List<float[]> proposals =
        rpn.proposals(rpnOut.get(0), rpnOut.get(1), anchors(features), sizes, true);
    RoiSampling.Sampled sampled =
        RoiSampling.sample(
            proposals, targets, foregroundIou, roiSampler, roiCoder, numForeground, random);
    NDArray pooled = pooler.pool(features.subNDList(0, 4), sampled.boxesPerImage());
    return new Prepared(pooled, sampled);
  }

  /**
   * The box head's classification loss on prepared inputs; call inside a gradient collector.
   *
   * @param ps parameter store
   * @param prepared the output of {@link #prepare}
   * @return scalar attached to the batch's manager
   */
  NDArray classificationLoss(ParameterStore ps, Prepared prepared) {
    int[] labels = prepared.sampled().labels();
    NDArray y = prepared.pooled().getManager().create(labels);
    NDList out = boxHead.forward(ps, new NDList(prepared.pooled()), new NDList(y), null);
    return boxHead.classificationLoss(out.get(0), labels);
  }

  private List<float[]> anchors(NDList features) {
    List<int[]> sizes = new ArrayList<>();
    StringBuilder key = new StringBuilder();
    for (NDArray f : features) {
      int h = (int) f.getShape().get(2);
      int w = (int) f.getShape().get(3);
      sizes.add(new int[] {h, w});
      key.append(h).append('x').append(w).append(';');
    }
    return anchorCache.computeIfAbsent(key.toString(), k -> rpn.anchorGenerator().anchors(sizes));
  }
}
