package io.longtail.core.toy;

import java.util.List;
import java.util.Map;

/**
 * Outcome of the toy experiment.
 *
 * @param config the settings it ran with
 * @param trainCounts training examples per class
 * @param epochLosses mean training loss of every epoch
 * @param plain accuracy with plain causal-norm logits
 * @param tde accuracy with TDE logits at each evaluated alpha
 * @param suggestedAlpha the alpha that makes {@code alpha * mean(cos) = 1} on the training features
 * @param seconds wall time of training and evaluation
 */
public record ToyResult(
    ToyConfig config,
    List<Integer> trainCounts,
    List<Double> epochLosses,
    GroupAccuracy plain,
    Map<Float, GroupAccuracy> tde,
    float suggestedAlpha,
    double seconds) {

  /** Copies the collections. */
  public ToyResult {
    trainCounts = List.copyOf(trainCounts);
    epochLosses = List.copyOf(epochLosses);
    tde = Map.copyOf(tde);
  }

  /** A printable table of per-group accuracies, plain and TDE. */
  public String table() {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format("%-22s %8s %8s %8s %8s%n", "logits", "overall", "many", "medium", "few"));
    sb.append(row("plain (causal-norm)", plain));
    tde.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e ->
                sb.append(
                    row(
                        String.format(
                            "TDE alpha=%.2f%s",
                            e.getKey(), e.getKey() == suggestedAlpha ? " (sugg.)" : ""),
                        e.getValue())));
    return sb.toString();
  }

  private static String row(String name, GroupAccuracy a) {
    return String.format(
        "%-22s %8.3f %8.3f %8.3f %8.3f%n",
        name, a.overall(), a.of(ClassGroup.MANY), a.of(ClassGroup.MEDIUM), a.of(ClassGroup.FEW));
  }
}
