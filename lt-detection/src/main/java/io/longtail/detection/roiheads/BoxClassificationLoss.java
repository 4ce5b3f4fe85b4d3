package io.longtail.detection.roiheads;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import io.longtail.core.loss.ClassBalancedLoss;
import io.longtail.core.loss.DistributionBalancedLoss;
import io.longtail.core.loss.EqualizationLoss;
import io.longtail.core.loss.FocalLoss;
import io.longtail.core.loss.LogitAdjustedLoss;
import io.longtail.core.loss.LossConfig;
import io.longtail.core.loss.SeesawLoss;
import io.longtail.detection.config.ClassificationLossConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The box head's classification term for a {@link ClassificationLossConfig}: the {@code
 * io.longtail.core.loss} loss it selects, fed with the sampled ROIs' labels ({@code K} =
 * background) and the class statistics of the training set, times {@code lossWeight}. The default
 * softmax cross-entropy is {@link FastRcnnLosses#softmaxCrossEntropy}, the detector's original
 * term, so that default configurations compute exactly what they computed before losses were
 * selectable.
 *
 * <p>Class statistics by loss ({@link #coreConfig}):
 *
 * <ul>
 *   <li>EQL: image frequency {@code f_c} = training images with the class / training images;
 *   <li>class-balanced and logit-adjusted (softmax over {@code K + 1}): training instances per
 *       class (at least 1), and for background {@code sum_c n_c * (1 - positiveFraction) /
 *       positiveFraction}, the share the ROI sampler aims at;
 *   <li>distribution-balanced: images with the class, clamped into {@code [0.5, images - 0.5]}, out
 *       of the training images (every ROI one single-label sample).
 * </ul>
 *
 * <p>Seesaw keeps its accumulated counts in a {@link SeesawCounts} buffer of the box head: they are
 * read before and written after every training evaluation, so checkpoints carry them.
 */
final class BoxClassificationLoss implements FastRcnnLosses.ClassificationLoss {

  private final ClassificationLossConfig config;
  private final Loss loss;
  private final SeesawCounts seesawState;

  private BoxClassificationLoss(
      ClassificationLossConfig config, Loss loss, SeesawCounts seesawState) {
    this.config = config;
    this.loss = loss;
    this.seesawState = seesawState;
  }

  /**
   * Builds the term.
   *
   * @param config the selected loss
   * @param numForeground {@code K}
   * @param positiveFraction the ROI sampler's foreground fraction
   * @param statistics the training set's statistics, or {@code null} when unknown (then only losses
   *     that need none can be built)
   * @param seesawState the head's count buffer (Seesaw only, else {@code null})
   * @return the term
   * @throws IllegalStateException when the loss needs statistics and none were given
   */
  static BoxClassificationLoss create(
      ClassificationLossConfig config,
      int numForeground,
      float positiveFraction,
      LabelStatistics statistics,
      SeesawCounts seesawState) {
    if (config instanceof ClassificationLossConfig.Softmax) {
      return new BoxClassificationLoss(config, null, null);
    }
    LossConfig core = coreConfig(config, numForeground, positiveFraction, statistics);
    core.requireDetectionSupport();
    core.requireHead(config.activation());
    return new BoxClassificationLoss(config, core.create(), seesawState);
  }

  /**
   * The {@code io.longtail.core.loss} settings of a box-head loss.
   *
   * @param config the selected loss
   * @param numForeground {@code K}
   * @param positiveFraction the ROI sampler's foreground fraction, in {@code (0, 1]}
   * @param statistics class statistics of the training set ({@code K} classes), or {@code null}
   * @return the settings
   * @throws IllegalStateException when the loss needs statistics and none were given
   * @throws IllegalArgumentException when the statistics have another number of classes
   */
  static LossConfig coreConfig(
      ClassificationLossConfig config,
      int numForeground,
      float positiveFraction,
      LabelStatistics statistics) {
    if (config.needsStatistics()) {
      if (statistics == null) {
        throw missingStatistics(config);
      }
      if (statistics.numClasses() != numForeground) {
        throw new IllegalArgumentException(
            "statistics must describe the head's "
                + numForeground
                + " classes, got "
                + statistics.numClasses());
      }
    }
    if (config instanceof ClassificationLossConfig.Softmax) {
      return new io.longtail.core.loss.CrossEntropyLoss.Config();
    } else if (config instanceof ClassificationLossConfig.Bce) {
      return new io.longtail.core.loss.BinaryCrossEntropyLoss.Config();
    } else if (config instanceof ClassificationLossConfig.Focal f) {
      return FocalLoss.Config.of(f.gamma(), f.alpha());
    } else if (config instanceof ClassificationLossConfig.ClassBalanced c) {
      return new ClassBalancedLoss.Config(
          c.beta(), countsWithBackground(statistics, positiveFraction), c.base(), 0);
    } else if (config instanceof ClassificationLossConfig.LogitAdjusted a) {
      return new LogitAdjustedLoss.Config(
          a.tau(), countsWithBackground(statistics, positiveFraction));
    } else if (config instanceof ClassificationLossConfig.Eql e) {
      return new EqualizationLoss.Config(e.lambda(), statistics.imageFrequency());
    } else if (config instanceof ClassificationLossConfig.Seesaw s) {
      return SeesawLoss.Config.builder(s.objectness() ? numForeground : numForeground + 1)
          .optP(s.p())
          .optQ(s.q())
          .optEps(s.eps())
          .optBranches(
              s.objectness()
                  ? SeesawLoss.Branches.CLASSES_AND_OBJECTNESS
                  : SeesawLoss.Branches.CLASSES)
          .build();
    } else if (config instanceof ClassificationLossConfig.DistributionBalanced d) {
      int n = statistics.numImages();
      if (n < 2) {
        throw new IllegalArgumentException(
            "the distribution-balanced loss needs at least 2 training images, got " + n);
      }
      List<Double> frequency = new ArrayList<>();
      for (int images : statistics.imageCounts()) {
        frequency.add(Math.min(Math.max(images, 0.5), n - 0.5));
      }
      return DistributionBalancedLoss.Config.builder(frequency, n)
          .optFocalGamma(d.focalGamma())
          .optBalanceParam(d.balanceParam())
          .optNegScale(d.negScale())
          .optInitBias(d.initBias())
          .optMapping(d.mapAlpha(), d.mapBeta(), d.mapGamma())
          .build();
    }
    throw new IllegalArgumentException("unknown roiHeads.loss " + config);
  }

  /** The error of a loss that needs class statistics when the head was built without them. */
  static IllegalStateException missingStatistics(ClassificationLossConfig config) {
    return new IllegalStateException(
        "roiHeads.loss "
            + config.lossKind().configName()
            + " needs the class statistics of the training set; build the box head (and"
            + " FasterRcnn) with LabelStatistics.of(trainingAnnotations)");
  }

  /** Instances per foreground class (at least 1) and the sampler's share of background last. */
  private static List<Long> countsWithBackground(
      LabelStatistics statistics, float positiveFraction) {
    if (!(positiveFraction > 0 && positiveFraction <= 1)) {
      throw new IllegalArgumentException(
          "roiHeads.positiveFraction must be in (0, 1] for this loss, got " + positiveFraction);
    }
    List<Long> counts = new ArrayList<>();
    long total = 0;
    for (int n : statistics.instanceCounts()) {
      counts.add((long) Math.max(n, 1));
      total += Math.max(n, 1);
    }
    counts.add(Math.max(1L, Math.round(total * (1.0 - positiveFraction) / positiveFraction)));
    return counts;
  }

  /** The selected loss. */
  ClassificationLossConfig config() {
    return config;
  }

  @Override
  public NDArray compute(NDArray logits, int[] labels) {
    NDArray value;
    if (loss == null) {
      value = FastRcnnLosses.softmaxCrossEntropy(logits, labels);
    } else {
      try (NDArray y = logits.getManager().create(labels)) {
        NDList labelList = new NDList(y);
        NDList predictions = new NDList(logits);
        if (loss instanceof SeesawLoss seesaw) {
          seesaw.restoreCumulativeSamples(seesawState.read());
          value = seesaw.evaluate(labelList, predictions);
          seesawState.write(seesaw.cumulativeSamples());
        } else {
          value = loss.evaluate(labelList, predictions);
        }
      }
    }
    double weight = config.lossWeight();
    return weight == 1.0 ? value : value.mul((float) weight);
  }
}
