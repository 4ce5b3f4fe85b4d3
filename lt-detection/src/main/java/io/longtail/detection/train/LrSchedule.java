package io.longtail.detection.train;

import java.util.List;
import java.util.Objects;

/**
 * The learning rate of every iteration: a linear warm-up multiplied by a step or cosine schedule,
 * as detectron2's {@code WarmupMultiStepLR} and {@code WarmupCosineLR} (the iteration-based
 * schedulers of {@code detectron2/solver/lr_scheduler.py}).
 *
 * <pre>
 *   warmup(i) = i &lt; warmupIters ? warmupFactor * (1 - i / warmupIters) + i / warmupIters : 1
 *   STEP:   lr(i) = baseLr * warmup(i) * gamma^(number of steps s with s &lt;= i)
 *   COSINE: lr(i) = baseLr * warmup(i) * 0.5 * (1 + cos(pi * i / maxIter))
 * </pre>
 *
 * <p>{@code lr(i)} is the rate used by iteration {@code i} (0-based), a pure function of {@code i},
 * so a resumed run gets the same rates without any scheduler state. As in detectron2, the warm-up
 * multiplies the main schedule (it does not interpolate towards its value).
 *
 * @param policy STEP or COSINE
 * @param baseLr the rate after warm-up and before any decay, finite and positive
 * @param maxIter the number of iterations of the run, positive; COSINE reaches 0 there
 * @param warmupIters iterations of linear warm-up, in {@code [0, maxIter]} (0: no warm-up)
 * @param warmupFactor the multiplier at iteration 0, in {@code [0, 1]} (detectron2: 0.001)
 * @param steps iterations at which STEP multiplies the rate by {@code gamma}, strictly increasing,
 *     in {@code (0, maxIter]}; must be empty for COSINE
 * @param gamma the STEP decay factor, in {@code (0, 1]} (detectron2: 0.1); ignored by COSINE
 */
public record LrSchedule(
    Policy policy,
    double baseLr,
    long maxIter,
    long warmupIters,
    double warmupFactor,
    List<Long> steps,
    double gamma) {

  /** The decay after warm-up. */
  public enum Policy {
    /** Multiply by {@code gamma} at each of the steps. */
    STEP,
    /** Half a cosine from {@code baseLr} at iteration 0 to 0 at {@code maxIter}. */
    COSINE
  }

  /** Validates every field, naming it and its value. */
  public LrSchedule {
    Objects.requireNonNull(policy, "policy");
    steps = List.copyOf(Objects.requireNonNull(steps, "steps"));
    if (!(Double.isFinite(baseLr) && baseLr > 0)) {
      throw new IllegalArgumentException("baseLr must be finite and positive, got " + baseLr);
    }
    if (maxIter <= 0) {
      throw new IllegalArgumentException("maxIter must be positive, got " + maxIter);
    }
    if (warmupIters < 0 || warmupIters > maxIter) {
      throw new IllegalArgumentException(
          "warmupIters must be in [0, maxIter=" + maxIter + "], got " + warmupIters);
    }
    if (!(warmupFactor >= 0 && warmupFactor <= 1)) {
      throw new IllegalArgumentException("warmupFactor must be in [0, 1], got " + warmupFactor);
    }
    if (policy == Policy.COSINE && !steps.isEmpty()) {
      throw new IllegalArgumentException(
          "steps apply to the STEP policy only, got " + steps + " with COSINE");
    }
    long previous = 0;
    for (long s : steps) {
      if (s <= previous || s > maxIter) {
        throw new IllegalArgumentException(
            "steps must be strictly increasing in (0, maxIter=" + maxIter + "], got " + steps);
      }
      previous = s;
    }
    if (policy == Policy.STEP && !(gamma > 0 && gamma <= 1)) {
      throw new IllegalArgumentException("gamma must be in (0, 1], got " + gamma);
    }
  }

  /**
   * A step schedule.
   *
   * @param baseLr the rate after warm-up
   * @param maxIter the run's length
   * @param steps where to multiply by {@code gamma}
   * @param gamma the decay factor
   * @param warmupIters warm-up length
   * @param warmupFactor the multiplier at iteration 0
   * @return the schedule
   */
  public static LrSchedule step(
      double baseLr,
      long maxIter,
      List<Long> steps,
      double gamma,
      long warmupIters,
      double warmupFactor) {
    return new LrSchedule(Policy.STEP, baseLr, maxIter, warmupIters, warmupFactor, steps, gamma);
  }

  /**
   * A cosine schedule.
   *
   * @param baseLr the rate at iteration 0 (after warm-up)
   * @param maxIter the iteration where the rate reaches 0
   * @param warmupIters warm-up length
   * @param warmupFactor the multiplier at iteration 0
   * @return the schedule
   */
  public static LrSchedule cosine(
      double baseLr, long maxIter, long warmupIters, double warmupFactor) {
    return new LrSchedule(Policy.COSINE, baseLr, maxIter, warmupIters, warmupFactor, List.of(), 1);
  }

  /**
   * The learning rate of an iteration.
   *
   * @param iteration 0-based, in {@code [0, maxIter]}
   * @return the rate
   */
  public double lr(long iteration) {
    if (iteration < 0 || iteration > maxIter) {
      throw new IllegalArgumentException(
          "iteration must be in [0, maxIter=" + maxIter + "], got " + iteration);
    }
    return baseLr * warmupMultiplier(iteration) * decay(iteration);
  }

  /** The warm-up multiplier alone, 1 from {@code warmupIters} on. */
  double warmupMultiplier(long iteration) {
    if (iteration >= warmupIters) {
      return 1.0;
    }
    double alpha = (double) iteration / warmupIters;
    return warmupFactor * (1 - alpha) + alpha;
  }

  private double decay(long iteration) {
    if (policy == Policy.COSINE) {
      return 0.5 * (1 + Math.cos(Math.PI * iteration / maxIter));
    }
    int passed = 0;
    for (long s : steps) {
      if (s <= iteration) {
        passed++;
      }
    }
    return Math.pow(gamma, passed);
  }
}
