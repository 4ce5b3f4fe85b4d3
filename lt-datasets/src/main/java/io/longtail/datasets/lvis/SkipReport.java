package io.longtail.datasets.lvis;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What lenient reading skipped: the number of skipped records per {@link AnnotationProblem} and the
 * messages of the first few (for logs). Empty after strict reading, which skips nothing.
 *
 * @param counts skipped records per problem; problems with none are absent
 * @param examples the messages of the first skipped records, at most {@link #MAX_EXAMPLES}
 */
public record SkipReport(Map<AnnotationProblem, Integer> counts, List<String> examples) {

  /** How many example messages a report keeps. */
  public static final int MAX_EXAMPLES = 10;

  private static final SkipReport EMPTY = new SkipReport(Map.of(), List.of());

  /** Validates and copies. */
  public SkipReport {
    EnumMap<AnnotationProblem, Integer> copy = new EnumMap<>(AnnotationProblem.class);
    counts.forEach(
        (problem, n) -> {
          if (n <= 0) {
            throw new IllegalArgumentException(
                "counts must be positive, got " + n + " for " + problem);
          }
          copy.put(problem, n);
        });
    counts = Collections.unmodifiableMap(copy);
    if (examples.size() > MAX_EXAMPLES) {
      throw new IllegalArgumentException(
          "examples must hold at most " + MAX_EXAMPLES + " messages, got " + examples.size());
    }
    examples = List.copyOf(examples);
  }

  /** The report of a read that skipped nothing. */
  public static SkipReport empty() {
    return EMPTY;
  }

  /** Number of records skipped for {@code problem}. */
  public int count(AnnotationProblem problem) {
    return counts.getOrDefault(problem, 0);
  }

  /** Number of records skipped in all. */
  public int total() {
    return counts.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Whether nothing was skipped. */
  public boolean isEmpty() {
    return counts.isEmpty();
  }
}
