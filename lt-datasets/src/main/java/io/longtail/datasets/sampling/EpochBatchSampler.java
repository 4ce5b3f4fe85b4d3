package io.longtail.datasets.sampling;

import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Sampler;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Groups every index of a sub-sampler's epoch into batches.
 *
 * <p>Use it instead of DJL's {@link ai.djl.training.dataset.BatchSampler} with {@link
 * RepeatFactorSampler} or {@link ClassAwareSampler}: DJL's stops after {@code dataset.size()}
 * indices, which would cut off the repeated images of a repeat-factor epoch (longer than the
 * dataset).
 */
public final class EpochBatchSampler implements Sampler {

  private final Sampler.SubSampler subSampler;
  private final int batchSize;
  private final boolean dropLast;

  /**
   * @param subSampler the order of the indices
   * @param batchSize indices per batch, {@code >= 1}
   * @param dropLast whether to drop a last, smaller batch
   */
  public EpochBatchSampler(Sampler.SubSampler subSampler, int batchSize, boolean dropLast) {
    if (subSampler == null) {
      throw new IllegalArgumentException("subSampler must not be null");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
    }
    this.subSampler = subSampler;
    this.batchSize = batchSize;
    this.dropLast = dropLast;
  }

  @Override
  public Iterator<List<Long>> sample(RandomAccessDataset dataset) {
    Iterator<Long> indices = subSampler.sample(dataset);
    return new Iterator<>() {
      private List<Long> next = advance();

      private List<Long> advance() {
        List<Long> batch = new ArrayList<>(batchSize);
        while (batch.size() < batchSize && indices.hasNext()) {
          batch.add(indices.next());
        }
        if (batch.isEmpty() || (dropLast && batch.size() < batchSize)) {
          return null;
        }
        return batch;
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public List<Long> next() {
        if (next == null) {
          throw new NoSuchElementException("the epoch has no more batches");
        }
        List<Long> out = next;
        next = advance();
        return out;
      }
    };
  }

  @Override
  public int getBatchSize() {
    return batchSize;
  }
}
