package io.longtail.core.bbn;

import io.longtail.core.toy.ClassGroup;
import io.longtail.core.toy.GroupAccuracy;
import java.util.List;
import java.util.Locale;

/**
 * Outcome of the BBN toy experiment: the same network trained conventionally (uniform sampler only,
 * {@code alpha = 1} throughout) and with BBN's cumulative learning, on a balanced test set.
 *
 * @param config the settings
 * @param trainCounts training examples per class
 * @param baseline accuracy of the conventionally trained network
 * @param bbn accuracy of the BBN-trained network
 * @param alphas the adaptor of every epoch
 * @param bbnLosses BBN's mean training loss per epoch
 * @param seconds wall time of both trainings
 */
public record BbnToyResult(
    BbnToyConfig config,
    List<Integer> trainCounts,
    GroupAccuracy baseline,
    GroupAccuracy bbn,
    List<Double> alphas,
    List<Double> bbnLosses,
    double seconds) {

  /** Copies the lists. */
  public BbnToyResult {
    trainCounts = List.copyOf(trainCounts);
    alphas = List.copyOf(alphas);
    bbnLosses = List.copyOf(bbnLosses);
  }

  /** A small text table: accuracy overall and per group for both trainings. */
  public String table() {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT, "%-10s %8s %8s %8s %8s%n", "", "overall", "many", "medium", "few"));
    row(sb, "baseline", baseline);
    row(sb, "bbn", bbn);
    return sb.toString();
  }

  private static void row(StringBuilder sb, String name, GroupAccuracy a) {
    sb.append(
        String.format(
            Locale.ROOT,
            "%-10s %8.3f %8.3f %8.3f %8.3f%n",
            name,
            a.overall(),
            a.of(ClassGroup.MANY),
            a.of(ClassGroup.MEDIUM),
            a.of(ClassGroup.FEW)));
  }
}
