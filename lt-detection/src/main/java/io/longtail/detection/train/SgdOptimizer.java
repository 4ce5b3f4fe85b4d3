package io.longtail.detection.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.util.Pair;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * Stochastic gradient descent with momentum and weight decay, computed exactly as PyTorch's {@code
 * torch.optim.SGD} (dampening 0, no Nesterov), with a momentum state that can be saved and loaded
 * so that a resumed run continues bit for bit.
 *
 * <p>For every trainable parameter {@code w} with gradient {@code g}, at learning rate {@code lr}:
 *
 * <pre>
 *   d = g + weightDecay * w          (weightDecay 0 for parameters the no-decay rule selects)
 *   v = v == none ? d : momentum * v + d
 *   w = w - lr * v
 * </pre>
 *
 * <p>The learning rate enters only the last line, so changing it between steps (warm-up, decay)
 * does not rescale the momentum, unlike MXNet's {@code sgd_mom_update} behind DJL's {@code Sgd},
 * whose state ({@code mom = momentum * mom - lr * d}) is also private to DJL and cannot be saved.
 *
 * <p>Use in the training loop, after the {@code GradientCollector} is closed (the updates are
 * in-place, which is only allowed outside autograd recording):
 *
 * <pre>{@code
 * try (GradientCollector gc = trainer.newGradientCollector()) { ...; gc.backward(loss); }
 * double norm = optimizer.clipGradNorm(maxNorm);   // optional
 * optimizer.step(schedule.lr(iteration));           // updates, then zeroes the gradients
 * }</pre>
 *
 * <p>Gradients. With the MXNet engine DJL marks parameters with {@code grad_req = write}: each
 * {@code backward} overwrites the gradients of the parameters in the recorded graph, and closing
 * the collector does not touch them. A parameter that is not in a given iteration's graph would
 * therefore keep the previous iteration's gradient; {@link #step(double)} zeroes every gradient
 * after updating, so such a parameter sees a zero gradient (it is still decayed and moved by its
 * momentum, as in PyTorch with {@code zero_grad(set_to_none=False)}). The arrays updated are the
 * parameters' own ({@link Parameter#getArray()}), which are the ones the forward pass uses on a
 * single device (DJL's {@code Trainer} builds its {@code ParameterStore} without copies).
 *
 * <p>State: the momentum buffers, keyed by the parameter's path name in the {@link ParameterList}
 * (e.g. {@code 01backbone_02stem_conv_weight}, stable for a given architecture), and the number of
 * steps taken. See {@link #saveState(DataOutputStream)} for the format.
 */
public final class SgdOptimizer implements AutoCloseable {
  private static final int MAGIC = 0x4C545347; // "LTSG"
  private static final int VERSION = 1;

  private final List<Slot> slots;
  private final double momentum;
  private final double weightDecay;
  private final NDManager stateManager;
  private final Map<String, NDArray> buffers = new LinkedHashMap<>();
  private long steps;

  /** A trainable parameter with its path name and whether weight decay applies to it. */
  private record Slot(String name, Parameter parameter, boolean decay) {}

  private SgdOptimizer(Builder b) {
    this.momentum = b.momentum;
    this.weightDecay = b.weightDecay;
    List<Slot> list = new ArrayList<>();
    for (Pair<String, Parameter> pair : b.parameters) {
      Parameter p = pair.getValue();
      if (!p.requiresGradient()) {
        continue;
      }
      if (!p.isInitialized()) {
        throw new IllegalArgumentException(
            "parameter " + pair.getKey() + " is not initialised; initialise the block first");
      }
      boolean decay = !b.noWeightDecay.test(pair.getKey(), p);
      list.add(new Slot(pair.getKey(), p, decay));
    }
    if (list.isEmpty()) {
      throw new IllegalArgumentException(
          "parameters must contain at least one parameter that requires a gradient, got none of "
              + b.parameters.size());
    }
    this.slots = List.copyOf(list);
    NDArray first = list.get(0).parameter().getArray();
    this.stateManager = first.getManager().newSubManager(first.getDevice());
  }

  /**
   * Starts building an optimizer.
   *
   * @return a builder with detectron2's defaults: momentum 0.9, weight decay 1e-4 on every
   *     parameter
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The no-weight-decay rule for normalisation parameters (types {@code GAMMA} and {@code BETA}:
   * batch, group and layer norm scales and shifts), detectron2's {@code WEIGHT_DECAY_NORM = 0}.
   *
   * @return the rule
   */
  public static BiPredicate<String, Parameter> normParameters() {
    Set<Parameter.Type> types = EnumSet.of(Parameter.Type.GAMMA, Parameter.Type.BETA);
    return (name, p) -> types.contains(p.getType());
  }

  /**
   * The no-weight-decay rule for normalisation parameters and all biases.
   *
   * @return the rule
   */
  public static BiPredicate<String, Parameter> normAndBiasParameters() {
    Set<Parameter.Type> types =
        EnumSet.of(Parameter.Type.GAMMA, Parameter.Type.BETA, Parameter.Type.BIAS);
    return (name, p) -> types.contains(p.getType());
  }

  /** The path names of the parameters this optimizer updates, in order. */
  public List<String> parameterNames() {
    return slots.stream().map(Slot::name).toList();
  }

  /** Whether weight decay applies to the named parameter. */
  public boolean decays(String name) {
    return slot(name).decay();
  }

  /** The number of {@link #step(double)} calls so far, including those before a reload. */
  public long stepCount() {
    return steps;
  }

  /**
   * The global L2 norm of all gradients, {@code sqrt(sum over parameters of ||g||^2)}.
   *
   * @return the norm (NaN or infinite if a gradient is)
   */
  public double gradNorm() {
    try (NDManager scope = stateManager.newSubManager()) {
      NDList squares = new NDList(slots.size());
      for (Slot s : slots) {
        NDArray g = gradient(s, scope);
        // A BLAS dot of the flattened gradient: measured 2-3x faster than square().sum() on the
        // MXNet CPU engine for R-50-sized gradients.
        NDArray flat = g.reshape(-1);
        squares.add(flat.dot(flat));
      }
      double sum = 0;
      for (float v : NDArrays.stack(squares).toFloatArray()) {
        sum += v;
      }
      return Math.sqrt(sum);
    }
  }

  /**
   * Scales all gradients so their global L2 norm is at most {@code maxNorm}, as PyTorch's {@code
   * clip_grad_norm_}: every gradient is multiplied by {@code maxNorm / (norm + 1e-6)} when that is
   * below 1. A non-finite norm leaves the gradients unchanged; check the returned value (e.g. with
   * {@link LossGuard#check(long, String, double)}) to stop the run instead.
   *
   * @param maxNorm the largest allowed norm, positive
   * @return the norm before clipping, for the log
   */
  public double clipGradNorm(double maxNorm) {
    if (!(maxNorm > 0 && Double.isFinite(maxNorm))) {
      throw new IllegalArgumentException("maxNorm must be finite and positive, got " + maxNorm);
    }
    double norm = gradNorm();
    double coef = maxNorm / (norm + 1e-6);
    if (Double.isFinite(norm) && coef < 1) {
      try (NDManager scope = stateManager.newSubManager()) {
        for (Slot s : slots) {
          gradient(s, scope).muli(coef);
        }
      }
    }
    return norm;
  }

  /**
   * Applies one update to every trainable parameter, then zeroes the gradients. Must be called
   * outside autograd recording.
   *
   * @param lr the learning rate of this step, finite and non-negative
   */
  public void step(double lr) {
    if (!(lr >= 0 && Double.isFinite(lr))) {
      throw new IllegalArgumentException("lr must be finite and >= 0, got " + lr);
    }
    for (Slot s : slots) {
      NDArray w = s.parameter().getArray();
      NDArray buffer = buffers.get(s.name());
      try (NDManager scope = stateManager.newSubManager(w.getDevice())) {
        // Results of ops land in their first operand's manager: borrow w and the buffer into the
        // scope so every temporary is closed here and nothing piles up in the model's manager.
        scope.tempAttachAll(w);
        if (buffer != null) {
          scope.tempAttachAll(buffer);
        }
        NDArray g = gradient(s, scope);
        NDArray d = s.decay() && weightDecay != 0 ? g.add(w.mul(weightDecay)) : g;
        NDArray direction = d;
        NDArray created = null;
        if (momentum != 0) {
          if (buffer == null) {
            created = d.duplicate();
            direction = created;
          } else {
            buffer.muli(momentum).addi(d);
            direction = buffer;
          }
        }
        w.subi(direction.mul(lr));
        // One in-place pass; a non-finite gradient stays NaN here, but it has already made the
        // weights NaN, so the next loss fails the guard anyway (zeroGradients() is exact).
        g.muli(0);
        if (created != null) {
          created.attach(stateManager);
          buffers.put(s.name(), created);
        }
      }
    }
    steps++;
  }

  /**
   * Sets every gradient to zero, as {@link #step(double)} does after updating; for a loop that
   * skips a step.
   */
  public void zeroGradients() {
    try (NDManager scope = stateManager.newSubManager()) {
      for (Slot s : slots) {
        zero(gradient(s, scope));
      }
    }
  }

  /** Overwrites with zeros ({@code g.muli(0)} would keep NaN and turn infinity into NaN). */
  private static void zero(NDArray g) {
    g.zerosLike().copyTo(g);
  }

  /**
   * Writes the optimizer state: an int magic {@code 0x4C545347} ("LTSG"), an int format version
   * (1), the long step count, the int number of momentum buffers, then for each buffer its
   * parameter path name (modified UTF-8), the int length of the encoded array and the array in
   * DJL's {@link NDArray#encode()} format (shape, data type, values). Hyper-parameters are not
   * saved: the resumed run's configuration decides them.
   *
   * @param out the stream (not closed)
   * @throws IOException if writing fails
   */
  public void saveState(DataOutputStream out) throws IOException {
    out.writeInt(MAGIC);
    out.writeInt(VERSION);
    out.writeLong(steps);
    out.writeInt(buffers.size());
    for (Map.Entry<String, NDArray> e : buffers.entrySet()) {
      byte[] encoded = e.getValue().encode();
      out.writeUTF(e.getKey());
      out.writeInt(encoded.length);
      out.write(encoded);
    }
    out.flush();
  }

  /**
   * Replaces the state with one written by {@link #saveState(DataOutputStream)}. Nothing changes
   * unless the whole state is valid for this optimizer's parameters.
   *
   * @param in the stream (not closed)
   * @throws IOException if the stream is not an optimizer state or is truncated
   * @throws IllegalArgumentException naming the parameter if the state has a buffer for a parameter
   *     this optimizer does not train, lacks one for a parameter it trains (after at least one step
   *     with momentum), or has one of the wrong shape or data type
   */
  public void loadState(DataInputStream in) throws IOException {
    int magic = in.readInt();
    if (magic != MAGIC) {
      throw new IOException(
          "not an SGD optimizer state: magic 0x" + Integer.toHexString(magic) + " != 0x4c545347");
    }
    int version = in.readInt();
    if (version != VERSION) {
      throw new IOException("unsupported SGD optimizer state version " + version);
    }
    long loadedSteps = in.readLong();
    int count = in.readInt();
    if (loadedSteps < 0 || count < 0 || count > slots.size()) {
      throw new IOException(
          "corrupt SGD optimizer state: "
              + loadedSteps
              + " steps, "
              + count
              + " buffers for "
              + slots.size()
              + " parameters");
    }
    Map<String, NDArray> loaded = new LinkedHashMap<>();
    NDManager staging = stateManager.newSubManager();
    try {
      for (int i = 0; i < count; i++) {
        String name = in.readUTF();
        int length = in.readInt();
        if (length <= 0) {
          throw new IOException(
              "corrupt SGD optimizer state: buffer " + name + " has " + length + " bytes");
        }
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
          throw new IOException("truncated SGD optimizer state in the buffer of " + name);
        }
        Slot s = slotOrNull(name);
        if (s == null) {
          throw new IllegalArgumentException(
              "optimizer state has a momentum buffer for parameter "
                  + name
                  + ", which this model does not train (trainable: "
                  + slots.size()
                  + " parameters)");
        }
        NDArray w = s.parameter().getArray();
        NDArray buffer = staging.decode(bytes);
        if (!buffer.getShape().equals(w.getShape())) {
          throw new IllegalArgumentException(
              "optimizer state momentum buffer of parameter "
                  + name
                  + " has shape "
                  + buffer.getShape()
                  + ", the parameter has "
                  + w.getShape());
        }
        if (buffer.getDataType() != w.getDataType()) {
          throw new IllegalArgumentException(
              "optimizer state momentum buffer of parameter "
                  + name
                  + " has type "
                  + buffer.getDataType()
                  + ", the parameter has "
                  + w.getDataType());
        }
        if (loaded.put(name, buffer.toDevice(w.getDevice(), false)) != null) {
          throw new IOException("corrupt SGD optimizer state: two buffers for " + name);
        }
      }
      if (momentum != 0 && loadedSteps > 0) {
        for (Slot s : slots) {
          if (!loaded.containsKey(s.name())) {
            throw new IllegalArgumentException(
                "optimizer state after "
                    + loadedSteps
                    + " steps has no momentum buffer for parameter "
                    + s.name());
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      staging.close();
      throw e;
    }
    for (NDArray old : buffers.values()) {
      old.close();
    }
    buffers.clear();
    for (Map.Entry<String, NDArray> e : loaded.entrySet()) {
      e.getValue().attach(stateManager);
      buffers.put(e.getKey(), e.getValue());
    }
    staging.close();
    steps = loadedSteps;
  }

  /**
   * A copy of the named parameter's momentum buffer, for inspection and tests.
   *
   * @param name a parameter path name
   * @param manager the manager of the copy
   * @return the copy, or {@code null} before the parameter's first step (or without momentum)
   */
  public NDArray momentumBuffer(String name, NDManager manager) {
    slot(name);
    NDArray b = buffers.get(name);
    if (b == null) {
      return null;
    }
    NDArray copy = b.duplicate();
    copy.attach(manager);
    return copy;
  }

  /** Closes the momentum buffers. */
  @Override
  public void close() {
    stateManager.close();
  }

  private static NDArray gradient(Slot s, NDManager scope) {
    NDArray w = s.parameter().getArray();
    if (!w.hasGradient()) {
      throw new IllegalStateException(
          "parameter "
              + s.name()
              + " requires a gradient but its array has none attached (after"
              + " block.loadParameters, call block.initialize again to attach gradients)");
    }
    // On MXNet getGradient() makes a new handle to the gradient storage in w's manager: move it
    // into the scope so the handle (not the storage) is released when the scope closes.
    NDArray g = w.getGradient();
    g.attach(scope);
    return g;
  }

  private Slot slot(String name) {
    Slot s = slotOrNull(name);
    if (s == null) {
      throw new IllegalArgumentException("no trainable parameter named " + name);
    }
    return s;
  }

  private Slot slotOrNull(String name) {
    for (Slot s : slots) {
      if (s.name().equals(name)) {
        return s;
      }
    }
    return null;
  }

  /** Builds an {@link SgdOptimizer}. */
  public static final class Builder {
    private ParameterList parameters;
    private double momentum = 0.9;
    private double weightDecay = 1e-4;
    private BiPredicate<String, Parameter> noWeightDecay = (name, p) -> false;

    private Builder() {}

    /**
     * The parameters to train (required): usually {@code block.getParameters()}; those that do not
     * {@link Parameter#requiresGradient()} (frozen, running statistics) are skipped.
     */
    public Builder setParameters(ParameterList parameters) {
      this.parameters = Objects.requireNonNull(parameters, "parameters");
      return this;
    }

    /** Momentum in {@code [0, 1)} (default 0.9; 0 disables the buffers). */
    public Builder optMomentum(double momentum) {
      if (!(momentum >= 0 && momentum < 1)) {
        throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
      }
      this.momentum = momentum;
      return this;
    }

    /** L2 weight decay, {@code >= 0} (default 1e-4). */
    public Builder optWeightDecay(double weightDecay) {
      if (!(weightDecay >= 0 && Double.isFinite(weightDecay))) {
        throw new IllegalArgumentException(
            "weightDecay must be finite and >= 0, got " + weightDecay);
      }
      this.weightDecay = weightDecay;
      return this;
    }

    /**
     * Which parameters get no weight decay, from their path name and {@link Parameter} (default:
     * none). See {@link #normParameters()} and {@link #normAndBiasParameters()}.
     */
    public Builder optNoWeightDecay(BiPredicate<String, Parameter> rule) {
      this.noWeightDecay = Objects.requireNonNull(rule, "rule");
      return this;
    }

    /** Builds the optimizer; its momentum buffers live in a sub-manager of the parameters'. */
    public SgdOptimizer build() {
      if (parameters == null) {
        throw new IllegalArgumentException("parameters must be set, got none");
      }
      return new SgdOptimizer(this);
    }
  }
}
