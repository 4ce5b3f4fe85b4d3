package io.longtail.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.training.loss.Loss;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LossConfigTest {

  private static final List<Long> COUNTS = List.of(100L, 10L, 1L);

  private static List<LossConfig> oneOfEach() {
    return List.of(
        new CrossEntropyLoss.Config(),
        new BinaryCrossEntropyLoss.Config(),
        FocalLoss.Config.of(2, 0.25),
        ClassBalancedLoss.Config.focal(0.999, 2, COUNTS),
        new LogitAdjustedLoss.Config(1, COUNTS),
        new EqualizationLoss.Config(1.76e-3, List.of(0.1, 0.001, 0.0001)),
        SeesawLoss.Config.builder(3).build(),
        DistributionBalancedLoss.Config.builder(List.of(50.0, 5.0, 1.0), 100).build(),
        GmlLoss.Config.builder(COUNTS, 8).optQueueSize(12).build());
  }

  @Test
  void configNamesRoundTripAndUnknownNamesAreRejected() {
    for (LossKind kind : LossKind.values()) {
      assertThat(LossKind.fromConfigName(" " + kind.configName().toUpperCase() + " "))
          .isEqualTo(kind);
    }
    assertThatThrownBy(() -> LossKind.fromConfigName("seasaw"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("loss must be one of softmax, bce, focal")
        .hasMessageContaining("got seasaw");
  }

  @Test
  void everyConfigCreatesItsLossUnderItsName() {
    for (LossConfig config : oneOfEach()) {
      Loss loss = config.create();
      assertThat(loss.getName()).isEqualTo(config.kind().configName());
      if (loss instanceof AutoCloseable closeable) {
        assertThatCode(closeable::close).doesNotThrowAnyException();
      }
    }
    assertThat(oneOfEach().stream().map(LossConfig::kind)).containsExactly(LossKind.values());
  }

  @Test
  void headActivationsAreCheckedWithAClearError() {
    Map<LossKind, HeadActivation> expected =
        Map.of(
            LossKind.SOFTMAX_CE, HeadActivation.SOFTMAX,
            LossKind.SIGMOID_BCE, HeadActivation.SIGMOID,
            LossKind.FOCAL, HeadActivation.SIGMOID,
            LossKind.CLASS_BALANCED, HeadActivation.SIGMOID, // the focal variant
            LossKind.LOGIT_ADJUSTED, HeadActivation.SOFTMAX,
            LossKind.EQL, HeadActivation.SIGMOID,
            LossKind.SEESAW, HeadActivation.SOFTMAX,
            LossKind.DISTRIBUTION_BALANCED, HeadActivation.SIGMOID,
            LossKind.GML, HeadActivation.SOFTMAX);
    for (LossConfig config : oneOfEach()) {
      HeadActivation head = expected.get(config.kind());
      assertThat(config.headActivation()).as("%s", config.kind()).isEqualTo(head);
      assertThatCode(() -> config.requireHead(head)).doesNotThrowAnyException();
    }
    assertThatThrownBy(
            () ->
                new EqualizationLoss.Config(1e-3, List.of(0.5)).requireHead(HeadActivation.SOFTMAX))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("loss eql needs a sigmoid head, got a softmax head");
    assertThatThrownBy(
            () -> ClassBalancedLoss.Config.softmax(0.9, COUNTS).requireHead(HeadActivation.SIGMOID))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("loss class-balanced needs a softmax head, got a sigmoid head");
  }

  @Test
  void onlyGmlIsClassificationOnly() {
    for (LossConfig config : oneOfEach()) {
      if (config.kind() == LossKind.GML) {
        assertThatThrownBy(config::requireDetectionSupport)
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("loss gml needs teacher contrast features");
      } else {
        assertThatCode(config::requireDetectionSupport).doesNotThrowAnyException();
      }
    }
  }
}
