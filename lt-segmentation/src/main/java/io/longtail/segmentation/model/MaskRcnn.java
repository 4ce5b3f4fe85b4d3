package io.longtail.segmentation.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.longtail.core.classifier.InferenceMode;
import io.longtail.datasets.pipeline.DetectionBatch;
import io.longtail.datasets.pipeline.ImageTargets;
import io.longtail.datasets.pipeline.InstanceMask;
import io.longtail.detection.engine.TrainableModel;
import io.longtail.detection.model.FasterRcnn;
import io.longtail.detection.modeling.RoiLevels;
import io.longtail.detection.roiheads.FastRcnnInference;
import io.longtail.detection.roiheads.MultiLevelRoiAlign;
import io.longtail.detection.roiheads.RoiSampling;
import io.longtail.detection.structures.Boxes;
import io.longtail.detection.structures.ImageDetections;
import io.longtail.segmentation.config.MaskHeadConfig;
import io.longtail.segmentation.config.MaskRcnnConfig;
import io.longtail.segmentation.heads.MaskHead;
import io.longtail.segmentation.heads.MaskLoss;
import io.longtail.segmentation.masks.MaskTargets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Mask R-CNN (He et al. 2017) on the causal-norm Faster R-CNN: the detector ({@link FasterRcnn}:
 * ResNet-FPN, RPN, ROI box head with labels in its training forward, TDE and background-exempted
 * inference) plus a mask branch ({@link MaskHead}) on ROIAlign features pooled at 14 x 14 from
 * P2..P5. The box branch is the detector's, so the masks inherit the long-tail treatment: a mask is
 * predicted for each final box, for the class the box classifier chose.
 *
 * <p>Training ({@link #losses}): the detector's four losses, plus the mask loss ({@link MaskLoss})
 * on the positive sampled ROIs only, against the matched instance's mask cropped to the proposal
 * and resampled to 28 x 28 ({@link MaskTargets}). ROIs whose instance has no mask are left out.
 *
 * <p>Inference: {@link #detect} for the toolkit, or the DJL {@link #forward} for {@code Predictor}
 * users (inputs and outputs documented there). Parameters are saved as two children: {@code
 * detector} and {@code maskHead}.
 */
public final class MaskRcnn extends AbstractBlock implements TrainableModel {

  private static final byte VERSION = 1;

  private final MaskRcnnConfig config;
  private final int numForeground;
  private final FasterRcnn detector;
  private final MaskHead maskHead;
  private final MultiLevelRoiAlign maskPooler;

  /**
   * Builds an uninitialised model.
   *
   * @param config architecture (detector and mask head)
   * @param numForeground number of foreground classes {@code K}
   */
  public MaskRcnn(MaskRcnnConfig config, int numForeground) {
    super(VERSION);
    this.config = config;
    this.numForeground = numForeground;
    detector = addChildBlock("detector", new FasterRcnn(config.detector().model(), numForeground));
    MaskHeadConfig mask = config.mask();
    maskHead = addChildBlock("maskHead", new MaskHead(mask, numForeground));
    // P2..P5, the levels the detector's box head pools from.
    maskPooler =
        new MultiLevelRoiAlign(
            new RoiLevels(2, 5),
            Arrays.copyOf(detector.featureStrides(), 4),
            mask.poolerResolution(),
            mask.samplingRatio());
  }

  /** The configuration. */
  public MaskRcnnConfig config() {
    return config;
  }

  /** Number of foreground classes {@code K}. */
  public int numForeground() {
    return numForeground;
  }

  /** The detector (box branch). */
  public FasterRcnn detector() {
    return detector;
  }

  /** The mask head. */
  public MaskHead maskHead() {
    return maskHead;
  }

  /** This block: detector and mask head, trained and saved together. */
  @Override
  public MaskRcnn block() {
    return this;
  }

  /**
   * Training losses of a batch. Call inside a {@code GradientCollector}; every array made here is
   * attached to the batch's manager and freed with it.
   *
   * @param ps parameter store
   * @param batch images and targets (with masks)
   * @param random generator for anchor and ROI sampling
   * @return the five loss terms
   */
  @Override
  public MaskRcnnLosses losses(ParameterStore ps, DetectionBatch batch, Random random) {
    FasterRcnn.TrainingStep step = detector.trainingStep(ps, batch, random);
    NDArray mask = maskLoss(ps, step, batch.targets(), batch.images().getManager());
    return new MaskRcnnLosses(step.losses(), mask);
  }

  private NDArray maskLoss(
      ParameterStore ps, FasterRcnn.TrainingStep step, List<ImageTargets> targets, NDManager m) {
    RoiSampling.Sampled s = step.sampled();
    int images = targets.size();
    int size = config.mask().maskSize();
    int[] offsets = new int[images];
    for (int i = 1; i < images; i++) {
      offsets[i] = offsets[i - 1] + Boxes.count(s.boxesPerImage().get(i - 1));
    }
    List<List<float[]>> roisOfImage = new ArrayList<>();
    for (int i = 0; i < images; i++) {
      roisOfImage.add(new ArrayList<>());
    }
    int[] fgRows = s.foregroundRows();
    int[] labels = s.labels();
    int[] classes = new int[fgRows.length];
    float[] targetValues = new float[fgRows.length * size * size];
    int kept = 0;
    // Pooled ROIs come back in image order: fill per image, then concatenate the targets alike.
    List<List<float[]>> targetsOfImage = new ArrayList<>();
    List<List<Integer>> classesOfImage = new ArrayList<>();
    for (int i = 0; i < images; i++) {
      targetsOfImage.add(new ArrayList<>());
      classesOfImage.add(new ArrayList<>());
    }
    for (int j = 0; j < fgRows.length; j++) {
      int image = s.foregroundImages()[j];
      ImageTargets t = targets.get(image);
      InstanceMask instanceMask = t.masks().get(s.foregroundInstances()[j]);
      if (instanceMask == null) {
        continue;
      }
      float[] box = Boxes.box(s.boxesPerImage().get(image), fgRows[j] - offsets[image]);
      roisOfImage.get(image).add(box);
      targetsOfImage
          .get(image)
          .add(MaskTargets.target(instanceMask, box, t.height(), t.width(), size));
      classesOfImage.get(image).add(labels[fgRows[j]]);
      kept++;
    }
    if (kept == 0) {
      return m.zeros(new Shape());
    }
    List<float[]> rois = new ArrayList<>();
    int k = 0;
    for (int i = 0; i < images; i++) {
      float[] flat = new float[4 * roisOfImage.get(i).size()];
      for (int r = 0; r < roisOfImage.get(i).size(); r++) {
        System.arraycopy(roisOfImage.get(i).get(r), 0, flat, 4 * r, 4);
        System.arraycopy(
            targetsOfImage.get(i).get(r), 0, targetValues, k * size * size, size * size);
        classes[k++] = classesOfImage.get(i).get(r);
      }
      rois.add(flat);
    }
    NDArray pooled = maskPooler.pool(step.features().subNDList(0, 4), rois);
    NDArray logits = maskHead.selectedLogits(ps, pooled, Arrays.copyOf(classes, kept), true);
    NDArray target =
        m.create(Arrays.copyOf(targetValues, kept * size * size), new Shape(kept, size, size));
    NDArray loss = MaskLoss.binaryCrossEntropy(logits, target);
    float weight = config.mask().lossWeight();
    return weight == 1f ? loss : loss.mul(weight);
  }

  /**
   * Detections with masks of a batch of images.
   *
   * @param ps parameter store
   * @param images {@code (N, 3, H, W)} normalised, padded images
   * @param geometries each image's id, resized size and scale
   * @param options mode, alpha, score threshold, detections per image
   * @return per image: detections in original-image pixels and their {@code M x M} mask
   *     probabilities (for the predicted class)
   */
  public List<MaskedDetections> detect(
      ParameterStore ps,
      NDArray images,
      List<FastRcnnInference.ImageGeometry> geometries,
      InferenceOptions options) {
    FastRcnnInference.Settings settings =
        new FastRcnnInference.Settings(
            options.scoreThreshold(),
            config.detector().model().roiHeads().nmsThreshold(),
            options.maxDetections());
    int size = config.mask().maskSize();
    try (NDManager scope = images.getManager().newSubManager()) {
      NDArray input = images.duplicate();
      input.attach(scope);
      NDList features = detector.features(ps, input);
      List<ImageDetections> detections =
          detector.detect(ps, features, geometries, options.mode(), options.alpha(), settings);
      List<float[]> rois = new ArrayList<>();
      int total = 0;
      for (int i = 0; i < detections.size(); i++) {
        ImageDetections d = detections.get(i);
        FastRcnnInference.ImageGeometry g = geometries.get(i);
        float[] b = d.boxes();
        // Back to resized pixels, where the features are.
        for (int j = 0; j < b.length; j += 4) {
          b[j] *= (float) g.scaleX();
          b[j + 1] *= (float) g.scaleY();
          b[j + 2] *= (float) g.scaleX();
          b[j + 3] *= (float) g.scaleY();
        }
        Boxes.clip(b, g.width(), g.height());
        rois.add(b);
        total += d.size();
      }
      float[] probabilities = new float[0];
      if (total > 0) {
        int[] classes = new int[total];
        int k = 0;
        for (ImageDetections d : detections) {
          for (int c : d.classes()) {
            classes[k++] = c;
          }
        }
        NDArray pooled = maskPooler.pool(features.subNDList(0, 4), rois);
        NDArray logits = maskHead.selectedLogits(ps, pooled, classes, false);
        probabilities = Activation.sigmoid(logits).toFloatArray();
      }
      List<MaskedDetections> out = new ArrayList<>();
      int offset = 0;
      int mm = size * size;
      for (ImageDetections d : detections) {
        out.add(
            new MaskedDetections(
                d, size, Arrays.copyOfRange(probabilities, offset * mm, (offset + d.size()) * mm)));
        offset += d.size();
      }
      return out;
    }
  }

  /**
   * The DJL inference forward (what a {@code Predictor} calls).
   *
   * <p>Inputs: {@code images (N, 3, H, W)} float32, normalised and padded to multiples of 32
   * ({@code io.longtail.datasets.pipeline.DetectionTransform} and {@code Batching}); {@code
   * imageInfo (N, 4)} float32 rows {@code (height, width, scaleX, scaleY)}: each image's size
   * before padding and its resize factors (resized / original); {@code options (4)} ({@link
   * InferenceOptions#toArray}).
   *
   * <p>Outputs, {@code D} detections of all images together: {@code boxes (D, 4)} float32 {@code
   * (x1, y1, x2, y2)} in original-image pixels; {@code scores (D)}; {@code classes (D)} int32
   * foreground classes {@code 0..K-1}; {@code imageIndex (D)} int32; {@code masks (D, M, M)} mask
   * probabilities over each box (paste them with {@code MaskPaste}).
   *
   * @throws UnsupportedOperationException for a training forward (use {@link #losses})
   */
  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    if (training) {
      throw new UnsupportedOperationException(
          "MaskRcnn trains through losses(...), not a training forward");
    }
    if (inputs.size() != 3) {
      throw new IllegalArgumentException(
          "inputs must be (images, imageInfo, options), got " + inputs.size() + " arrays");
    }
    NDArray images = inputs.get(0);
    float[] info = inputs.get(1).toFloatArray();
    int n = (int) images.getShape().get(0);
    if (info.length != 4 * n) {
      throw new IllegalArgumentException(
          "imageInfo must be (N, 4) with N = " + n + ", got " + inputs.get(1).getShape());
    }
    InferenceOptions options = InferenceOptions.fromArray(inputs.get(2));
    List<FastRcnnInference.ImageGeometry> geometries = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      geometries.add(
          new FastRcnnInference.ImageGeometry(
              i,
              Math.round(info[4 * i]),
              Math.round(info[4 * i + 1]),
              info[4 * i + 2],
              info[4 * i + 3]));
    }
    List<MaskedDetections> detections = detect(ps, images, geometries, options);
    int total = 0;
    for (MaskedDetections d : detections) {
      total += d.size();
    }
    int size = config.mask().maskSize();
    float[] boxes = new float[4 * total];
    float[] scores = new float[total];
    int[] classes = new int[total];
    int[] imageIndex = new int[total];
    float[] masks = new float[total * size * size];
    int k = 0;
    for (int i = 0; i < n; i++) {
      MaskedDetections d = detections.get(i);
      System.arraycopy(d.detections().boxes(), 0, boxes, 4 * k, 4 * d.size());
      System.arraycopy(d.detections().scores(), 0, scores, k, d.size());
      System.arraycopy(d.detections().classes(), 0, classes, k, d.size());
      Arrays.fill(imageIndex, k, k + d.size(), i);
      System.arraycopy(d.masks(), 0, masks, k * size * size, d.size() * size * size);
      k += d.size();
    }
    NDManager m = images.getManager();
    return new NDList(
        m.create(boxes, new Shape(total, 4)),
        m.create(scores, new Shape(total)),
        m.create(classes, new Shape(total)),
        m.create(imageIndex, new Shape(total)),
        m.create(masks, new Shape(total, size, size)));
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    detector.initialize(manager, dataType, inputShapes[0]);
    int s = config.mask().poolerResolution();
    maskHead.initialize(manager, dataType, new Shape(1, detector.featureChannels(), s, s));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    int size = config.mask().maskSize();
    return new Shape[] {
      new Shape(-1, 4), new Shape(-1), new Shape(-1), new Shape(-1), new Shape(-1, size, size)
    };
  }

  /**
   * The default test-time options stored in the config: the classifier's mode and alpha, the ROI
   * heads' score threshold and detections per image.
   *
   * @param config the model's config
   * @return the options
   */
  public static InferenceOptions defaultOptions(MaskRcnnConfig config) {
    var roi = config.detector().model().roiHeads();
    InferenceMode mode = roi.classifier().inference();
    return new InferenceOptions(
        mode, roi.classifier().alpha(), roi.scoreThreshold(), roi.detectionsPerImage());
  }
}
