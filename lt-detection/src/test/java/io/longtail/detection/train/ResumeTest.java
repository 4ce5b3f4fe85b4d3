package io.longtail.detection.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pieces together on a real DJL block: train, checkpoint, reload into fresh objects, continue;
 * the losses must equal an uninterrupted run's exactly.
 */
class ResumeTest {
  @TempDir Path dir;

  private static final Shape INPUT = new Shape(8, 5);
  private static final long MAX_ITER = 8;
  private static final LrSchedule SCHEDULE =
      LrSchedule.step(0.05, MAX_ITER, List.of(6L), 0.1, 3, 0.1);

  /** The data of an iteration: a pure function of (seed, iteration) like the real sampler. */
  private static NDList batch(NDManager m, long iteration) {
    Random r = new Random(1000 + iteration);
    float[] x = new float[8 * 5];
    float[] y = new float[8 * 3];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    for (int i = 0; i < y.length; i++) {
      y[i] = (float) r.nextGaussian();
    }
    return new NDList(m.create(x, INPUT), m.create(y, new Shape(8, 3)));
  }

  private static Block newBlock(NDManager m) {
    Block block = Linear.builder().setUnits(3).build();
    block.initialize(m, DataType.FLOAT32, INPUT);
    return block;
  }

  private static SgdOptimizer newOptimizer(Block block) {
    return SgdOptimizer.builder()
        .setParameters(block.getParameters())
        .optMomentum(0.9)
        .optWeightDecay(1e-3)
        .optNoWeightDecay(SgdOptimizer.normAndBiasParameters())
        .build();
  }

  /** Runs iterations [from, to) and returns their total losses. */
  private static List<Double> train(
      NDManager m, Block block, SgdOptimizer sgd, long from, long to, LossGuard guard) {
    List<Double> losses = new ArrayList<>();
    ParameterStore ps = new ParameterStore(m, false);
    for (long it = from; it < to; it++) {
      try (NDManager scope = m.newSubManager()) {
        NDList b = batch(scope, it);
        double value;
        try (GradientCollector gc = m.getEngine().newGradientCollector()) {
          NDArray out = block.forward(ps, new NDList(b.get(0)), true).singletonOrThrow();
          NDArray loss = out.sub(b.get(1)).square().mean();
          gc.backward(loss);
          value = loss.getFloat();
        }
        guard.check(it, LossTerms.of("loss_l2", value));
        sgd.clipGradNorm(10);
        sgd.step(SCHEDULE.lr(it));
        losses.add(value);
      }
    }
    return losses;
  }

  @Test
  void resumedRunGivesTheSameLossesAsAnUninterruptedOne()
      throws IOException, MalformedModelException {
    try (NDManager m = NDManager.newBaseManager()) {
      Block straight = newBlock(m);
      Block first = newBlock(m);
      // Same starting weights for both runs.
      first.loadParameters(m, new DataInputStream(new ByteArrayInputStream(save(straight))));
      first.initialize(m, DataType.FLOAT32, INPUT);

      List<Double> expected;
      try (SgdOptimizer sgd = newOptimizer(straight)) {
        expected = train(m, straight, sgd, 0, MAX_ITER, new LossGuard(java.util.Optional::empty));
      }

      CheckpointStore store = new CheckpointStore(dir, 2);
      List<Double> got = new ArrayList<>();
      try (SgdOptimizer sgd = newOptimizer(first)) {
        got.addAll(train(m, first, sgd, 0, 5, LossGuard.forStore(store)));
        CheckpointInfo info =
            new CheckpointInfo(
                5,
                new SamplerState(1000, 0, 5 * 8),
                "config: test\n",
                new Provenance("t", "d", "e", "v", "j", 1, "set", Instant.EPOCH, "h"));
        store.save(info, first::saveParameters, sgd::saveState);
        // The killed run went on for a while; its extra work must not leak into the resumed one.
        train(m, first, sgd, 5, 7, LossGuard.forStore(store));
      }

      Checkpoint c = store.latest().orElseThrow();
      assertThat(c.info().iteration()).isEqualTo(5);
      Block resumed = newBlock(m);
      resumed.loadParameters(m, c.parameterStream());
      resumed.initialize(m, DataType.FLOAT32, INPUT); // attaches gradients to the loaded arrays
      try (SgdOptimizer sgd = newOptimizer(resumed)) {
        sgd.loadState(c.optimizerStream());
        assertThat(sgd.stepCount()).isEqualTo(5);
        got.addAll(
            train(m, resumed, sgd, c.info().iteration(), MAX_ITER, LossGuard.forStore(store)));
      }

      assertThat(got).containsExactlyElementsOf(expected);
      assertThat(save(resumed)).isEqualTo(save(straight));
    }
  }

  private static byte[] save(Block block) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    block.saveParameters(new DataOutputStream(bytes));
    return bytes.toByteArray();
  }
}
