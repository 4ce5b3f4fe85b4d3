package io.longtail.datasets.synth;

import io.longtail.datasets.lvis.Frequency;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a generation wrote.
 *
 * @param config the configuration
 * @param trainAnnotations path of {@code lvis_v1_train.json}
 * @param valAnnotations path of {@code lvis_v1_val.json}
 * @param imagesRoot folder the images' file names ({@code train/000001.jpg}) are relative to
 * @param categories per-category counts, in id order
 * @param trainInstances annotated train instances
 * @param valInstances annotated val instances
 * @param seconds wall-clock time of the generation
 */
public record SynthSummary(
    LtShapesConfig config,
    Path trainAnnotations,
    Path valAnnotations,
    Path imagesRoot,
    List<CategoryStats> categories,
    int trainInstances,
    int valInstances,
    double seconds) {

  /** Copies the list. */
  public SynthSummary {
    categories = List.copyOf(categories);
  }

  /** Number of categories in each LVIS frequency group. */
  public Map<Frequency, Integer> groupCounts() {
    EnumMap<Frequency, Integer> counts = new EnumMap<>(Frequency.class);
    for (Frequency f : Frequency.values()) {
      counts.put(f, 0);
    }
    for (CategoryStats c : categories) {
      counts.merge(c.frequency(), 1, Integer::sum);
    }
    return counts;
  }

  /** The fewest val instances of any category of the group, or 0 when the group is empty. */
  public int minValInstances(Frequency group) {
    return categories.stream()
        .filter(c -> c.frequency() == group)
        .mapToInt(CategoryStats::valInstances)
        .min()
        .orElse(0);
  }
}
