package io.longtail.detection.rpn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.longtail.datasets.pipeline.ImageTargets;
import io.longtail.detection.config.RpnConfig;
import io.longtail.detection.modeling.AnchorGenerator;
import io.longtail.detection.modeling.BalancedSampler;
import io.longtail.detection.modeling.BatchedNms;
import io.longtail.detection.modeling.BoxCoder;
import io.longtail.detection.modeling.Matcher;
import io.longtail.detection.modeling.TopK;
import io.longtail.detection.structures.Boxes;
import io.longtail.detection.structures.FloatList;
import io.longtail.detection.structures.IntList;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * RPN training targets, losses and proposal selection over the outputs of {@link RpnHead}
 * (detectron2 {@code RPN}): anchors matched at IoU 0.3/0.7 with low-quality matches, 256 sampled
 * per image with half positives, sigmoid cross-entropy for objectness and L1 for box deltas, both
 * normalised by the number of sampled anchors; proposals are the per-level top-k by objectness,
 * decoded, clipped, NMS'ed per level at 0.7 and cut to the post-NMS top-k per image.
 */
public final class Rpn {

  private final RpnConfig config;
  private final AnchorGenerator anchors;
  private final Matcher matcher;
  private final BalancedSampler sampler;
  private final BoxCoder coder = BoxCoder.rpn();

  /**
   * Creates the RPN logic.
   *
   * @param config settings
   * @param strides FPN strides of P2..P6
   */
  public Rpn(RpnConfig config, int[] strides) {
    this.config = config;
    float[] sizes = new float[config.anchorSizes().size()];
    for (int i = 0; i < sizes.length; i++) {
      sizes[i] = config.anchorSizes().get(i);
    }
    float[] ratios = new float[config.aspectRatios().size()];
    for (int i = 0; i < ratios.length; i++) {
      ratios[i] = config.aspectRatios().get(i);
    }
    anchors = new AnchorGenerator(sizes, strides, ratios);
    matcher = new Matcher(config.iouLow(), config.iouHigh(), true);
    sampler = new BalancedSampler(config.batchSizePerImage(), config.positiveFraction());
  }

  /** The anchor generator. */
  public AnchorGenerator anchorGenerator() {
    return anchors;
  }

  /**
   * The two RPN loss terms, scalars attached to the logits' manager.
   *
   * @param objectness sigmoid cross-entropy of the sampled anchors
   * @param box L1 loss of the positive anchors' deltas
   */
  public record Losses(NDArray objectness, NDArray box) {}

  /**
   * Losses of a batch.
   *
   * @param logits {@code (N, T)} objectness logits from {@link RpnHead}
   * @param deltas {@code (N, T, 4)} box deltas
   * @param allAnchors the {@code T} anchors of all levels concatenated
   * @param targets ground truth per image (crowd boxes are not matched)
   * @param random sampling generator
   * @return the losses
   */
  public Losses losses(
      NDArray logits,
      NDArray deltas,
      float[] allAnchors,
      List<ImageTargets> targets,
      Random random) {
    int t = Boxes.count(allAnchors);
    if (logits.getShape().get(1) != t) {
      throw new IllegalArgumentException(
          "logits have " + logits.getShape().get(1) + " anchors per image, anchors " + t);
    }
    int n = targets.size();
    IntList sampledList = new IntList();
    FloatList labelList = new FloatList();
    IntList posList = new IntList();
    FloatList targetList = new FloatList();
    for (int i = 0; i < n; i++) {
      float[] gt = nonCrowdBoxes(targets.get(i));
      Matcher.Match match = matcher.match(Boxes.iouMatrix(gt, allAnchors), t);
      BalancedSampler.Sample sample = sampler.sample(match.labels(), random);
      for (int p : sample.positives()) {
        sampledList.add(i * t + p);
        labelList.add(1f);
        posList.add(i * t + p);
        float[] d = coder.encode(Boxes.box(allAnchors, p), Boxes.box(gt, match.matchedGt()[p]));
        targetList.addAll(d);
      }
      for (int q : sample.negatives()) {
        sampledList.add(i * t + q);
        labelList.add(0f);
      }
    }
    int[] sampled = sampledList.toArray();
    float[] labels = labelList.toArray();
    int[] positives = posList.toArray();
    float[] boxTargets = targetList.toArray();
    float normaliser = (float) config.batchSizePerImage() * n;
    NDManager m = logits.getManager();
    NDArray objectness;
    try (NDArray idx = m.create(sampled);
        NDArray z = m.create(labels)) {
      NDArray x = logits.reshape(-1).get(idx);
      objectness = sigmoidCrossEntropy(x, z).sum().div(normaliser);
    }
    NDArray box;
    if (positives.length == 0) {
      box = deltas.sum().mul(0f);
    } else {
      try (NDArray idx = m.create(positives);
          NDArray target = m.create(boxTargets, new Shape(positives.length, 4))) {
        NDArray predicted = deltas.reshape(-1, 4).get(idx);
        box = predicted.sub(target).abs().sum().div(normaliser);
      }
    }
    return new Losses(objectness, box);
  }

  /**
   * Proposals of each image: per-level top-k by objectness, decoded, clipped to the image, empty
   * boxes removed, NMS per level, then the best {@code postNmsTopK} of the image. No gradient.
   *
   * @param logits {@code (N, T)}
   * @param deltas {@code (N, T, 4)}
   * @param levelAnchors anchors of each level (their counts split {@code T})
   * @param imageSizes {@code [height, width]} of each image (unpadded)
   * @param training whether to use the training or the test top-k
   * @return proposal boxes per image, best first
   */
  public List<float[]> proposals(
      NDArray logits,
      NDArray deltas,
      List<float[]> levelAnchors,
      List<int[]> imageSizes,
      boolean training) {
    int preK = training ? config.preNmsTopKTrain() : config.preNmsTopKTest();
    int postK = training ? config.postNmsTopKTrain() : config.postNmsTopKTest();
    float[] allLogits = logits.toFloatArray();
    float[] allDeltas = deltas.toFloatArray();
    int t = (int) logits.getShape().get(1);
    List<float[]> out = new ArrayList<>();
    for (int i = 0; i < imageSizes.size(); i++) {
      FloatList boxes = new FloatList();
      FloatList scores = new FloatList();
      IntList levels = new IntList();
      int offset = 0;
      for (int l = 0; l < levelAnchors.size(); l++) {
        float[] anchorsOfLevel = levelAnchors.get(l);
        int count = Boxes.count(anchorsOfLevel);
        int[] top = TopK.indices(allLogits, i * t + offset, count, preK);
        float[] refs = Boxes.select(anchorsOfLevel, top);
        float[] d = new float[4 * top.length];
        for (int k = 0; k < top.length; k++) {
          System.arraycopy(allDeltas, 4 * (i * t + offset + top[k]), d, 4 * k, 4);
        }
        float[] decoded = coder.decode(refs, d);
        Boxes.clip(decoded, imageSizes.get(i)[1], imageSizes.get(i)[0]);
        for (int k = 0; k < top.length; k++) {
          float w = decoded[4 * k + 2] - decoded[4 * k];
          float h = decoded[4 * k + 3] - decoded[4 * k + 1];
          float s = allLogits[i * t + offset + top[k]];
          if (w > 0 && h > 0 && Float.isFinite(s)) {
            boxes.addAll(Boxes.box(decoded, k));
            scores.add(s);
            levels.add(l);
          }
        }
        offset += count;
      }
      float[] b = boxes.toArray();
      int[] keep =
          BatchedNms.apply(b, scores.toArray(), levels.toArray(), config.nmsThreshold(), postK);
      out.add(Boxes.select(b, keep));
    }
    return out;
  }

  /**
   * Element-wise sigmoid cross-entropy with logits in its stable form {@code max(x, 0) - x z +
   * log(1 + exp(-|x|))}.
   */
  static NDArray sigmoidCrossEntropy(NDArray logits, NDArray targets) {
    return logits.maximum(0f).sub(logits.mul(targets)).add(logits.abs().neg().exp().add(1f).log());
  }

  /** The boxes of the non-crowd instances (crowd regions are not learnt). */
  public static float[] nonCrowdBoxes(ImageTargets targets) {
    boolean[] crowd = targets.crowd();
    float[] boxes = targets.boxes();
    IntList keep = new IntList();
    for (int j = 0; j < crowd.length; j++) {
      if (!crowd[j]) {
        keep.add(j);
      }
    }
    return keep.size() == crowd.length ? boxes : Boxes.select(boxes, keep.toArray());
  }
}
