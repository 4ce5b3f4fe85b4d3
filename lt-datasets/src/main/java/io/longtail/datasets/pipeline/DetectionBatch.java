package io.longtail.datasets.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * A batch for a detector: the padded images and the typed ground truth of each.
 *
 * <p>The images live in {@code manager}, a sub-manager owned by the batch: close the batch (in a
 * try-with-resources) when the step is done to free them.
 *
 * @param images {@code (B, 3, H, W)} float32, {@code H} and {@code W} multiples of the loader's
 *     size divisibility (32), zero-padded at the bottom and right (zero is the mean colour after
 *     normalisation)
 * @param targets {@code B} targets; {@code targets.get(i).height()/width()} is the unpadded size
 * @param manager the sub-manager holding {@code images}
 */
public record DetectionBatch(NDArray images, List<ImageTargets> targets, NDManager manager)
    implements AutoCloseable {

  /** Copies the list. */
  public DetectionBatch {
    targets = List.copyOf(targets);
  }

  /** Number of images. */
  public int size() {
    return targets.size();
  }

  /** Frees the batch's arrays. */
  @Override
  public void close() {
    manager.close();
  }
}
