package io.longtail.detection.train;

import java.util.Objects;

/**
 * Everything in a checkpoint besides the two binary blobs (model parameters, optimizer state).
 *
 * @param iteration completed iterations, the index of the next iteration to run, {@code >= 0}
 * @param sampler where the sampler continues
 * @param config the run's configuration as text (YAML), saved verbatim
 * @param provenance versions, seed, dataset, time and host
 */
public record CheckpointInfo(
    long iteration, SamplerState sampler, String config, Provenance provenance) {
  /** Validates the fields. */
  public CheckpointInfo {
    if (iteration < 0) {
      throw new IllegalArgumentException("iteration must be >= 0, got " + iteration);
    }
    Objects.requireNonNull(sampler, "sampler");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(provenance, "provenance");
  }
}
