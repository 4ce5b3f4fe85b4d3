/**
 * Model-independent training infrastructure for the detector's loop: an SGD optimizer whose
 * momentum state can be saved ({@link io.longtail.detection.train.SgdOptimizer}), the warm-up plus
 * step/cosine learning-rate schedule ({@link io.longtail.detection.train.LrSchedule}), atomic
 * checkpoints ({@link io.longtail.detection.train.CheckpointStore}), the per-iteration metrics log
 * ({@link io.longtail.detection.train.TrainingLog}), the non-finite loss guard ({@link
 * io.longtail.detection.train.LossGuard}) and the console progress bar ({@link
 * io.longtail.detection.train.TrainingProgress}).
 *
 * <p>Iteration convention used throughout: iterations are numbered from 0; a checkpoint's {@code
 * iteration} is the number of completed iterations, i.e. the index of the next iteration to run, so
 * resuming from a checkpoint at iteration {@code n} runs iterations {@code n, n+1, ...}.
 */
package io.longtail.detection.train;
