package io.longtail.datasets.eval;

/**
 * The IoU and recall thresholds of lvis-api, bit for bit: {@code np.linspace(0.5, 0.95, 10)} and
 * {@code np.linspace(0, 1, 101)}, which numpy computes as {@code start + i * step} with the last
 * value set to {@code stop} (so 0.9 is {@code 0.8999999999999999}, not {@code 0.9}).
 */
final class Thresholds {

  /** Number of IoU thresholds. */
  static final int IOU_COUNT = 10;

  /** Number of recall points. */
  static final int RECALL_COUNT = 101;

  /** {@code np.spacing(1)}, added to denominators of precision. */
  static final double EPS = Math.ulp(1.0);

  private static final double[] IOU = linspace(0.5, 0.95, IOU_COUNT);
  private static final double[] RECALL = linspace(0.0, 1.0, RECALL_COUNT);

  private Thresholds() {}

  /** IoU threshold {@code t}. */
  static double iou(int t) {
    return IOU[t];
  }

  /** Recall point {@code r}. */
  static double recall(int r) {
    return RECALL[r];
  }

  /** Index of an IoU threshold equal to {@code value}, or -1 (lvis-api's {@code np.where}). */
  static int iouIndex(double value) {
    for (int t = 0; t < IOU_COUNT; t++) {
      if (IOU[t] == value) {
        return t;
      }
    }
    return -1;
  }

  private static double[] linspace(double start, double stop, int num) {
    double step = (stop - start) / (num - 1);
    double[] y = new double[num];
    for (int i = 0; i < num; i++) {
      y[i] = i * step + start;
    }
    y[num - 1] = stop;
    return y;
  }
}
