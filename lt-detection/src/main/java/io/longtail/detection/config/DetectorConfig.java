package io.longtail.detection.config;

import static io.longtail.detection.config.Defaults.or;

/**
 * A complete training/evaluation configuration, as read from a YAML file by {@link ConfigIo}.
 *
 * @param model architecture
 * @param input preprocessing
 * @param solver optimisation
 * @param data dataset locations
 */
public record DetectorConfig(
    ModelConfig model, InputConfig input, SolverConfig solver, DataConfig data) {

  /** Fills defaults. */
  public DetectorConfig {
    model = or(model, new ModelConfig(null, null, null));
    input = or(input, InputConfig.defaults());
    solver = or(solver, SolverConfig.defaults());
    data = or(data, new DataConfig(null, null, null, null));
  }
}
