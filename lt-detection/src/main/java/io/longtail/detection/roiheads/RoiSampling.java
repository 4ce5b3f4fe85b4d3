package io.longtail.detection.roiheads;

import io.longtail.datasets.pipeline.ImageTargets;
import io.longtail.detection.modeling.BalancedSampler;
import io.longtail.detection.modeling.BoxCoder;
import io.longtail.detection.modeling.Matcher;
import io.longtail.detection.structures.Boxes;
import io.longtail.detection.structures.FloatList;
import io.longtail.detection.structures.IntList;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Labels and samples the proposals that train the ROI box head (detectron2 {@code
 * label_and_sample_proposals}): ground-truth boxes are appended to the proposals (they give the
 * head well-aligned positives from the first iteration), each candidate takes the class of its best
 * ground truth when their IoU reaches the foreground threshold and background ({@code K})
 * otherwise, and {@code batchSizePerImage} candidates are sampled with the foreground fraction.
 */
public final class RoiSampling {
  private RoiSampling() {}

  /**
   * The sampled ROIs of a batch.
   *
   * @param boxesPerImage sampled boxes of each image (foreground first)
   * @param labels class of every sampled ROI, images concatenated; {@code K} for background
   * @param foregroundRows rows (in the concatenated order) of the foreground ROIs
   * @param regressionTargets {@code 4} deltas per foreground row, for the ROI head's box coder
   * @param foregroundImages image (batch index) of each foreground row
   * @param foregroundInstances index, in that image's {@link ImageTargets}, of the ground-truth
   *     instance each foreground row matched (for mask targets)
   */
  public record Sampled(
      List<float[]> boxesPerImage,
      int[] labels,
      int[] foregroundRows,
      float[] regressionTargets,
      int[] foregroundImages,
      int[] foregroundInstances) {

    /** Total number of sampled ROIs. */
    public int size() {
      return labels.length;
    }
  }

  /**
   * Samples ROIs for every image.
   *
   * @param proposals proposal boxes per image (no gradient)
   * @param targets ground truth per image; crowd instances are skipped
   * @param foregroundIou IoU from which a candidate is foreground
   * @param sampler fg/bg sampler (512 ROIs, 25% foreground by default)
   * @param coder the ROI head's box coder
   * @param numForeground {@code K}
   * @param random sampling generator
   * @return the sample
   */
  public static Sampled sample(
      List<float[]> proposals,
      List<ImageTargets> targets,
      float foregroundIou,
      BalancedSampler sampler,
      BoxCoder coder,
      int numForeground,
      Random random) {
    Matcher matcher = new Matcher(foregroundIou, foregroundIou, false);
    List<float[]> boxesPerImage = new ArrayList<>();
    IntList labels = new IntList();
    IntList foreground = new IntList();
    FloatList regression = new FloatList();
    IntList fgImages = new IntList();
    IntList fgInstances = new IntList();
    for (int i = 0; i < targets.size(); i++) {
      ImageTargets t = targets.get(i);
      IntList kept = new IntList();
      boolean[] crowd = t.crowd();
      for (int j = 0; j < crowd.length; j++) {
        if (!crowd[j]) {
          kept.add(j);
        }
      }
      float[] gt = Boxes.select(t.boxes(), kept.toArray());
      int[] allLabels = t.labels();
      int[] gtLabels = new int[kept.size()];
      for (int j = 0; j < gtLabels.length; j++) {
        gtLabels[j] = allLabels[kept.get(j)];
      }
      float[] candidates = Boxes.concat(proposals.get(i), gt);
      int n = Boxes.count(candidates);
      Matcher.Match match = matcher.match(Boxes.iouMatrix(gt, candidates), n);
      BalancedSampler.Sample sample = sampler.sample(match.labels(), random);
      int[] chosen = sample.all();
      boxesPerImage.add(Boxes.select(candidates, chosen));
      for (int p : sample.positives()) {
        foreground.add(labels.size());
        labels.add(gtLabels[match.matchedGt()[p]]);
        fgImages.add(i);
        fgInstances.add(kept.get(match.matchedGt()[p]));
        regression.addAll(
            coder.encode(Boxes.box(candidates, p), Boxes.box(gt, match.matchedGt()[p])));
      }
      for (int q = 0; q < sample.negatives().length; q++) {
        labels.add(numForeground);
      }
    }
    return new Sampled(
        boxesPerImage,
        labels.toArray(),
        foreground.toArray(),
        regression.toArray(),
        fgImages.toArray(),
        fgInstances.toArray());
  }
}
