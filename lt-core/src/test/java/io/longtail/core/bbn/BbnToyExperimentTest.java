package io.longtail.core.bbn;

import static org.assertj.core.api.Assertions.assertThat;

import io.longtail.core.toy.ClassGroup;
import org.junit.jupiter.api.Test;

/** BBN against conventional training on the generated long-tailed problem. */
class BbnToyExperimentTest {

  @Test
  void cumulativeLearningRaisesTailAccuracy() {
    BbnToyResult r = BbnToyExperiment.run(BbnToyConfig.defaults());
    System.out.println(r.table());
    System.out.printf("alphas %s%nlosses %s%n%.1f s%n", r.alphas(), r.bbnLosses(), r.seconds());
    assertThat(r.alphas().get(0)).isEqualTo(1.0);
    assertThat(r.bbn().of(ClassGroup.FEW)).isGreaterThan(r.baseline().of(ClassGroup.FEW) + 0.05);
    assertThat(r.bbn().overall()).isGreaterThanOrEqualTo(r.baseline().overall());
  }
}
