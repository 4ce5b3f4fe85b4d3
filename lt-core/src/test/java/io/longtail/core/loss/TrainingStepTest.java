package io.longtail.core.loss;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every loss in a float32 training step: it runs inside an autograd recording (no in-place
 * operator), gives a finite loss and gradient, and leaves no intermediate array behind.
 */
class TrainingStepTest {

  private static final List<Long> COUNTS = List.of(100L, 10L, 1L);

  @Test
  void everyLossTrainsInFloat32WithoutLeakingArrays() {
    List<LossConfig> configs =
        List.of(
            new CrossEntropyLoss.Config(),
            new BinaryCrossEntropyLoss.Config(),
            FocalLoss.Config.of(2, 0.25),
            ClassBalancedLoss.Config.softmax(0.999, COUNTS),
            ClassBalancedLoss.Config.sigmoid(0.999, COUNTS),
            ClassBalancedLoss.Config.focal(0.999, 2, COUNTS),
            new LogitAdjustedLoss.Config(1, COUNTS),
            new EqualizationLoss.Config(1.76e-3, List.of(0.1, 0.001, 0.0001)),
            SeesawLoss.Config.builder(3).build(),
            SeesawLoss.Config.builder(2)
                .optBranches(SeesawLoss.Branches.CLASSES_AND_OBJECTNESS)
                .build(),
            DistributionBalancedLoss.Config.builder(List.of(50.0, 5.0, 1.0), 100).build());
    try (NDManager manager = NDManager.newBaseManager()) {
      for (LossConfig config : configs) {
        Loss loss = config.create();
        boolean sigmoid = config.headActivation() == HeadActivation.SIGMOID;
        NDArray logits =
            manager
                .create(GradCheck.random(30, 15, 3), new Shape(5, 3))
                .toType(DataType.FLOAT32, false);
        if (config instanceof SeesawLoss.Config s
            && s.branches() == SeesawLoss.Branches.CLASSES_AND_OBJECTNESS) {
          logits =
              manager
                  .create(GradCheck.random(31, 20, 3), new Shape(5, 4))
                  .toType(DataType.FLOAT32, false);
        }
        // Softmax heads: classes 0..2; sigmoid heads: 3 = background. Row 4 is ignored.
        NDArray labels = manager.create(new int[] {0, 1, 2, sigmoid ? 3 : 2, -1});
        logits.setRequiresGradient(true);
        int before = manager.getManagedArrays().size();
        float value;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray l = loss.evaluate(new NDList(labels), new NDList(logits));
          assertThat(l.getDataType()).as("%s", config).isEqualTo(DataType.FLOAT32);
          value = l.getFloat();
          gc.backward(l);
          l.close();
        }
        assertThat(manager.getManagedArrays().size())
            .as("arrays left by %s", config.kind())
            .isEqualTo(before);
        assertThat(value).as("%s loss", config).isFinite().isPositive();
        for (float g : logits.getGradient().toFloatArray()) {
          assertThat(g).as("%s gradient", config).isFinite();
        }
      }
    }
  }

  @Test
  void gmlTrainsInFloat32WithALearnedTemperature() {
    GmlLoss.Config config =
        GmlLoss.Config.builder(COUNTS, 4).optQueueSize(9).optMinPerClass(2).optSeed(3).build();
    try (NDManager manager = NDManager.newBaseManager();
        GmlLoss loss = config.create()) {
      NDArray teacher = manager.randomNormal(new Shape(3, 4));
      NDArray labels = manager.create(new int[] {0, 2, 1});
      NDArray ids = manager.create(new long[] {10, 11, 12});
      NDArray projection = manager.randomNormal(new Shape(4, 2));
      NDArray logT = manager.create(new float[] {(float) Math.log(0.07)});
      NDArray logits = manager.randomNormal(new Shape(3, 3));
      projection.setRequiresGradient(true);
      logT.setRequiresGradient(true);
      logits.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        loss.queue().enqueue(teacher, labels, ids);
        NDArray keys = unit(loss.queue().features().matMul(projection));
        NDArray queries = unit(manager.randomNormal(new Shape(3, 4)).matMul(projection));
        NDArray l = loss.evaluate(new NDList(labels, ids), new NDList(logits, queries, keys, logT));
        assertThat(l.getFloat()).isFinite().isPositive();
        gc.backward(l);
      }
      assertThat(projection.getGradient().abs().sum().getFloat()).isPositive();
      assertThat(logT.getGradient().getFloat()).isFinite().isNotZero();
      assertThat(logits.getGradient().abs().sum().getFloat()).isPositive();
    }
  }

  private static NDArray unit(NDArray rows) {
    return rows.div(rows.norm(new int[] {1}, true));
  }
}
