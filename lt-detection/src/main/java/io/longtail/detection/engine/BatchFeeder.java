package io.longtail.detection.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.longtail.core.concurrent.Tasks;
import io.longtail.datasets.pipeline.Batching;
import io.longtail.datasets.pipeline.DetectionBatch;
import io.longtail.datasets.pipeline.DetectionDataset;
import io.longtail.datasets.pipeline.ImageTargets;
import io.longtail.datasets.pipeline.PreparedImage;
import io.longtail.datasets.sampling.Seeds;
import io.longtail.detection.train.SamplerState;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * An endless stream of training batches from an {@link EpochOrder}, decoded ahead of time by a pool
 * of threads so that the model does not wait on images. Its position ({@link #state()}) is the
 * epoch and index of the next image: a checkpoint stores it and a resumed feeder started from it
 * yields the same batches, flips included (each flip is drawn from {@code (seed, epoch,
 * position)}).
 *
 * <p>Bad images: with the dataset's skip option they are counted and left out of the batch;
 * otherwise the {@code BadImageException} naming the file surfaces from {@link #next}.
 */
public final class BatchFeeder implements AutoCloseable {

  private final DetectionDataset dataset;
  private final EpochOrder order;
  private final int batchSize;
  private final long seed;
  private final int sizeDivisibility;
  private final int lookahead;
  private final ExecutorService pool;
  private final Deque<Future<PreparedImage>> pending = new ArrayDeque<>();

  private int epoch;
  private long[] epochIndices;
  private long position;
  // Position of the next image to be consumed (pending holds images from there on).
  private int consumedEpoch;
  private long consumedPosition;
  private int consumedEpochLength;

  /**
   * Starts a feeder.
   *
   * @param dataset the training set (its transform gives sizes and flip probability)
   * @param order image order per epoch
   * @param batchSize images per batch
   * @param start where to start (epoch and position) and the flip seed
   * @param sizeDivisibility pad batches to multiples of this (32 for FPN)
   * @param workers decoding threads
   */
  public BatchFeeder(
      DetectionDataset dataset,
      EpochOrder order,
      int batchSize,
      SamplerState start,
      int sizeDivisibility,
      int workers) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
    }
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be >= 1, got " + workers);
    }
    this.dataset = dataset;
    this.order = order;
    this.batchSize = batchSize;
    this.seed = start.seed();
    this.sizeDivisibility = sizeDivisibility;
    this.lookahead = Math.max(2 * batchSize, workers * 2);
    this.pool =
        Executors.newFixedThreadPool(
            workers,
            r -> {
              Thread t = new Thread(r, "lt-decode");
              t.setDaemon(true);
              return t;
            });
    this.epoch = start.epoch();
    this.epochIndices = order.indices(epoch);
    if (epochIndices.length == 0) {
      throw new IllegalArgumentException("the sampler yields no images in epoch " + epoch);
    }
    this.position = start.position();
    this.consumedEpoch = epoch;
    this.consumedPosition = position;
    this.consumedEpochLength = epochIndices.length;
    fill();
  }

  /** Where the next batch starts. */
  public SamplerState state() {
    return new SamplerState(seed, consumedEpoch, consumedPosition);
  }

  /**
   * The next batch; its arrays live in a new sub-manager of {@code parent}, closed with the batch.
   */
  public DetectionBatch next(NDManager parent) {
    List<PreparedImage> images = new ArrayList<>();
    while (images.size() < batchSize) {
      Future<PreparedImage> f = pending.poll();
      advanceConsumed();
      fill();
      PreparedImage p = Tasks.joinUnchecked(f, "decoding images");
      if (p != null) {
        images.add(p);
      }
    }
    return toBatch(images, parent, sizeDivisibility);
  }

  /**
   * Collates prepared images into a zero-padded batch in a new sub-manager of {@code parent}
   * (closed with the batch).
   *
   * @param images the prepared images
   * @param parent the manager to open the batch's sub-manager in
   * @param sizeDivisibility pad height and width to multiples of this
   * @return the batch
   */
  public static DetectionBatch toBatch(
      List<PreparedImage> images, NDManager parent, int sizeDivisibility) {
    int[] shape = Batching.paddedShape(images, sizeDivisibility);
    float[] pixels = Batching.pad(images, sizeDivisibility);
    NDManager m = parent.newSubManager();
    NDArray array = m.create(pixels, new Shape(shape[0], shape[1], shape[2], shape[3]));
    List<ImageTargets> targets = new ArrayList<>();
    for (PreparedImage p : images) {
      targets.add(p.targets());
    }
    return new DetectionBatch(array, targets, m);
  }

  private void advanceConsumed() {
    consumedPosition++;
    if (consumedPosition >= consumedEpochLength) {
      consumedEpoch++;
      consumedPosition = 0;
      consumedEpochLength = order.indices(consumedEpoch).length;
    }
  }

  private void fill() {
    while (pending.size() < lookahead) {
      if (position >= epochIndices.length) {
        epoch++;
        epochIndices = order.indices(epoch);
        position = 0;
      }
      long index = epochIndices[(int) position];
      boolean flip =
          new SplittableRandom(Seeds.derive(seed, epoch, position)).nextDouble()
              < dataset.transform().flipProbability();
      pending.add(pool.submit(() -> dataset.prepare(index, flip)));
      position++;
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
