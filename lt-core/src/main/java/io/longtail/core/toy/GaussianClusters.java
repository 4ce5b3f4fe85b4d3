package io.longtail.core.toy;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntUnaryOperator;

/**
 * Labelled points of a generated long-tailed problem: Gaussian clusters around class centres, with
 * a given number of points per class; and the per-group accuracy of predictions on them. Shared by
 * the TDE and BBN toy experiments.
 */
public final class GaussianClusters {

  private GaussianClusters() {}

  /**
   * Points and their classes.
   *
   * @param x one row per point
   * @param labels the class of each row
   */
  public record Samples(float[][] x, int[] labels) {

    /** Number of points. */
    public int size() {
      return labels.length;
    }

    /** The rows at {@code order[from..to)}. */
    public float[][] rows(int[] order, int from, int to) {
      float[][] out = new float[to - from][];
      for (int i = from; i < to; i++) {
        out[i - from] = x[order[i]];
      }
      return out;
    }

    /** The labels at {@code order[from..to)}. */
    public int[] labels(int[] order, int from, int to) {
      int[] out = new int[to - from];
      for (int i = from; i < to; i++) {
        out[i - from] = labels[order[i]];
      }
      return out;
    }
  }

  /**
   * Draws {@code counts.get(c)} points of each class {@code c} in class order: {@code
   * centres[centreOf(c)]} plus independent Gaussian noise of standard deviation {@code noise} per
   * dimension.
   *
   * @param centres the cluster centres, all of the same dimension
   * @param counts points per class
   * @param centreOf the centre of each class
   * @param noise noise standard deviation
   * @param random the source of noise
   * @return the points, grouped by class
   */
  public static Samples draw(
      float[][] centres,
      List<Integer> counts,
      IntUnaryOperator centreOf,
      double noise,
      Random random) {
    int n = counts.stream().mapToInt(Integer::intValue).sum();
    float[][] x = new float[n][];
    int[] y = new int[n];
    int i = 0;
    for (int c = 0; c < counts.size(); c++) {
      float[] centre = centres[centreOf.applyAsInt(c)];
      for (int j = 0; j < counts.get(c); j++, i++) {
        float[] row = new float[centre.length];
        for (int d = 0; d < row.length; d++) {
          row[d] = centre[d] + (float) (random.nextGaussian() * noise);
        }
        x[i] = row;
        y[i] = c;
      }
    }
    return new Samples(x, y);
  }

  /**
   * Overall accuracy and accuracy per frequency group ({@link ClassGroup} of each class's training
   * count).
   *
   * @param predicted predicted class per point
   * @param labels true class per point
   * @param counts training points per class
   * @return the accuracies
   */
  public static GroupAccuracy accuracy(int[] predicted, int[] labels, List<Integer> counts) {
    Map<ClassGroup, int[]> hits = new EnumMap<>(ClassGroup.class);
    int correct = 0;
    for (int i = 0; i < predicted.length; i++) {
      int[] h = hits.computeIfAbsent(ClassGroup.of(counts.get(labels[i])), g -> new int[2]);
      h[1]++;
      if (predicted[i] == labels[i]) {
        h[0]++;
        correct++;
      }
    }
    Map<ClassGroup, Double> perGroup = new EnumMap<>(ClassGroup.class);
    hits.forEach((g, h) -> perGroup.put(g, (double) h[0] / h[1]));
    return new GroupAccuracy((double) correct / predicted.length, perGroup);
  }
}
