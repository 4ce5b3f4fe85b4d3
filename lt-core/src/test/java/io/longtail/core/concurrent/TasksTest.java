package io.longtail.core.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.FutureTask;
import org.junit.jupiter.api.Test;

class TasksTest {

  private static <T> FutureTask<T> ran(java.util.concurrent.Callable<T> work) {
    FutureTask<T> task = new FutureTask<>(work);
    task.run();
    return task;
  }

  @Test
  void returnsTheResult() throws IOException {
    assertThat(Tasks.join(ran(() -> 42), "counting")).isEqualTo(42);
    assertThat(Tasks.joinUnchecked(ran(() -> "x"), "counting")).isEqualTo("x");
  }

  @Test
  void rethrowsTheWorkersExceptionItself() {
    IOException io = new IOException("results.json: results[3]: field score: missing");
    IllegalArgumentException bad = new IllegalArgumentException("bad category");
    AssertionError error = new AssertionError("broken");

    assertThatThrownBy(
            () ->
                Tasks.join(
                    ran(
                        () -> {
                          throw io;
                        }),
                    "reading"))
        .isSameAs(io);
    assertThatThrownBy(
            () ->
                Tasks.join(
                    ran(
                        () -> {
                          throw bad;
                        }),
                    "reading"))
        .isSameAs(bad);
    assertThatThrownBy(
            () ->
                Tasks.join(
                    ran(
                        () -> {
                          throw error;
                        }),
                    "reading"))
        .isSameAs(error);
    assertThatThrownBy(
            () ->
                Tasks.join(
                    ran(
                        () -> {
                          throw new Exception("other");
                        }),
                    "reading"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("other");

    assertThatThrownBy(
            () ->
                Tasks.joinUnchecked(
                    ran(
                        () -> {
                          throw io;
                        }),
                    "decoding"))
        .isInstanceOf(UncheckedIOException.class)
        .hasCause(io);
    assertThatThrownBy(
            () ->
                Tasks.joinUnchecked(
                    ran(
                        () -> {
                          throw bad;
                        }),
                    "decoding"))
        .isSameAs(bad);
    assertThatThrownBy(
            () ->
                Tasks.joinUnchecked(
                    ran(
                        () -> {
                          throw error;
                        }),
                    "decoding"))
        .isSameAs(error);
  }

  @Test
  void anInterruptedWaitSaysWhatItWaitedForAndKeepsTheFlag() {
    CompletableFuture<Integer> never = new CompletableFuture<>();
    try {
      Thread.currentThread().interrupt();
      assertThatThrownBy(() -> Tasks.join(never, "reading results.json"))
          .isInstanceOf(InterruptedIOException.class)
          .hasMessage("interrupted reading results.json");
      assertThat(Thread.interrupted()).isTrue();

      Thread.currentThread().interrupt();
      assertThatThrownBy(() -> Tasks.joinUnchecked(never, "decoding images"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("interrupted decoding images");
      assertThat(Thread.interrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
