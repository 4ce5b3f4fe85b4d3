package io.longtail.core.toy;

import java.util.EnumMap;
import java.util.Map;

/**
 * Top-1 accuracy overall and per {@link ClassGroup} on the balanced test set.
 *
 * @param overall accuracy over all test examples
 * @param perGroup accuracy of each group (classes weighted equally: the test set is balanced)
 */
public record GroupAccuracy(double overall, Map<ClassGroup, Double> perGroup) {

  /** Copies the map. */
  public GroupAccuracy {
    perGroup = Map.copyOf(new EnumMap<>(perGroup));
  }

  /** Accuracy of one group. */
  public double of(ClassGroup group) {
    return perGroup.getOrDefault(group, Double.NaN);
  }
}
