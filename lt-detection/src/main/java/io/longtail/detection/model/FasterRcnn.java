package io.longtail.detection.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.longtail.core.classifier.InferenceMode;
import io.longtail.datasets.pipeline.DetectionBatch;
import io.longtail.datasets.pipeline.ImageTargets;
import io.longtail.detection.backbone.Backbone;
import io.longtail.detection.config.ModelConfig;
import io.longtail.detection.config.RoiHeadsConfig;
import io.longtail.detection.modeling.BalancedSampler;
import io.longtail.detection.modeling.BoxCoder;
import io.longtail.detection.modeling.RoiLevels;
import io.longtail.detection.roiheads.FastRcnnInference;
import io.longtail.detection.roiheads.FastRcnnLosses;
import io.longtail.detection.roiheads.LabelStatistics;
import io.longtail.detection.roiheads.MultiLevelRoiAlign;
import io.longtail.detection.roiheads.RoiBoxHead;
import io.longtail.detection.roiheads.RoiSampling;
import io.longtail.detection.rpn.Rpn;
import io.longtail.detection.rpn.RpnHead;
import io.longtail.detection.structures.Boxes;
import io.longtail.detection.structures.ImageDetections;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Faster R-CNN with FPN (Ren et al. 2015; Lin et al. 2017) whose ROI box head takes the sampled
 * ROIs' foreground/background labels in its training forward, so that a causal-norm classifier
 * (De-confound-TDE) keeps its moving feature from foreground ROIs, and whose inference runs in
 * plain, TDE or background-exempted mode with any {@code alpha}, without retraining.
 *
 * <p>Parameters live in three child blocks (backbone, RPN head, box head); the RPN, ROI sampling,
 * losses and post-processing are pure functions ({@link Rpn}, {@link RoiSampling}, {@link
 * FastRcnnLosses}, {@link FastRcnnInference}).
 */
public final class FasterRcnn extends AbstractBlock {

  private static final byte VERSION = 1;

  private final ModelConfig config;
  private final int numForeground;
  private final Backbone backbone;
  private final RpnHead rpnHead;
  private final RoiBoxHead boxHead;
  private final Rpn rpn;
  private final MultiLevelRoiAlign pooler;
  private final BalancedSampler roiSampler;
  private final BoxCoder roiCoder = BoxCoder.roiHead();
  private final Map<String, List<float[]>> anchorCache = new HashMap<>();

  /**
   * Builds an uninitialised detector.
   *
   * @param config architecture
   * @param numForeground number of foreground classes {@code K}
   */
  public FasterRcnn(ModelConfig config, int numForeground) {
    this(config, numForeground, null);
  }

  /**
   * Builds an uninitialised detector for training.
   *
   * @param config architecture
   * @param numForeground number of foreground classes {@code K}
   * @param statistics class statistics of the training annotations, which some box-head losses need
   *     ({@code null} when unknown)
   */
  public FasterRcnn(ModelConfig config, int numForeground, LabelStatistics statistics) {
    super(VERSION);
    this.config = config;
    this.numForeground = numForeground;
    backbone = addChildBlock("backbone", new Backbone(config.backbone()));
    int[] strides = backbone.strides();
    rpn = new Rpn(config.rpn(), strides);
    rpnHead =
        addChildBlock(
            "rpnHead", new RpnHead(backbone.outChannels(), rpn.anchorGenerator().anchorsPerCell()));
    RoiHeadsConfig roi = config.roiHeads();
    boxHead = addChildBlock("boxHead", new RoiBoxHead(roi, numForeground, statistics));
    pooler =
        new MultiLevelRoiAlign(
            new RoiLevels(2, 5),
            Arrays.copyOf(strides, 4),
            roi.poolerResolution(),
            roi.samplingRatio());
    roiSampler = new BalancedSampler(roi.batchSizePerImage(), roi.positiveFraction());
  }

  /** The architecture. */
  public ModelConfig config() {
    return config;
  }

  /** Strides of the FPN maps P2..P6 ({@code 4, 8, 16, 32, 64}). */
  public int[] featureStrides() {
    return backbone.strides();
  }

  /** Channels of every FPN map. */
  public int featureChannels() {
    return backbone.outChannels();
  }

  /** Number of foreground classes {@code K}. */
  public int numForeground() {
    return numForeground;
  }

  /** The ROI box head (its classifier holds the causal-norm moving feature). */
  public RoiBoxHead boxHead() {
    return boxHead;
  }

  /**
   * Training losses of a batch. Call inside a {@code GradientCollector}; every array made here is
   * attached to the batch's manager and freed with it.
   *
   * @param ps parameter store
   * @param batch images and targets
   * @param random generator for anchor and ROI sampling
   * @return the four loss terms
   */
  public DetectorLosses losses(ParameterStore ps, DetectionBatch batch, Random random) {
    return trainingStep(ps, batch, random).losses();
  }

  /**
   * What a training forward computed, for heads built on top of the detector (Mask R-CNN).
   *
   * @param losses the four detector losses
   * @param features FPN maps P2..P6
   * @param sampled the sampled ROIs with their labels and matched instances
   */
  public record TrainingStep(DetectorLosses losses, NDList features, RoiSampling.Sampled sampled) {}

  /**
   * The training forward: losses plus the features and sampled ROIs that a mask head needs. Call
   * inside a {@code GradientCollector}.
   *
   * @param ps parameter store
   * @param batch images and targets
   * @param random generator for anchor and ROI sampling
   * @return losses, features and ROIs
   */
  public TrainingStep trainingStep(ParameterStore ps, DetectionBatch batch, Random random) {
    NDList features = backbone.forward(ps, new NDList(batch.images()), true);
    NDList rpnOut = rpnHead.forward(ps, features, true);
    List<float[]> levelAnchors = anchors(features);
    List<ImageTargets> targets = batch.targets();
    Rpn.Losses rpnLosses =
        rpn.losses(rpnOut.get(0), rpnOut.get(1), concat(levelAnchors), targets, random);
    List<int[]> sizes = new ArrayList<>();
    for (ImageTargets t : targets) {
      sizes.add(new int[] {t.height(), t.width()});
    }
    List<float[]> proposals =
        rpn.proposals(rpnOut.get(0), rpnOut.get(1), levelAnchors, sizes, true);
    RoiSampling.Sampled sampled =
        RoiSampling.sample(
            proposals,
            targets,
            config.roiHeads().foregroundIou(),
            roiSampler,
            roiCoder,
            numForeground,
            random);
    NDArray pooled = pooler.pool(features.subNDList(0, 4), sampled.boxesPerImage());
    NDManager m = batch.images().getManager();
    NDArray labels = m.create(sampled.labels());
    NDList out = boxHead.forward(ps, new NDList(pooled), new NDList(labels), null);
    FastRcnnLosses.Losses roiLosses = boxHead.losses(out, sampled);
    return new TrainingStep(
        new DetectorLosses(
            rpnLosses.objectness(), rpnLosses.box(), roiLosses.classification(), roiLosses.box()),
        features,
        sampled);
  }

  /**
   * Detections of a batch of images.
   *
   * @param ps parameter store
   * @param images {@code (N, 3, H, W)} normalised, padded images
   * @param geometries each image's id and sizes
   * @param mode plain, TDE or background-exempted scores
   * @param alpha TDE strength (ignored by plain)
   * @param settings score threshold, NMS and cap
   * @return detections per image, in original-image pixels
   */
  public List<ImageDetections> detect(
      ParameterStore ps,
      NDArray images,
      List<FastRcnnInference.ImageGeometry> geometries,
      InferenceMode mode,
      float alpha,
      FastRcnnInference.Settings settings) {
    try (NDManager scope = images.getManager().newSubManager()) {
      NDArray input = images.duplicate();
      input.attach(scope);
      return detect(ps, features(ps, input), geometries, mode, alpha, settings);
    }
  }

  /**
   * FPN features P2..P6 of images at test time (attached to the images' manager).
   *
   * @param ps parameter store
   * @param images {@code (N, 3, H, W)}
   * @return P2..P6
   */
  public NDList features(ParameterStore ps, NDArray images) {
    return backbone.forward(ps, new NDList(images), false);
  }

  /**
   * Detections from precomputed FPN features (for heads that reuse the features, e.g. masks).
   * Intermediate arrays are attached to the features' manager.
   *
   * @see #detect(ParameterStore, NDArray, List, InferenceMode, float, FastRcnnInference.Settings)
   */
  public List<ImageDetections> detect(
      ParameterStore ps,
      NDList features,
      List<FastRcnnInference.ImageGeometry> geometries,
      InferenceMode mode,
      float alpha,
      FastRcnnInference.Settings settings) {
    NDList rpnOut = rpnHead.forward(ps, features, false);
    List<int[]> sizes = new ArrayList<>();
    for (FastRcnnInference.ImageGeometry g : geometries) {
      sizes.add(new int[] {g.height(), g.width()});
    }
    List<float[]> proposals =
        rpn.proposals(rpnOut.get(0), rpnOut.get(1), anchors(features), sizes, false);
    NDArray pooled = pooler.pool(features.subNDList(0, 4), proposals);
    NDList out = boxHead.forward(ps, new NDList(pooled), false);
    float[] scores = boxHead.scores(out.get(2), mode, alpha).toFloatArray();
    float[] deltas = out.get(1).toFloatArray();
    int classes = numForeground + 1;
    int deltaWidth = boxHead.classAgnostic() ? 4 : 4 * numForeground;
    List<ImageDetections> result = new ArrayList<>();
    int row = 0;
    for (int i = 0; i < geometries.size(); i++) {
      int r = Boxes.count(proposals.get(i));
      result.add(
          FastRcnnInference.detect(
              Arrays.copyOfRange(scores, row * classes, (row + r) * classes),
              Arrays.copyOfRange(deltas, row * deltaWidth, (row + r) * deltaWidth),
              proposals.get(i),
              numForeground,
              roiCoder,
              geometries.get(i),
              settings));
      row += r;
    }
    return result;
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

  private static float[] concat(List<float[]> arrays) {
    int n = 0;
    for (float[] a : arrays) {
      n += a.length;
    }
    float[] out = new float[n];
    int o = 0;
    for (float[] a : arrays) {
      System.arraycopy(a, 0, out, o, a.length);
      o += a.length;
    }
    return out;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    throw new UnsupportedOperationException(
        "FasterRcnn is driven through losses(...) and detect(...), not forward(...)");
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    backbone.initialize(manager, dataType, inputShapes);
    Shape[] featureShapes = backbone.getOutputShapes(inputShapes);
    rpnHead.initialize(manager, dataType, featureShapes);
    int s = config.roiHeads().poolerResolution();
    boxHead.initialize(manager, dataType, new Shape(1, backbone.outChannels(), s, s));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return backbone.getOutputShapes(inputShapes);
  }
}
