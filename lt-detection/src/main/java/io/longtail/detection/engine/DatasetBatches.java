package io.longtail.detection.engine;

import io.longtail.core.concurrent.Tasks;
import io.longtail.datasets.pipeline.DetectionDataset;
import io.longtail.datasets.pipeline.PreparedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * Walks every image of a dataset once, in order and in batches, for inference: a pool of threads
 * decodes a bounded window of images ahead of the model, so decoding overlaps the forward passes
 * and memory stays flat whatever the dataset's size. Bad images are skipped when the dataset skips
 * them, otherwise their {@code BadImageException} surfaces.
 */
public final class DatasetBatches {
  private DatasetBatches() {}

  /** Receives each batch of prepared images. */
  @FunctionalInterface
  public interface BatchConsumer {
    /**
     * Handles one batch (never empty).
     *
     * @param images prepared images of the batch, in dataset order
     */
    void accept(List<PreparedImage> images);
  }

  /**
   * Runs {@code consumer} over the dataset.
   *
   * @param dataset images to walk (never flipped)
   * @param batchSize images per batch
   * @param workers decoding threads
   * @param consumer called with each batch
   * @param onImages called with the number of images done after each batch
   */
  public static void forEach(
      DetectionDataset dataset,
      int batchSize,
      int workers,
      BatchConsumer consumer,
      IntConsumer onImages) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
    }
    int n = (int) dataset.size();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, workers));
    try {
      int window = Math.max(2 * batchSize, 2 * workers);
      List<Future<PreparedImage>> pending = new ArrayList<>();
      int submitted = 0;
      for (int from = 0; from < n; from += batchSize) {
        while (submitted < n && submitted < from + window) {
          final long index = submitted++;
          pending.add(pool.submit(() -> dataset.prepare(index, false)));
        }
        List<PreparedImage> images = new ArrayList<>();
        for (int i = from; i < Math.min(n, from + batchSize); i++) {
          PreparedImage p = Tasks.joinUnchecked(pending.get(i), "decoding images");
          pending.set(i, null);
          if (p != null) {
            images.add(p);
          }
        }
        if (!images.isEmpty()) {
          consumer.accept(images);
        }
        onImages.accept(Math.min(n, from + batchSize));
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
