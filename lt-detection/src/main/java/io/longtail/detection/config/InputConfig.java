package io.longtail.detection.config;

import static io.longtail.detection.config.Defaults.or;
import static io.longtail.detection.config.Defaults.positive;
import static io.longtail.detection.config.Defaults.unit;

/**
 * Image preprocessing.
 *
 * @param minSizeTrain shortest side in training (default 800)
 * @param minSizeTest shortest side at test time (default 800)
 * @param maxSize longest side cap (default 1333)
 * @param flipProbability horizontal flip probability in training (default 0.5)
 */
public record InputConfig(
    Integer minSizeTrain, Integer minSizeTest, Integer maxSize, Double flipProbability) {

  /** Fills defaults and validates. */
  public InputConfig {
    minSizeTrain = or(minSizeTrain, 800);
    minSizeTest = or(minSizeTest, 800);
    maxSize = or(maxSize, 1333);
    flipProbability = or(flipProbability, 0.5);
    positive("input.minSizeTrain", minSizeTrain);
    positive("input.minSizeTest", minSizeTest);
    positive("input.maxSize", maxSize);
    unit("input.flipProbability", flipProbability);
  }

  /** All defaults. */
  public static InputConfig defaults() {
    return new InputConfig(null, null, null, null);
  }
}
