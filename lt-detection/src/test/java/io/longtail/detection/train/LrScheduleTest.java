package io.longtail.detection.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class LrScheduleTest {

  @Test
  void stepScheduleWarmsUpLinearlyThenDecaysAtEachStep() {
    LrSchedule s = LrSchedule.step(0.02, 1000, List.of(600L, 800L), 0.1, 100, 0.001);
    assertThat(s.lr(0)).isCloseTo(0.02 * 0.001, within(1e-15));
    // alpha = 0.5: factor 0.001 * 0.5 + 0.5 = 0.5005.
    assertThat(s.lr(50)).isCloseTo(0.01001, within(1e-15));
    assertThat(s.lr(99)).isCloseTo(0.02 * (0.001 * 0.01 + 0.99), within(1e-15));
    assertThat(s.lr(100)).isEqualTo(0.02);
    assertThat(s.lr(599)).isEqualTo(0.02);
    assertThat(s.lr(600)).isCloseTo(0.002, within(1e-15));
    assertThat(s.lr(799)).isCloseTo(0.002, within(1e-15));
    assertThat(s.lr(800)).isCloseTo(0.0002, within(1e-15));
    assertThat(s.lr(1000)).isCloseTo(0.0002, within(1e-15));
  }

  @Test
  void warmupMultipliesTheStepDecayWhenAStepFallsInsideIt() {
    // detectron2 multiplies the warm-up factor by the main schedule, it does not interpolate.
    LrSchedule s = LrSchedule.step(1.0, 100, List.of(5L), 0.5, 10, 0.0);
    assertThat(s.lr(6)).isCloseTo(0.6 * 0.5, within(1e-15));
  }

  @Test
  void cosineScheduleGoesFromBaseToZeroAtMaxIter() {
    LrSchedule s = LrSchedule.cosine(0.1, 100, 10, 0.1);
    assertThat(s.lr(0)).isCloseTo(0.01, within(1e-15));
    // warm-up 0.1 * 0.5 + 0.5 = 0.55; cosine 0.5 (1 + cos(pi / 20)) = 0.9938441702975689.
    assertThat(s.lr(5)).isCloseTo(0.1 * 0.55 * 0.9938441702975689, within(1e-15));
    assertThat(s.lr(50)).isCloseTo(0.05, within(1e-15));
    assertThat(s.lr(75)).isCloseTo(0.1 * 0.5 * (1 - Math.sqrt(0.5)), within(1e-15));
    assertThat(s.lr(100)).isCloseTo(0.0, within(1e-15));
  }

  @Test
  void withoutWarmupTheFirstIterationUsesTheBaseRate() {
    assertThat(LrSchedule.step(0.5, 10, List.of(), 0.1, 0, 0.001).lr(0)).isEqualTo(0.5);
    assertThat(LrSchedule.cosine(0.5, 10, 0, 0.001).lr(0)).isEqualTo(0.5);
  }

  @Test
  void isAPureFunctionOfTheIteration() {
    LrSchedule s = LrSchedule.step(0.02, 1000, List.of(600L), 0.1, 100, 0.001);
    double late = s.lr(700);
    s.lr(3);
    assertThat(s.lr(700)).isEqualTo(late);
    assertThat(LrSchedule.step(0.02, 1000, List.of(600L), 0.1, 100, 0.001)).isEqualTo(s);
  }

  @Test
  void rejectsBadConfigurationsByName() {
    assertThatThrownBy(() -> LrSchedule.step(0, 10, List.of(), 0.1, 0, 0.1))
        .hasMessage("baseLr must be finite and positive, got 0.0");
    assertThatThrownBy(() -> LrSchedule.step(0.1, 0, List.of(), 0.1, 0, 0.1))
        .hasMessage("maxIter must be positive, got 0");
    assertThatThrownBy(() -> LrSchedule.step(0.1, 10, List.of(), 0.1, 11, 0.1))
        .hasMessage("warmupIters must be in [0, maxIter=10], got 11");
    assertThatThrownBy(() -> LrSchedule.step(0.1, 10, List.of(), 0.1, 1, 1.5))
        .hasMessage("warmupFactor must be in [0, 1], got 1.5");
    assertThatThrownBy(() -> LrSchedule.step(0.1, 10, List.of(5L, 5L), 0.1, 1, 0.1))
        .hasMessage("steps must be strictly increasing in (0, maxIter=10], got [5, 5]");
    assertThatThrownBy(() -> LrSchedule.step(0.1, 10, List.of(12L), 0.1, 1, 0.1))
        .hasMessage("steps must be strictly increasing in (0, maxIter=10], got [12]");
    assertThatThrownBy(() -> LrSchedule.step(0.1, 10, List.of(5L), 0, 1, 0.1))
        .hasMessage("gamma must be in (0, 1], got 0.0");
    assertThatThrownBy(
            () -> new LrSchedule(LrSchedule.Policy.COSINE, 0.1, 10, 0, 0.1, List.of(5L), 0.1))
        .hasMessage("steps apply to the STEP policy only, got [5] with COSINE");
    LrSchedule s = LrSchedule.cosine(0.1, 10, 0, 1);
    assertThatThrownBy(() -> s.lr(11)).hasMessage("iteration must be in [0, maxIter=10], got 11");
    assertThatThrownBy(() -> s.lr(-1)).hasMessage("iteration must be in [0, maxIter=10], got -1");
  }
}
