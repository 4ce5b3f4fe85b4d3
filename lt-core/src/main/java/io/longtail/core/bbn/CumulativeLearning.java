package io.longtail.core.bbn;

/**
 * BBN's cumulative-learning adaptor: the weight of the conventional branch at epoch {@code T} of
 * {@code T_max}, {@code alpha = 1 - (T / T_max)^2}, decaying as a parabola from 1 at the first
 * epoch so that the network first learns universal features from the uniform sampler and then turns
 * to the tail classes of the reversed sampler. The official code writes it with 1-based epochs as
 * {@code 1 - ((epoch - 1) / div_epoch)^2}; here {@code T} is the 0-based epoch and {@code T_max}
 * the number of epochs (the official code divides by 100 or 200 for its 90- and 180-epoch ImageNet
 * schedules: pass that as {@code maxEpochs} to reproduce them).
 */
public final class CumulativeLearning {

  private CumulativeLearning() {}

  /**
   * The adaptor.
   *
   * @param epoch 0-based epoch {@code T}, in {@code [0, maxEpochs]}
   * @param maxEpochs {@code T_max >= 1}
   * @return {@code alpha} in {@code [0, 1]}
   */
  public static double alpha(int epoch, int maxEpochs) {
    if (maxEpochs < 1) {
      throw new IllegalArgumentException("maxEpochs must be >= 1, got " + maxEpochs);
    }
    if (epoch < 0 || epoch > maxEpochs) {
      throw new IllegalArgumentException(
          "epoch must be in [0, maxEpochs=" + maxEpochs + "], got " + epoch);
    }
    double t = (double) epoch / maxEpochs;
    return 1 - t * t;
  }
}
