package io.longtail.detection.config;

import static io.longtail.detection.config.Defaults.or;

import java.util.List;

/**
 * A complete training/evaluation configuration, as read from a YAML file by {@link ConfigIo}.
 *
 * @param model architecture
 * @param input preprocessing
 * @param solver optimisation
 * @param data dataset locations
 * @param categories the model's label space, sorted by id; filled from the training set when a run
 *     starts and saved with every checkpoint, so that a trained model maps its classes back to
 *     category ids and names without the annotations (empty before training)
 */
public record DetectorConfig(
    ModelConfig model,
    InputConfig input,
    SolverConfig solver,
    DataConfig data,
    List<CategoryRef> categories) {

  /** Fills defaults. */
  public DetectorConfig {
    model = or(model, new ModelConfig(null, null, null));
    input = or(input, InputConfig.defaults());
    solver = or(solver, SolverConfig.defaults());
    data = or(data, new DataConfig(null, null, null, null));
    categories = List.copyOf(or(categories, List.of()));
    int previous = Integer.MIN_VALUE;
    for (CategoryRef c : categories) {
      if (c.id() <= previous) {
        throw new IllegalArgumentException(
            "categories must be sorted by strictly increasing id, got "
                + c.id()
                + " after "
                + previous);
      }
      previous = c.id();
    }
  }

  /** A copy with another label space. */
  public DetectorConfig withCategories(List<CategoryRef> newCategories) {
    return new DetectorConfig(model, input, solver, data, newCategories);
  }

  /** A copy with other data locations. */
  public DetectorConfig withData(DataConfig newData) {
    return new DetectorConfig(model, input, solver, newData, categories);
  }

  /** A copy with another solver. */
  public DetectorConfig withSolver(SolverConfig newSolver) {
    return new DetectorConfig(model, input, newSolver, data, categories);
  }
}
