package io.longtail.detection.roiheads;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.DoubleBuffer;

/**
 * The Seesaw loss's accumulated class counts as a block parameter, so that they are saved and
 * loaded with the model's parameters (checkpoints, resume) like the causal-norm moving feature. A
 * buffer without gradient, held in float64: float32 counts stop being exact at {@code 2^24}, which
 * the background count of an LVIS schedule passes (hundreds of millions of sampled ROIs). Not a
 * layer: it has no forward.
 */
final class SeesawCounts extends AbstractBlock {

  private static final byte VERSION = 1;

  private final int size;
  private final Parameter counts;

  /**
   * Creates the buffer.
   *
   * @param size number of counts (the Seesaw classes plus background)
   */
  SeesawCounts(int size) {
    super(VERSION);
    this.size = size;
    counts =
        addParameter(
            Parameter.builder()
                .setName("counts")
                .setType(Parameter.Type.RUNNING_MEAN)
                .optShape(new Shape(size))
                .optRequiresGrad(false)
                .optInitializer(new ConstantInitializer(0))
                .build());
  }

  /** Initialises the counts to zero, in float64 whatever the model's data type. */
  @Override
  public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
    super.initialize(manager, DataType.FLOAT64, inputShapes);
  }

  /** The current counts. */
  long[] read() {
    double[] values = counts.getArray().toDoubleArray();
    long[] out = new long[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.round(values[i]);
    }
    return out;
  }

  /** Replaces the counts (a buffer copy: allowed inside an autograd recording). */
  void write(long[] values) {
    if (values.length != size) {
      throw new IllegalArgumentException(
          "values must hold " + size + " counts, got " + values.length);
    }
    double[] d = new double[size];
    for (int i = 0; i < size; i++) {
      d[i] = values[i];
    }
    NDArray array = counts.getArray();
    array.set(DoubleBuffer.wrap(d));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    throw new UnsupportedOperationException("SeesawCounts is a buffer, not a layer");
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[0];
  }

  @Override
  protected void saveMetadata(DataOutputStream os) throws IOException {
    saveInputShapes(os);
    os.writeInt(size);
  }

  @Override
  public void loadMetadata(byte loadVersion, DataInputStream is)
      throws IOException, MalformedModelException {
    readInputShapes(is);
    int saved = is.readInt();
    if (saved != size) {
      throw new MalformedModelException(
          "saved Seesaw counts have " + saved + " entries, this head needs " + size);
    }
  }
}
