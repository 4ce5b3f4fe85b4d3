package io.longtail.cli;

import io.longtail.core.toy.TdeToyExperiment;
import io.longtail.core.toy.ToyConfig;
import io.longtail.core.toy.ToyResult;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./lt tde-toy}: the causal-norm + TDE classification example. */
@Command(
    name = "tde-toy",
    mixinStandardHelpOptions = true,
    description = {
      "Train a small network with a causal-norm head on generated long-tailed data (no files"
          + " needed) and print per-group accuracies on a balanced test set, with plain and TDE"
          + " logits."
    })
final class TdeToyCommand implements Callable<Integer> {

  @Option(names = "--classes", description = "Number of classes (default: ${DEFAULT-VALUE}).")
  int classes = ToyConfig.defaults().numClasses();

  @Option(
      names = "--imbalance",
      description = "Most/least frequent class ratio (default: ${DEFAULT-VALUE}).")
  double imbalance = ToyConfig.defaults().imbalance();

  @Option(names = "--epochs", description = "Training epochs (default: ${DEFAULT-VALUE}).")
  int epochs = ToyConfig.defaults().epochs();

  @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed = ToyConfig.defaults().seed();

  @Option(
      names = "--alpha",
      split = ",",
      description =
          "TDE strengths to evaluate, comma-separated (default: ${DEFAULT-VALUE});"
              + " the suggested alpha is always added.")
  List<Float> alphas = List.of(1.0f, 1.5f, 2.0f);

  @Override
  public Integer call() {
    ToyConfig d = ToyConfig.defaults();
    ToyConfig config =
        new ToyConfig(
            classes,
            d.inputDim(),
            d.hiddenDim(),
            d.featureDim(),
            d.numHeads(),
            d.maxPerClass(),
            imbalance,
            d.testPerClass(),
            d.noise(),
            epochs,
            d.batchSize(),
            d.learningRate(),
            d.mu(),
            seed);
    ToyResult result;
    try (ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName("train")
            .setInitialMax(config.epochs())
            .setStyle(ProgressBarStyle.ASCII)
            .setUnit(" epochs", 1)
            .build()) {
      result = TdeToyExperiment.run(config, alphas, epoch -> bar.step());
    }
    System.out.printf(
        "classes %d, imbalance %.0f, train examples per class %d..%d, %d epochs%n",
        config.numClasses(),
        config.imbalance(),
        result.trainCounts().get(0),
        result.trainCounts().get(config.numClasses() - 1),
        config.epochs());
    System.out.printf(
        "training loss: first epoch %.4f, last epoch %.4f%n",
        result.epochLosses().get(0), result.epochLosses().get(result.epochLosses().size() - 1));
    System.out.printf("suggested alpha (alpha * mean cos = 1): %.3f%n", result.suggestedAlpha());
    System.out.print(result.table());
    System.out.printf("(%.1f s)%n", result.seconds());
    return 0;
  }
}
