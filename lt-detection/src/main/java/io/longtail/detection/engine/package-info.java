/**
 * Running the detector: the training loop (batches, SGD, schedule, checkpoints, resume, logs),
 * inference over a dataset with evaluation, and loading a trained model from a checkpoint.
 */
package io.longtail.detection.engine;
