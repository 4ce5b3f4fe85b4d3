package io.longtail.core.bbn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Objects;

/**
 * The bilateral-branch network of BBN (Zhou et al., CVPR 2020): a trunk shared by both branches, a
 * conventional-learning branch and a re-balancing branch of the same architecture with their own
 * weights (the official network shares everything but the last residual stage), and one linear
 * classifier over the concatenated branch features {@code (N, 2D)}.
 *
 * <p>Forward inputs:
 *
 * <ul>
 *   <li>training, {@code [x_c, x_r, alpha]}: a batch from the uniform sampler, one from the
 *       reversed sampler (same size) and the adaptor as a scalar array; logits of the mixed feature
 *       {@code 2 * [alpha f_c(x_c), (1 - alpha) f_r(x_r)]} (the official {@code bbn_mix});
 *   <li>test, {@code [x]}: both branches on the same inputs with equal weights, logits of {@code
 *       [f_c(x), f_r(x)]} (the official test forward, {@code alpha = 0.5} with the factor 2).
 * </ul>
 *
 * Train with {@link #loss}, the adaptor-weighted cross-entropy against the two batches' labels.
 */
public final class BbnNetwork extends AbstractBlock {

  private static final byte VERSION = 1;

  private final Block trunk;
  private final Block conventional;
  private final Block rebalancing;
  private final Linear classifier;
  private final int numClasses;

  private BbnNetwork(Builder b) {
    super(VERSION);
    trunk = addChildBlock("trunk", b.trunk);
    conventional = addChildBlock("conventional", b.conventional);
    rebalancing = addChildBlock("rebalancing", b.rebalancing);
    numClasses = b.numClasses;
    classifier = addChildBlock("classifier", Linear.builder().setUnits(numClasses).build());
  }

  /** A builder; trunk, branches and number of classes are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Number of classes {@code K}. */
  public int numClasses() {
    return numClasses;
  }

  /**
   * BBN's loss: {@code alpha * CE(z, y_c) + (1 - alpha) * CE(z, y_r)}, each the batch mean.
   *
   * @param logits {@code (N, K)} of the training forward
   * @param uniformLabels {@code (N)} labels of the uniform batch
   * @param reversedLabels {@code (N)} labels of the reversed batch
   * @param alpha the adaptor
   * @return scalar
   */
  public static NDArray loss(
      NDArray logits, NDArray uniformLabels, NDArray reversedLabels, double alpha) {
    checkAlpha(alpha);
    NDArray logp = logits.logSoftmax(1);
    int k = (int) logits.getShape().get(1);
    NDArray ce1 = logp.mul(uniformLabels.reshape(-1).oneHot(k, logits.getDataType())).sum().neg();
    NDArray ce2 = logp.mul(reversedLabels.reshape(-1).oneHot(k, logits.getDataType())).sum().neg();
    long n = Math.max(1, logits.getShape().get(0));
    return ce1.mul(alpha).add(ce2.mul(1 - alpha)).div(n);
  }

  private static void checkAlpha(double alpha) {
    if (!(alpha >= 0 && alpha <= 1)) {
      throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
    }
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    if (inputs.size() == 1) {
      NDList shared = trunk.forward(ps, inputs, training, params);
      NDArray fc = conventional.forward(ps, shared, training, params).singletonOrThrow();
      NDArray fr = rebalancing.forward(ps, shared, training, params).singletonOrThrow();
      return classifier.forward(ps, new NDList(fc.concat(fr, 1)), training, params);
    }
    if (inputs.size() != 3) {
      throw new IllegalArgumentException(
          "inputs must be [x] (test) or [x_uniform, x_reversed, alpha] (training), got "
              + inputs.size()
              + " arrays");
    }
    NDArray alpha = inputs.get(2);
    NDArray fc =
        conventional
            .forward(ps, trunk.forward(ps, new NDList(inputs.get(0)), training, params), training)
            .singletonOrThrow();
    NDArray fr =
        rebalancing
            .forward(ps, trunk.forward(ps, new NDList(inputs.get(1)), training, params), training)
            .singletonOrThrow();
    NDArray mixed = fc.mul(alpha).concat(fr.mul(alpha.neg().add(1)), 1).mul(2);
    return classifier.forward(ps, new NDList(mixed), training, params);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape x = inputShapes[0];
    trunk.initialize(manager, dataType, x);
    Shape[] shared = trunk.getOutputShapes(new Shape[] {x});
    conventional.initialize(manager, dataType, shared);
    rebalancing.initialize(manager, dataType, shared);
    Shape fc = conventional.getOutputShapes(shared)[0];
    Shape fr = rebalancing.getOutputShapes(shared)[0];
    if (!fc.equals(fr)) {
      throw new IllegalArgumentException(
          "the branches must give features of the same shape, got " + fc + " and " + fr);
    }
    classifier.initialize(manager, dataType, new Shape(fc.get(0), 2 * fc.get(1)));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), numClasses)};
  }

  /** Builder for {@link BbnNetwork}. */
  public static final class Builder {
    private Block trunk;
    private Block conventional;
    private Block rebalancing;
    private int numClasses;

    private Builder() {}

    /** The shared trunk (e.g. a ResNet without its last stage). */
    public Builder setTrunk(Block value) {
      this.trunk = value;
      return this;
    }

    /**
     * The two branches, same architecture, separate weights, each mapping the trunk's output to
     * features {@code (N, D)}.
     */
    public Builder setBranches(Block conventionalBranch, Block rebalancingBranch) {
      this.conventional = conventionalBranch;
      this.rebalancing = rebalancingBranch;
      return this;
    }

    /** Number of classes {@code K >= 1}. */
    public Builder setNumClasses(int value) {
      this.numClasses = value;
      return this;
    }

    /** Validates and builds. */
    public BbnNetwork build() {
      Objects.requireNonNull(trunk, "trunk");
      Objects.requireNonNull(conventional, "conventional branch");
      Objects.requireNonNull(rebalancing, "rebalancing branch");
      if (conventional == rebalancing) {
        throw new IllegalArgumentException(
            "the branches must be two blocks with their own weights, got the same block twice");
      }
      if (numClasses < 1) {
        throw new IllegalArgumentException("numClasses must be >= 1, got " + numClasses);
      }
      return new BbnNetwork(this);
    }
  }
}
