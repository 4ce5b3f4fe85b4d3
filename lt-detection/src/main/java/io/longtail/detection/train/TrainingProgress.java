package io.longtail.detection.train;

import java.io.PrintStream;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Objects;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The training progress bar on the console (me.tongfei progressbar): iterations done out of the
 * maximum, iterations per second, ETA, and the latest losses and learning rate, e.g.
 *
 * <pre>
 * train  12% [===>        ] 1200/10000 it (0:08:01 / 0:58:40) 2.5 it/s total 1.412 | rpn_cls 0.090
 * rpn_box 0.050 cls 1.010 box_reg 0.270 | lr 0.02000</pre>
 *
 * <p>By default it writes to standard error (an interactive terminal gets an in-place bar). A
 * resumed run counts from its start iteration, so the speed and ETA are those of this process.
 * Quiet mode (for tests and non-interactive logs) shows nothing.
 */
public final class TrainingProgress implements AutoCloseable {
  private final ProgressBar bar;

  private TrainingProgress(Builder b) {
    if (b.quiet) {
      bar = null;
      return;
    }
    ProgressBarBuilder pb =
        new ProgressBarBuilder()
            .setTaskName(b.taskName)
            .setInitialMax(b.maxIterations)
            .setStyle(ProgressBarStyle.ASCII)
            .setUnit(" it", 1)
            .showSpeed()
            .setSpeedUnit(ChronoUnit.SECONDS)
            .startsFrom(b.startIteration, Duration.ZERO)
            .setUpdateIntervalMillis(b.updateIntervalMillis);
    if (b.output != null) {
      pb.setConsumer(new ConsoleProgressBarConsumer(b.output, 200));
    }
    bar = pb.build();
  }

  /**
   * Starts configuring a progress bar.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Moves the bar to {@code completed} iterations and shows the losses.
   *
   * @param completed iterations done (the index of the next one)
   * @param losses the latest loss terms
   * @param lr the latest learning rate
   */
  public void update(long completed, LossTerms losses, double lr) {
    if (bar != null) {
      bar.setExtraMessage(" " + message(losses, lr));
      bar.stepTo(completed);
    }
  }

  /** The bar's current position, or -1 when quiet. */
  public long current() {
    return bar == null ? -1 : bar.getCurrent();
  }

  /**
   * The text shown after the bar: the total, each term with its {@code loss_} prefix dropped, the
   * learning rate.
   *
   * @param losses the loss terms
   * @param lr the learning rate
   * @return e.g. {@code total 1.412 | rpn_cls 0.090 cls 1.010 | lr 0.02000}
   */
  public static String message(LossTerms losses, double lr) {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "total %.3f |", losses.total()));
    for (LossTerms.Term t : losses.terms()) {
      String name = t.name().startsWith("loss_") ? t.name().substring(5) : t.name();
      s.append(String.format(Locale.ROOT, " %s %.3f", name, t.value()));
    }
    s.append(String.format(Locale.ROOT, " | lr %.4g", lr));
    return s.toString();
  }

  /** Renders the final state and releases the console. */
  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }

  /** Configures a {@link TrainingProgress}. */
  public static final class Builder {
    private long maxIterations = -1;
    private long startIteration;
    private boolean quiet;
    private PrintStream output;
    private String taskName = "train";
    private int updateIntervalMillis = 1000;

    private Builder() {}

    /** The run's total iterations (required, positive). */
    public Builder setMaxIterations(long maxIterations) {
      if (maxIterations <= 0) {
        throw new IllegalArgumentException("maxIterations must be positive, got " + maxIterations);
      }
      this.maxIterations = maxIterations;
      return this;
    }

    /** Where this process starts (default 0; the checkpoint's iteration when resuming). */
    public Builder optStartIteration(long startIteration) {
      if (startIteration < 0) {
        throw new IllegalArgumentException("startIteration must be >= 0, got " + startIteration);
      }
      this.startIteration = startIteration;
      return this;
    }

    /** Shows nothing when true (default false). */
    public Builder optQuiet(boolean quiet) {
      this.quiet = quiet;
      return this;
    }

    /** Writes plain lines to this stream instead of the console's standard error. */
    public Builder optOutput(PrintStream output) {
      this.output = Objects.requireNonNull(output, "output");
      return this;
    }

    /** The label before the bar (default {@code train}). */
    public Builder optTaskName(String taskName) {
      this.taskName = Objects.requireNonNull(taskName, "taskName");
      return this;
    }

    /** How often the bar is redrawn, in milliseconds (default 1000). */
    public Builder optUpdateIntervalMillis(int millis) {
      if (millis <= 0) {
        throw new IllegalArgumentException("updateIntervalMillis must be positive, got " + millis);
      }
      this.updateIntervalMillis = millis;
      return this;
    }

    /** Builds (and, unless quiet, shows) the bar. */
    public TrainingProgress build() {
      if (maxIterations <= 0) {
        throw new IllegalArgumentException("maxIterations must be set, got none");
      }
      if (startIteration > maxIterations) {
        throw new IllegalArgumentException(
            "startIteration must be <= maxIterations=" + maxIterations + ", got " + startIteration);
      }
      return new TrainingProgress(this);
    }
  }
}
