package io.longtail.datasets.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Sampler;
import io.longtail.core.concurrent.Tasks;
import io.longtail.datasets.sampling.Seeds;
import java.nio.FloatBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Iterates over {@link DetectionBatch}es of a {@link DetectionDataset} in the order of a DJL {@link
 * Sampler}, decoding and transforming images on {@code workers} threads ahead of the consumer.
 *
 * <p>Prefetch: up to {@code prefetchBatches} batches are in flight at any time (a bounded queue of
 * futures, one task per image), so while the model runs a step the next batches are being decoded;
 * {@link Iterator#next()} only collates and copies the finished batch into an NDArray. Workers
 * never touch an {@link NDManager}: the batch's arrays are made on the consumer's thread in a
 * sub-manager of the loader's manager, owned and closed by the batch.
 *
 * <p>Each {@link #iterator()} is one epoch (the sampler's next epoch). Flips are drawn from {@code
 * derive(seed, epoch, position)}, so they do not depend on thread timing. Bad images, when the
 * dataset skips them, simply leave their batch smaller (a batch whose images are all bad is
 * dropped).
 */
public final class DetectionLoader implements Iterable<DetectionBatch>, AutoCloseable {

  private final DetectionDataset dataset;
  private final Sampler sampler;
  private final NDManager manager;
  private final int prefetchBatches;
  private final int sizeDivisibility;
  private final long seed;
  private final ExecutorService pool;
  private int nextEpoch;

  private DetectionLoader(Builder b) {
    this.dataset = b.dataset;
    this.sampler = b.sampler;
    this.manager = b.manager;
    this.prefetchBatches = b.prefetchBatches < 0 ? 2 * b.workers : b.prefetchBatches;
    this.sizeDivisibility = b.sizeDivisibility;
    this.seed = b.seed;
    this.pool =
        Executors.newFixedThreadPool(
            b.workers,
            r -> {
              Thread t = new Thread(r, "lt-loader");
              t.setDaemon(true);
              return t;
            });
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The next epoch's batches. */
  @Override
  public Iterator<DetectionBatch> iterator() {
    return new Epoch(nextEpoch++);
  }

  /** Stops the workers. */
  @Override
  public void close() {
    pool.shutdownNow();
  }

  private final class Epoch implements Iterator<DetectionBatch> {
    private final int epoch;
    private final Iterator<List<Long>> indices;
    private final ArrayDeque<List<Future<PreparedImage>>> queue = new ArrayDeque<>();
    private long position;
    private List<PreparedImage> ready;

    Epoch(int epoch) {
      this.epoch = epoch;
      this.indices = sampler.sample(dataset);
      fill();
    }

    private void fill() {
      while (queue.size() < prefetchBatches && indices.hasNext()) {
        List<Long> batch = indices.next();
        List<Future<PreparedImage>> futures = new ArrayList<>(batch.size());
        for (long index : batch) {
          long pos = position++;
          boolean flip =
              new SplittableRandom(Seeds.derive(seed, epoch, pos)).nextDouble()
                  < dataset.transform().flipProbability();
          futures.add(pool.submit(() -> dataset.prepare(index, flip)));
        }
        queue.add(futures);
      }
    }

    @Override
    public boolean hasNext() {
      while (ready == null) {
        if (queue.isEmpty()) {
          return false;
        }
        List<Future<PreparedImage>> head = queue.poll();
        fill();
        List<PreparedImage> images = new ArrayList<>(head.size());
        for (Future<PreparedImage> f : head) {
          PreparedImage p = Tasks.joinUnchecked(f, "loading a batch");
          if (p != null) {
            images.add(p);
          }
        }
        if (!images.isEmpty()) {
          ready = images;
        }
      }
      return true;
    }

    @Override
    public DetectionBatch next() {
      if (!hasNext()) {
        throw new NoSuchElementException("epoch " + epoch + " has no more batches");
      }
      List<PreparedImage> images = ready;
      ready = null;
      int[] shape = Batching.paddedShape(images, sizeDivisibility);
      float[] data = Batching.pad(images, sizeDivisibility);
      NDManager sub = manager.newSubManager();
      try {
        NDArray array =
            sub.create(FloatBuffer.wrap(data), new Shape(shape[0], shape[1], shape[2], shape[3]));
        List<ImageTargets> targets = new ArrayList<>(images.size());
        for (PreparedImage p : images) {
          targets.add(p.targets());
        }
        return new DetectionBatch(array, targets, sub);
      } catch (RuntimeException e) {
        sub.close();
        throw e;
      }
    }
  }

  /** Builds a {@link DetectionLoader}. */
  public static final class Builder {
    private DetectionDataset dataset;
    private Sampler sampler;
    private NDManager manager;
    private int workers = 2;
    private int prefetchBatches = -1;
    private int sizeDivisibility = 32;
    private long seed;
    private boolean seedSet;

    private Builder() {}

    /** The dataset (required). */
    public Builder setDataset(DetectionDataset dataset) {
      this.dataset = dataset;
      return this;
    }

    /**
     * The batch sampler (required), e.g. {@code new EpochBatchSampler(repeatFactorSampler, 8,
     * false)}.
     */
    public Builder setSampler(Sampler sampler) {
      this.sampler = sampler;
      return this;
    }

    /** The manager whose sub-managers hold the batches (required). */
    public Builder setManager(NDManager manager) {
      this.manager = manager;
      return this;
    }

    /** The seed of the flips (required). */
    public Builder setSeed(long seed) {
      this.seed = seed;
      this.seedSet = true;
      return this;
    }

    /** Decoding threads, default 2. */
    public Builder optWorkers(int workers) {
      this.workers = workers;
      return this;
    }

    /** Batches in flight, default twice the workers. */
    public Builder optPrefetchBatches(int prefetchBatches) {
      this.prefetchBatches = prefetchBatches;
      return this;
    }

    /** Padding multiple of the batch height and width, default 32. */
    public Builder optSizeDivisibility(int sizeDivisibility) {
      this.sizeDivisibility = sizeDivisibility;
      return this;
    }

    /** The loader (it owns threads: close it). */
    public DetectionLoader build() {
      if (dataset == null) {
        throw new IllegalArgumentException("dataset must be set, got null");
      }
      if (sampler == null) {
        throw new IllegalArgumentException("sampler must be set, got null");
      }
      if (manager == null) {
        throw new IllegalArgumentException("manager must be set, got null");
      }
      if (!seedSet) {
        throw new IllegalArgumentException("seed must be set explicitly, got none");
      }
      if (workers < 1) {
        throw new IllegalArgumentException("workers must be >= 1, got " + workers);
      }
      if (prefetchBatches == 0 || prefetchBatches < -1) {
        throw new IllegalArgumentException("prefetchBatches must be >= 1, got " + prefetchBatches);
      }
      if (sizeDivisibility < 1) {
        throw new IllegalArgumentException(
            "sizeDivisibility must be >= 1, got " + sizeDivisibility);
      }
      return new DetectionLoader(this);
    }
  }
}
