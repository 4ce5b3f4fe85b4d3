package io.longtail.detection.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * ResNet (He et al., "Deep Residual Learning for Image Recognition", CVPR 2016) as a detection
 * bottom-up network, laid out as detectron2's {@code ResNet}: a stem (7x7/2 convolution, norm,
 * ReLU, 3x3/2 max pool) and four stages res2..res5 whose first block strides by 2 (except res2).
 *
 * <ul>
 *   <li>depth 18: basic blocks {@code [2, 2, 2, 2]}, C2..C5 channels {@code w, 2w, 4w, 8w};
 *   <li>depth 34: basic blocks {@code [3, 4, 6, 3]}, same channels;
 *   <li>depth 50: bottleneck blocks {@code [3, 4, 6, 3]}, C2..C5 channels {@code 4w, 8w, 16w, 32w}
 *       (bottleneck widths {@code w .. 8w}),
 * </ul>
 *
 * where {@code w} is the base width (64 in the paper; smaller for CPU runs; the stem has {@code w}
 * channels). Convolution weights are initialised with He (MSRA) normal, {@code std = sqrt(2 /
 * fanIn)}; an explicit engine seed ({@code Engine.getInstance().setRandomSeed}) makes it
 * reproducible.
 *
 * <p>{@code freezeAt} follows detectron2's {@code FREEZE_AT}: 0 trains everything, 1 freezes the
 * stem, {@code k >= 2} freezes the stem and res2..res{@code k}. Frozen parameters get no gradient;
 * batch norm in a frozen part is replaced by {@link FrozenBatchNorm} (as detectron2 does), so its
 * statistics stay fixed too.
 *
 * <p>Forward: input {@code (N, 3, H, W)}; output {@code NDList} of C2, C3, C4, C5 at strides 4, 8,
 * 16 and 32, of shape {@code (N, outChannels()[i], ceil(H / stride), ceil(W / stride))}.
 */
public final class ResNet extends AbstractBlock {

  private static final byte VERSION = 1;
  private static final int[] STRIDES = {4, 8, 16, 32};

  private final int depth;
  private final int baseWidth;
  private final NormKind norm;
  private final int freezeAt;
  private final int[] outChannels = new int[4];
  private final Block stem;
  private final List<Block> stages = new ArrayList<>();

  private ResNet(Builder b) {
    super(VERSION);
    depth = b.depth;
    baseWidth = b.baseWidth;
    norm = b.norm;
    freezeAt = b.freezeAt;
    NormSpec spec = new NormSpec(b.norm, b.groupNormGroups);

    stem = addChildBlock("stem", new Stem(baseWidth, freezeAt >= 1 ? spec.frozen() : spec));
    if (freezeAt >= 1) {
      stem.freezeParameters(true);
    }
    int[] blocks = depth == 18 ? new int[] {2, 2, 2, 2} : new int[] {3, 4, 6, 3};
    boolean bottleneck = depth == 50;
    int in = baseWidth;
    for (int i = 0; i < 4; i++) {
      int stage = i + 2;
      boolean frozen = freezeAt >= stage;
      NormSpec stageNorm = frozen ? spec.frozen() : spec;
      int mid = baseWidth << i;
      int out = bottleneck ? 4 * mid : mid;
      SequentialBlock seq = new SequentialBlock();
      for (int j = 0; j < blocks[i]; j++) {
        int stride = j == 0 && i > 0 ? 2 : 1;
        seq.add(
            bottleneck
                ? ResidualBlock.bottleneck(in, mid, out, stride, stageNorm)
                : ResidualBlock.basic(in, out, stride, stageNorm));
        in = out;
      }
      if (frozen) {
        seq.freezeParameters(true);
      }
      stages.add(addChildBlock("res" + stage, seq));
      outChannels[i] = out;
    }
    setInitializer(
        new XavierInitializer(
            XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.IN, 2),
        Parameter.Type.WEIGHT);
  }

  /** A builder; {@code depth} is required. */
  public static Builder builder() {
    return new Builder();
  }

  static void checkDepth(int depth) {
    if (depth != 18 && depth != 34 && depth != 50) {
      throw new IllegalArgumentException("depth must be 18, 34 or 50, got " + depth);
    }
  }

  static void checkBaseWidth(int baseWidth) {
    if (baseWidth < 1) {
      throw new IllegalArgumentException("baseWidth must be positive, got " + baseWidth);
    }
  }

  static void checkFreezeAt(int freezeAt) {
    if (freezeAt < 0 || freezeAt > 5) {
      throw new IllegalArgumentException("freezeAt must be in [0, 5], got " + freezeAt);
    }
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = Layers.apply(stem, ps, inputs.singletonOrThrow(), training, params);
    NDList features = new NDList(4);
    for (Block stage : stages) {
      x = Layers.apply(stage, ps, x, training, params);
      features.add(x);
    }
    return features;
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Layers.initChain(manager, dataType, inputShapes[0], allChildren());
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape[] out = new Shape[4];
    Shape shape = Layers.chainShape(inputShapes[0], stem);
    for (int i = 0; i < 4; i++) {
      shape = Layers.chainShape(shape, stages.get(i));
      out[i] = shape;
    }
    return out;
  }

  private Block[] allChildren() {
    Block[] all = new Block[5];
    all[0] = stem;
    for (int i = 0; i < 4; i++) {
      all[i + 1] = stages.get(i);
    }
    return all;
  }

  /** The stem block. */
  Block stem() {
    return stem;
  }

  /**
   * The stage block res{@code k}.
   *
   * @param k 2..5
   */
  Block stage(int k) {
    return stages.get(k - 2);
  }

  /** The depth: 18, 34 or 50. */
  public int depth() {
    return depth;
  }

  /** The base width {@code w} (stem channels, res2 bottleneck or block width). */
  public int baseWidth() {
    return baseWidth;
  }

  /** The normalisation of the trained stages. */
  public NormKind norm() {
    return norm;
  }

  /** The number of frozen parts: 0 none, 1 stem, {@code k >= 2} stem and res2..res{@code k}. */
  public int freezeAt() {
    return freezeAt;
  }

  /** Channels of C2..C5. */
  public int[] outChannels() {
    return outChannels.clone();
  }

  /** Strides of C2..C5: {@code {4, 8, 16, 32}}. */
  public int[] strides() {
    return STRIDES.clone();
  }

  /** Builder of {@link ResNet}: {@code setX} for required, {@code optX} for optional settings. */
  public static final class Builder {
    private int depth = -1;
    private int baseWidth = 64;
    private NormKind norm = NormKind.GN;
    private int freezeAt;
    private int groupNormGroups = GroupNorm.DEFAULT_GROUPS;

    private Builder() {}

    /** Depth 18, 34 or 50 (required). */
    public Builder setDepth(int depth) {
      this.depth = depth;
      return this;
    }

    /** Base width {@code w}, positive (default 64, the paper's). */
    public Builder optBaseWidth(int baseWidth) {
      this.baseWidth = baseWidth;
      return this;
    }

    /**
     * Normalisation (default {@link NormKind#GN}: this project trains from scratch with small
     * batches, where {@link NormKind#FROZEN_BN} would be the identity and batch statistics of 2
     * images are noisy; frozen batch norm is for pretrained weights).
     */
    public Builder optNorm(NormKind norm) {
      this.norm = norm;
      return this;
    }

    /** Frozen parts, in {@code [0, 5]} (default 0: everything trained). */
    public Builder optFreezeAt(int freezeAt) {
      this.freezeAt = freezeAt;
      return this;
    }

    /** Groups of {@link NormKind#GN}, positive, clipped per layer to divide its channels (32). */
    public Builder optGroupNormGroups(int groupNormGroups) {
      this.groupNormGroups = groupNormGroups;
      return this;
    }

    /** Validates the settings and builds the (uninitialised) block. */
    public ResNet build() {
      checkDepth(depth);
      checkBaseWidth(baseWidth);
      checkFreezeAt(freezeAt);
      if (norm == null) {
        throw new IllegalArgumentException("norm must not be null");
      }
      if (groupNormGroups < 1) {
        throw new IllegalArgumentException(
            "groupNormGroups must be positive, got " + groupNormGroups);
      }
      return new ResNet(this);
    }
  }
}
