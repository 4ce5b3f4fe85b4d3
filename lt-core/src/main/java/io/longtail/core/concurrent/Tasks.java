package io.longtail.core.concurrent;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Waits for work done on other threads and rethrows its failure as it was thrown there, not wrapped
 * in an {@link ExecutionException}, so that an error names the file and record as the worker
 * reported them.
 */
public final class Tasks {

  private Tasks() {}

  /**
   * The task's result.
   *
   * @param what what the task does, for the message when this thread is interrupted
   * @throws IOException the task's own, or one wrapping a checked exception other than an
   *     IOException; {@link InterruptedIOException} when interrupted (the interrupt flag is set
   *     again)
   * @throws RuntimeException the task's own (an {@link UncheckedIOException} as thrown)
   */
  public static <T> T join(Future<T> task, String what) throws IOException {
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException ie = new InterruptedIOException("interrupted " + what);
      ie.initCause(e);
      throw ie;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      throw unchecked(cause);
    }
  }

  /**
   * The task's result, for callers that cannot throw checked exceptions.
   *
   * @param what what the task does, for the message when this thread is interrupted
   * @throws UncheckedIOException wrapping the task's IOException
   * @throws IllegalStateException when interrupted (the interrupt flag is set again), or wrapping
   *     another checked exception
   * @throws RuntimeException the task's own
   */
  public static <T> T joinUnchecked(Future<T> task, String what) {
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted " + what, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      throw unchecked(cause);
    }
  }

  private static RuntimeException unchecked(Throwable cause) {
    if (cause instanceof RuntimeException re) {
      return re;
    }
    if (cause instanceof Error err) {
      throw err;
    }
    return new IllegalStateException(cause.getMessage(), cause);
  }
}
