package io.longtail.detection.config;

import static io.longtail.detection.config.Defaults.nonNegative;
import static io.longtail.detection.config.Defaults.or;
import static io.longtail.detection.config.Defaults.positive;
import static io.longtail.detection.config.Defaults.unit;

import java.util.List;

/**
 * Optimisation settings (defaults: detectron2's LVIS 1x schedule at 16 images per batch).
 *
 * @param imagesPerBatch images per iteration (default 16)
 * @param baseLr learning rate after warm-up (default 0.02)
 * @param momentum SGD momentum (default 0.9)
 * @param weightDecay L2 weight decay (default 1e-4)
 * @param warmupIters linear warm-up iterations (default 1000)
 * @param warmupFactor learning-rate factor at iteration 0 of the warm-up (default 0.001)
 * @param schedule decay after warm-up (default STEP)
 * @param steps iterations at which STEP multiplies the rate by {@code gamma} (default 60000, 80000)
 * @param gamma STEP decay factor (default 0.1)
 * @param maxIter training iterations (default 90000)
 * @param clipGradNorm global gradient-norm clip, 0 = off (default 0)
 * @param checkpointPeriod iterations between checkpoints (default 5000)
 * @param keepCheckpoints how many periodic checkpoints to keep (default 3)
 * @param sampler image sampler (default REPEAT_FACTOR, the LVIS standard)
 * @param repeatThreshold repeat factor sampling threshold {@code t} (default 0.001)
 * @param workers image decoding threads (default: number of cores)
 * @param seed seed of sampling, flips and initialisation (default 42)
 */
public record SolverConfig(
    Integer imagesPerBatch,
    Float baseLr,
    Float momentum,
    Float weightDecay,
    Integer warmupIters,
    Float warmupFactor,
    ScheduleKind schedule,
    List<Integer> steps,
    Float gamma,
    Integer maxIter,
    Float clipGradNorm,
    Integer checkpointPeriod,
    Integer keepCheckpoints,
    SamplerKind sampler,
    Double repeatThreshold,
    Integer workers,
    Long seed) {

  /** Fills defaults and validates. */
  public SolverConfig {
    imagesPerBatch = or(imagesPerBatch, 16);
    baseLr = or(baseLr, 0.02f);
    momentum = or(momentum, 0.9f);
    weightDecay = or(weightDecay, 1e-4f);
    warmupIters = or(warmupIters, 1000);
    warmupFactor = or(warmupFactor, 0.001f);
    schedule = or(schedule, ScheduleKind.STEP);
    steps = List.copyOf(or(steps, List.of(60000, 80000)));
    gamma = or(gamma, 0.1f);
    maxIter = or(maxIter, 90000);
    clipGradNorm = or(clipGradNorm, 0f);
    checkpointPeriod = or(checkpointPeriod, 5000);
    keepCheckpoints = or(keepCheckpoints, 3);
    sampler = or(sampler, SamplerKind.REPEAT_FACTOR);
    repeatThreshold = or(repeatThreshold, 0.001);
    workers = or(workers, Runtime.getRuntime().availableProcessors());
    seed = or(seed, 42L);
    positive("solver.imagesPerBatch", imagesPerBatch);
    positive("solver.baseLr", baseLr);
    unit("solver.momentum", momentum);
    nonNegative("solver.weightDecay", weightDecay);
    nonNegative("solver.warmupIters", warmupIters);
    unit("solver.warmupFactor", warmupFactor);
    positive("solver.gamma", gamma);
    positive("solver.maxIter", maxIter);
    nonNegative("solver.clipGradNorm", clipGradNorm);
    positive("solver.checkpointPeriod", checkpointPeriod);
    positive("solver.keepCheckpoints", keepCheckpoints);
    if (!(repeatThreshold > 0 && repeatThreshold <= 1)) {
      throw new IllegalArgumentException(
          "solver.repeatThreshold must be in (0, 1], got " + repeatThreshold);
    }
    positive("solver.workers", workers);
    int previous = 0;
    for (int s : steps) {
      if (s <= previous) {
        throw new IllegalArgumentException(
            "solver.steps must be positive and increasing, got " + steps);
      }
      previous = s;
    }
  }

  /** All defaults. */
  public static SolverConfig defaults() {
    return new SolverConfig(
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null);
  }
}
