package io.longtail.core.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDResource;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Shared building blocks of the losses: label handling, numerically stable element-wise terms and
 * reductions. Every function is out-of-place (MXNet refuses in-place operators inside an autograd
 * recording) and works in the data type of the logits (float32 in training, float64 in the golden
 * tests).
 */
final class LossOps {

  private LossOps() {}

  /**
   * Runs {@code body} in a sub-manager of {@code anchor}'s manager: the inputs are temporarily
   * attached to it, every intermediate array is closed with it, and only the result survives,
   * attached to {@code anchor}'s manager.
   */
  static NDArray inScope(NDArray anchor, Function<NDManager, NDArray> body, NDResource... inputs) {
    NDManager parent = anchor.getManager();
    try (NDManager scope = parent.newSubManager()) {
      // Each input once: attaching an array twice would hand it back to the scope, not its owner.
      Set<NDResource> seen = Collections.newSetFromMap(new IdentityHashMap<>());
      for (NDResource input : inputs) {
        if (seen.add(input)) {
          input.tempAttach(scope);
        }
      }
      NDArray out = body.apply(scope);
      out.attach(parent);
      return out;
    }
  }

  /** Checks that logits are {@code (N, C)} with {@code C >= 1}; returns {@code C}. */
  static long checkLogits(NDArray logits, String loss) {
    Shape s = logits.getShape();
    if (s.dimension() != 2 || s.get(1) < 1) {
      throw new IllegalArgumentException(loss + ": logits must be (N, C), got shape " + s);
    }
    return s.get(1);
  }

  /**
   * Checks index labels {@code (N)} (or multi-hot {@code (N, C)} when allowed) against {@code (N,
   * C)} logits. Index labels must lie in {@code [-1, maxLabel]}; reading the extremes is a small
   * device-to-host copy.
   */
  static void checkLabels(
      NDArray logits, NDArray labels, long maxLabel, boolean multiHotAllowed, String loss) {
    Shape ls = logits.getShape();
    Shape s = labels.getShape();
    if (multiHotAllowed && s.dimension() == 2 && s.equals(ls)) {
      return;
    }
    boolean indexShape =
        (s.dimension() == 1 && s.get(0) == ls.get(0))
            || (s.dimension() == 2 && s.get(0) == ls.get(0) && s.get(1) == 1);
    if (!indexShape) {
      throw new IllegalArgumentException(
          loss
              + ": labels must be class indices (N)"
              + (multiHotAllowed ? " or multi-hot (N, C)" : "")
              + " for logits "
              + ls
              + ", got shape "
              + s);
    }
    if (s.size() == 0) {
      return;
    }
    try (NDArray f = labels.toType(DataType.FLOAT64, true);
        NDArray min = f.min();
        NDArray max = f.max()) {
      double lo = min.getDouble();
      double hi = max.getDouble();
      if (lo < -1 || hi > maxLabel) {
        throw new IllegalArgumentException(
            loss
                + ": labels must be in [-1, "
                + maxLabel
                + "] (-1 = ignore), got values in ["
                + lo
                + ", "
                + hi
                + "]");
      }
    }
  }

  /**
   * True when {@code labels} are multi-hot {@code (N, C)} targets rather than indices: labels of
   * the logits' shape are read as multi-hot (so with one column, index labels must be {@code (N)}).
   */
  static boolean isMultiHot(NDArray logits, NDArray labels) {
    return labels.getShape().dimension() == 2 && labels.getShape().equals(logits.getShape());
  }

  /**
   * Target matrix {@code (N, C)}: one-hot rows for index labels (ignore {@code -1} and the
   * background index {@code C} give all-zero rows), or the multi-hot labels as they are.
   */
  static NDArray targets(NDArray logits, NDArray labels) {
    DataType dt = logits.getDataType();
    if (isMultiHot(logits, labels)) {
      return labels.toType(dt, true);
    }
    return labels.reshape(-1).oneHot((int) logits.getShape().get(1), dt);
  }

  /**
   * One-hot targets {@code (N, C)} for index labels {@code (N)} or {@code (N, 1)} (ignore {@code
   * -1} and out-of-range indices give all-zero rows), for losses that take no multi-hot labels.
   */
  static NDArray oneHot(NDArray logits, NDArray labels) {
    return labels.reshape(-1).oneHot((int) logits.getShape().get(1), logits.getDataType());
  }

  /** Row mask {@code (N)} of index labels: 1 where the label is not {@code -1}. */
  static NDArray indexValidRows(NDArray logits, NDArray labels) {
    DataType dt = logits.getDataType();
    return labels.reshape(-1).toType(dt, false).gte(0).toType(dt, false);
  }

  /**
   * Row mask {@code (N)}: 1 for rows that count, 0 for ignored rows (index label {@code -1}).
   * Multi-hot rows always count.
   */
  static NDArray validRows(NDArray logits, NDArray labels) {
    DataType dt = logits.getDataType();
    if (isMultiHot(logits, labels)) {
      return labels.getManager().ones(new Shape(labels.getShape().get(0)), dt);
    }
    return labels.reshape(-1).toType(dt, false).gte(0).toType(dt, false);
  }

  /** Labels {@code (N)} in the logits' data type (index labels only). */
  static NDArray labelValues(NDArray logits, NDArray labels) {
    return labels.reshape(-1).toType(logits.getDataType(), true);
  }

  /**
   * Element-wise binary cross-entropy with logits, {@code t * softplus(-z) + (1 - t) *
   * softplus(z)}: exact for large {@code |z|} (no {@code 1 - p} cancellation) and with the exact
   * gradient {@code sigmoid(z) - t} everywhere.
   */
  static NDArray bce(NDArray logits, NDArray targets) {
    NDArray pos = Activation.softPlus(logits.neg()).mul(targets);
    NDArray neg = Activation.softPlus(logits).mul(targets.neg().add(1));
    return pos.add(neg);
  }

  /** Per-row softmax cross-entropy {@code -sum_c t_c log softmax(z)_c}, shape {@code (N)}. */
  static NDArray crossEntropyRows(NDArray logits, NDArray targets) {
    return logits.logSoftmax(1).mul(targets).sum(new int[] {1}).neg();
  }

  /** {@code sum(perRow * valid) / max(1, sum(valid))}: the mean over the rows that count. */
  static NDArray meanOverValid(NDArray perRow, NDArray valid) {
    return perRow.mul(valid).sum().div(valid.sum().maximum(1));
  }

  /** A constant vector in the given data type, on the manager's device. */
  static NDArray constant(NDManager manager, double[] values, DataType dt) {
    return manager.create(values).toType(dt, false);
  }

  /** Unboxes a list of numbers, naming the argument if one is missing. */
  static double[] toArray(List<? extends Number> values, String name) {
    double[] out = new double[values.size()];
    for (int i = 0; i < out.length; i++) {
      Number v = values.get(i);
      if (v == null) {
        throw new IllegalArgumentException(name + "[" + i + "] is null");
      }
      out[i] = v.doubleValue();
    }
    return out;
  }

  /** Checks that a hyper-parameter is finite and within {@code [lo, hi]}. */
  static void checkRange(String name, double value, double lo, double hi) {
    if (!Double.isFinite(value) || value < lo || value > hi) {
      throw new IllegalArgumentException(
          name + " must be in [" + lo + ", " + hi + "], got " + value);
    }
  }

  /** Checks the number of logit columns against the number of classes a config was built for. */
  static void checkColumns(String loss, long columns, long expected, String what) {
    if (columns != expected) {
      throw new IllegalArgumentException(
          loss + ": logits must have " + expected + " columns (" + what + "), got " + columns);
    }
  }
}
