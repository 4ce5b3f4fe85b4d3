package io.longtail.core.toy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * End-to-end training check of the causal-norm head: on generated long-tailed data the loss falls
 * and TDE raises the accuracy of the tail ("few") classes over plain logits on a balanced test set.
 */
class TdeToyExperimentTest {

  @Test
  void trainingConvergesAndTdeRaisesTailAccuracy() {
    ToyResult result = TdeToyExperiment.run(ToyConfig.defaults(), List.of(1.0f, 1.5f), e -> {});
    System.out.println(result.table());
    System.out.printf(
        "losses: first %.4f last %.4f, suggested alpha %.3f, %.1f s%n",
        result.epochLosses().get(0),
        result.epochLosses().get(result.epochLosses().size() - 1),
        result.suggestedAlpha(),
        result.seconds());

    List<Double> losses = result.epochLosses();
    assertThat(losses.get(losses.size() - 1)).isLessThan(0.5 * losses.get(0));
    assertThat(result.plain().overall()).as("the classifier learned something").isGreaterThan(0.3);
    GroupAccuracy tde = result.tde().get(result.suggestedAlpha());
    assertThat(tde.of(ClassGroup.FEW))
        .as("TDE at the suggested alpha raises tail accuracy")
        .isGreaterThan(result.plain().of(ClassGroup.FEW) + 0.05);
    assertThat(tde.overall())
        .as("and does not lower overall accuracy on the balanced test set")
        .isGreaterThanOrEqualTo(result.plain().overall());
  }

  @Test
  void pairsEveryTailClassWithAHeadClass() {
    // 20 classes: rarest class 19 shares centre pair (0, 1) with the most frequent class 0.
    assertThat(TdeToyExperiment.pairedCentre(0, 20)).isEqualTo(0);
    assertThat(TdeToyExperiment.pairedCentre(19, 20)).isEqualTo(1);
    assertThat(TdeToyExperiment.pairedCentre(10, 20)).isEqualTo(19);
  }

  @Test
  void trainCountsFollowTheExponentialProfile() {
    ToyConfig c = ToyConfig.defaults();
    assertThat(c.trainCount(0)).isEqualTo(500);
    assertThat(c.trainCount(19)).isEqualTo(5);
    // 500 * 100^(-10/19) = 44.3
    assertThat(c.trainCount(10)).isEqualTo(44);
  }
}
