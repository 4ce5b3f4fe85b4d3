package io.longtail.detection.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.Random;

/** Seeded test inputs and one-call forwards for the backbone tests. */
final class TestArrays {

  private TestArrays() {}

  /** Standard-normal values times {@code std} plus {@code mean}, from {@code seed}. */
  static NDArray gaussian(NDManager m, Shape shape, long seed, float mean, float std) {
    Random random = new Random(seed);
    float[] values = new float[(int) shape.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = mean + std * (float) random.nextGaussian();
    }
    return m.create(values, shape);
  }

  static NDArray gaussian(NDManager m, Shape shape, long seed) {
    return gaussian(m, shape, seed, 0f, 1f);
  }

  /** Initialises {@code block} for {@code inputShapes} in float32. */
  static <B extends Block> B initialized(B block, NDManager m, Shape... inputShapes) {
    block.initialize(m, DataType.FLOAT32, inputShapes);
    return block;
  }

  /** Forward of {@code block} on {@code inputs} with a non-copying parameter store. */
  static NDList forward(Block block, NDManager m, boolean training, NDArray... inputs) {
    return block.forward(new ParameterStore(m, false), new NDList(inputs), training);
  }

  /**
   * The parameter of {@code block} named {@code plainName}, the name without the two-digit position
   * prefixes that DJL gives child blocks ({@code "01fpn_02output2_weight"} is {@code
   * "fpn_output2_weight"}).
   */
  static Parameter parameter(Block block, String plainName) {
    for (Pair<String, Parameter> p : block.getParameters()) {
      if (plainName(p.getKey()).equals(plainName)) {
        return p.getValue();
      }
    }
    throw new IllegalArgumentException("no parameter " + plainName + " in " + block);
  }

  /** A parameter name without DJL's child position prefixes. */
  static String plainName(String name) {
    return name.replaceAll("(^|_)\\d\\d", "$1");
  }

  /** The sum of the sums of all arrays of {@code list}, a scalar to back-propagate from. */
  static NDArray total(NDList list) {
    NDArray sum = list.get(0).sum();
    for (int i = 1; i < list.size(); i++) {
      sum = sum.add(list.get(i).sum());
    }
    return sum;
  }
}
