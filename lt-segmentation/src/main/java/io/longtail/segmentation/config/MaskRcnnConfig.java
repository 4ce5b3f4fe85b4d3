package io.longtail.segmentation.config;

import io.longtail.detection.config.CategoryRef;
import io.longtail.detection.config.DetectorConfig;
import java.util.List;
import java.util.Objects;

/**
 * A complete Mask R-CNN configuration: the detector's (backbone, RPN, box head, input, solver,
 * data, categories) and the mask head's, as read by {@link MaskRcnnConfigIo}.
 *
 * @param detector everything but the mask head
 * @param mask the mask head
 */
public record MaskRcnnConfig(DetectorConfig detector, MaskHeadConfig mask) {

  /** Rejects nulls. */
  public MaskRcnnConfig {
    Objects.requireNonNull(detector, "detector");
    Objects.requireNonNull(mask, "mask");
  }

  /** The label space (empty before training). */
  public List<CategoryRef> categories() {
    return detector.categories();
  }

  /** A copy with another detector config. */
  public MaskRcnnConfig withDetector(DetectorConfig newDetector) {
    return new MaskRcnnConfig(newDetector, mask);
  }
}
