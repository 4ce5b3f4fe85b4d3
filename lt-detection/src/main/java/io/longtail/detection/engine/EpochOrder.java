package io.longtail.detection.engine;

import io.longtail.datasets.lvis.LvisDataset;
import io.longtail.datasets.sampling.ClassAwareSampler;
import io.longtail.datasets.sampling.ImageCategories;
import io.longtail.datasets.sampling.RandomSampler;
import io.longtail.datasets.sampling.RepeatFactorSampler;
import io.longtail.detection.config.SamplerKind;
import io.longtail.detection.config.SolverConfig;

/**
 * The image order of every epoch: a pure function of the epoch number (the samplers are seeded), so
 * that a resumed run continues exactly where the interrupted one stood.
 */
@FunctionalInterface
public interface EpochOrder {

  /** Dataset indices of epoch {@code epoch}, in order. */
  long[] indices(int epoch);

  /**
   * The order for a solver's sampler over a dataset.
   *
   * @param solver sampler kind, repeat threshold and seed
   * @param annotations the training annotations (image order = dataset index order)
   * @return the epoch order
   */
  static EpochOrder of(SolverConfig solver, LvisDataset annotations) {
    long seed = solver.seed();
    SamplerKind kind = solver.sampler();
    switch (kind) {
      case RANDOM:
        {
          RandomSampler sampler = new RandomSampler(seed);
          long size = annotations.images().size();
          return epoch -> sampler.epochIndices(size, epoch);
        }
      case REPEAT_FACTOR:
        {
          RepeatFactorSampler sampler =
              RepeatFactorSampler.builder()
                  .setImages(ImageCategories.of(annotations))
                  .setSeed(seed)
                  .optThreshold(solver.repeatThreshold())
                  .build();
          return sampler::epochIndices;
        }
      case CLASS_AWARE:
        {
          ClassAwareSampler sampler =
              ClassAwareSampler.builder()
                  .setImages(ImageCategories.of(annotations))
                  .setSeed(seed)
                  .build();
          return sampler::epochIndices;
        }
      default:
        throw new IllegalArgumentException("unknown sampler " + kind);
    }
  }
}
