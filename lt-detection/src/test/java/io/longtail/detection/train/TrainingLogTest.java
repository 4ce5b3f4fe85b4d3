package io.longtail.detection.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingLogTest {
  @TempDir Path dir;

  private static IterationMetrics metrics(long iteration) {
    return new IterationMetrics(
        iteration,
        LossTerms.of("loss_rpn_cls", 0.5 / (iteration + 1), "loss_cls", 2.0 / (iteration + 1)),
        0.02,
        0.25,
        Instant.ofEpochSecond(1_700_000_000L + iteration));
  }

  private TrainingLog open(long start) throws IOException {
    return TrainingLog.builder().setRunDirectory(dir).optStartIteration(start).open();
  }

  @Test
  void writesOneFlatJsonObjectPerIteration() throws IOException {
    try (TrainingLog log = open(0)) {
      log.append(metrics(0));
      log.append(metrics(1));
    }
    List<String> lines = Files.readAllLines(dir.resolve("metrics.jsonl"));
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0))
        .isEqualTo(
            "{\"iteration\":0,\"loss_rpn_cls\":0.5,\"loss_cls\":2.0,\"total_loss\":2.5,"
                + "\"lr\":0.02,\"seconds_per_iter\":0.25,\"time\":\"2023-11-14T22:13:20Z\"}");
    assertThat(TrainingLog.read(dir.resolve("metrics.jsonl")))
        .containsExactly(metrics(0), metrics(1));
  }

  @Test
  void resumingEqualsAnUninterruptedRun() throws IOException {
    Path straightDir = Files.createDirectory(dir.resolve("straight"));
    try (TrainingLog log = TrainingLog.builder().setRunDirectory(straightDir).open()) {
      for (long i = 0; i < 10; i++) {
        log.append(metrics(i));
      }
    }
    // The interrupted run got to iteration 7 (past its checkpoint at 5) and was killed while
    // writing a line.
    try (TrainingLog log = open(0)) {
      for (long i = 0; i < 8; i++) {
        log.append(metrics(i));
      }
    }
    Files.writeString(
        dir.resolve("metrics.jsonl"),
        "{\"iteration\":8,\"loss_cls\":0.",
        StandardOpenOption.APPEND);
    try (TrainingLog log = open(5)) {
      assertThat(TrainingLog.read(log.file()))
          .extracting(IterationMetrics::iteration)
          .containsExactly(0L, 1L, 2L, 3L, 4L);
      for (long i = 5; i < 10; i++) {
        log.append(metrics(i));
      }
    }
    assertThat(Files.readAllLines(dir.resolve("metrics.jsonl")))
        .isEqualTo(Files.readAllLines(straightDir.resolve("metrics.jsonl")));
  }

  @Test
  void flushesEveryNLinesSoAKillLosesLittle() throws IOException {
    try (TrainingLog log =
        TrainingLog.builder()
            .setRunDirectory(dir)
            .optFlushEvery(3)
            .optFlushInterval(Duration.ofHours(1))
            .open()) {
      log.append(metrics(0));
      log.append(metrics(1));
      assertThat(Files.readAllLines(log.file())).isEmpty();
      log.append(metrics(2));
      assertThat(Files.readAllLines(log.file())).hasSize(3);
      log.append(metrics(3));
      log.flush();
      assertThat(Files.readAllLines(log.file())).hasSize(4);
    }
  }

  @Test
  void nonFiniteValuesAreWrittenAsStringsAndReadBack() throws IOException {
    IterationMetrics bad =
        new IterationMetrics(
            0, LossTerms.of("loss_cls", Double.NaN), 0.1, 1, Instant.ofEpochSecond(0));
    try (TrainingLog log = open(0)) {
      log.append(bad);
    }
    assertThat(Files.readString(dir.resolve("metrics.jsonl"), StandardCharsets.UTF_8))
        .contains("\"loss_cls\":\"NaN\"");
    assertThat(TrainingLog.read(dir.resolve("metrics.jsonl")).get(0).losses().value("loss_cls"))
        .isNaN();
  }

  @Test
  void iterationsMustIncreaseFromTheStart() throws IOException {
    try (TrainingLog log = open(0)) {
      log.append(metrics(0));
      assertThatThrownBy(() -> log.append(metrics(0)))
          .hasMessage("iteration must be >= 1 (increasing), got 0");
    }
    try (TrainingLog log = open(4)) {
      assertThatThrownBy(() -> log.append(metrics(2)))
          .hasMessage("iteration must be >= 4 (increasing), got 2");
    }
    assertThatThrownBy(() -> TrainingLog.builder().open())
        .hasMessage("runDirectory must be set, got none");
  }
}
