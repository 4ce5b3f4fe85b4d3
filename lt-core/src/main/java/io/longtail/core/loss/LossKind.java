package io.longtail.core.loss;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The classification losses of the toolkit, by the name a configuration uses ({@code loss:
 * seesaw}). The settings of each are in its {@link LossConfig} record.
 */
public enum LossKind {
  /** Softmax cross-entropy ({@link CrossEntropyLoss}). */
  SOFTMAX_CE("softmax"),
  /** Sigmoid binary cross-entropy ({@link BinaryCrossEntropyLoss}). */
  SIGMOID_BCE("bce"),
  /** Sigmoid focal loss, Lin et al. ICCV'17 ({@link FocalLoss}). */
  FOCAL("focal"),
  /** Class-balanced loss, Cui et al. CVPR'19 ({@link ClassBalancedLoss}). */
  CLASS_BALANCED("class-balanced"),
  /** Logit-adjusted cross-entropy, Menon et al. ICLR'21 ({@link LogitAdjustedLoss}). */
  LOGIT_ADJUSTED("logit-adjusted"),
  /** Equalization loss, Tan et al. CVPR'20 ({@link EqualizationLoss}). */
  EQL("eql"),
  /** Seesaw loss, Wang et al. CVPR'21 ({@link SeesawLoss}). */
  SEESAW("seesaw"),
  /** Distribution-balanced loss, Wu et al. ECCV'20 ({@link DistributionBalancedLoss}). */
  DISTRIBUTION_BALANCED("distribution-balanced"),
  /** Gaussian-mixture likelihood loss, Suh and Seo ICML'23 ({@link GmlLoss}). */
  GML("gml");

  private final String configName;

  LossKind(String configName) {
    this.configName = configName;
  }

  /** The name used in configuration files, e.g. {@code seesaw}. */
  public String configName() {
    return configName;
  }

  /**
   * Whether the loss can train a detection ROI head from per-ROI labels alone. GML cannot: it needs
   * contrast features from a frozen teacher and a class-wise queue, which only the classification
   * track provides.
   */
  public boolean supportsDetection() {
    return this != GML;
  }

  /**
   * Parses a configuration name (case-insensitive).
   *
   * @throws IllegalArgumentException naming the value and the accepted names
   */
  public static LossKind fromConfigName(String name) {
    if (name != null) {
      String n = name.trim().toLowerCase(Locale.ROOT);
      for (LossKind k : values()) {
        if (k.configName.equals(n)) {
          return k;
        }
      }
    }
    throw new IllegalArgumentException(
        "loss must be one of "
            + Arrays.stream(values()).map(LossKind::configName).collect(Collectors.joining(", "))
            + ", got "
            + name);
  }

  @Override
  public String toString() {
    return configName;
  }
}
