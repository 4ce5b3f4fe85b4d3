package io.longtail.detection.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TrainingProgressTest {
  private static final LossTerms LOSSES =
      LossTerms.of("loss_rpn_cls", 0.09, "loss_cls", 1.01, "loss_box_reg", 0.27);

  @Test
  void showsIterationsLossesSpeedAndEta() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TrainingProgress progress =
        TrainingProgress.builder()
            .setMaxIterations(100)
            .optStartIteration(40)
            .optOutput(new PrintStream(bytes, true, StandardCharsets.UTF_8))
            .optUpdateIntervalMillis(10)
            .build()) {
      progress.update(41, LOSSES, 0.02);
      progress.update(42, LOSSES, 0.02);
      assertThat(progress.current()).isEqualTo(42);
    }
    String shown = bytes.toString(StandardCharsets.UTF_8);
    assertThat(shown)
        .contains("train")
        .contains("42/100 it")
        .containsPattern("\\(\\d+:\\d\\d:\\d\\d / \\d+:\\d\\d:\\d\\d\\)") // elapsed / ETA
        .contains("it/s total 1.370 | rpn_cls 0.090 cls 1.010 box_reg 0.270 | lr 0.02000");
  }

  @Test
  void quietModeShowsNothing() {
    try (TrainingProgress progress =
        TrainingProgress.builder().setMaxIterations(10).optQuiet(true).build()) {
      progress.update(3, LOSSES, 0.1);
      assertThat(progress.current()).isEqualTo(-1);
    }
  }

  @Test
  void rejectsBadSettingsByName() {
    assertThatThrownBy(() -> TrainingProgress.builder().build())
        .hasMessage("maxIterations must be set, got none");
    assertThatThrownBy(
            () -> TrainingProgress.builder().setMaxIterations(5).optStartIteration(6).build())
        .hasMessage("startIteration must be <= maxIterations=5, got 6");
  }
}
