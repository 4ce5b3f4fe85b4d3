package io.longtail.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GmlLossTest {

  private static final double CON = Math.log(1 + Math.exp(-1)); // -log softmax(1, 0)_0
  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void queueLayoutFollowsTheMinimumLengthRule() {
    // Weights (0.6, 0.3, 0.1), K = 10, m = 2: ends ceil(c m + (K - C m) cumsum(w)) =
    // ceil(2 + 4 * 0.6) = 5, ceil(4 + 4 * 0.9) = 8, 10.
    try (ClassWiseQueue q = new ClassWiseQueue(List.of(6L, 3L, 1L), 10, 2, 4, 1)) {
      assertThat(q.segmentStarts()).containsExactly(0, 5, 8);
      assertThat(q.segmentLengths()).containsExactly(5, 3, 2);
      assertThat(q.slotLabels()).containsExactly(0, 0, 0, 0, 0, 1, 1, 1, 2, 2);
      assertThat(q.slotIds()).containsExactly(-10, -9, -8, -7, -6, -5, -4, -3, -2, -1);
      float[] f = q.features().toFloatArray();
      double norm = 0;
      for (int d = 0; d < 4; d++) {
        norm += f[d] * f[d];
      }
      assertThat(norm).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-6));
      try (ClassWiseQueue same = new ClassWiseQueue(List.of(6L, 3L, 1L), 10, 2, 4, 1)) {
        assertThat(same.features().toFloatArray()).containsExactly(f);
      }
    }
    assertThatThrownBy(() -> new ClassWiseQueue(List.of(6L, 3L, 1L), 5, 2, 4, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("queue size must be >= numClasses * minPerClass = 6, got 5");
  }

  @Test
  void enqueueWritesRingBuffersPerClassAndDropsOverflow() {
    try (ClassWiseQueue q = new ClassWiseQueue(List.of(6L, 3L, 1L), 10, 2, 2, 1)) {
      // Three rows of class 2 (2 slots): the third is dropped; the pointer wraps to 0.
      int written =
          q.enqueue(
              manager.create(new float[][] {{1, 1}, {2, 2}, {3, 3}}),
              manager.create(new int[] {2, 2, 2}),
              manager.create(new long[] {40, 41, 42}));
      assertThat(written).isEqualTo(2);
      assertThat(q.pointers()).containsExactly(0, 0, 0);
      assertThat(q.slotIds()).endsWith(40, 41);
      q.enqueue(
          manager.create(new float[][] {{9, 9}, {5, 5}}),
          manager.create(new int[] {2, 0}),
          manager.create(new long[] {43, 7}));
      assertThat(q.pointers()).containsExactly(1, 0, 1);
      float[] f = q.features().toFloatArray();
      assertThat(new float[] {f[0], f[16], f[18]}).containsExactly(5, 9, 2);
      assertThat(q.slotIds()).containsExactly(7, -9, -8, -7, -6, -5, -4, -3, 43, 41);
    }
  }

  @Test
  void enqueueIsAllowedInsideAutogradAndKeepsNoGraph() {
    try (ClassWiseQueue q = new ClassWiseQueue(List.of(1L, 1L), 4, 1, 2, 3)) {
      NDArray teacher = manager.create(new float[][] {{1, 2}});
      teacher.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        q.enqueue(teacher.mul(2), manager.create(new int[] {1}), manager.create(new long[] {5}));
      }
      assertThat(q.features().hasGradient()).isFalse();
      assertThat(q.features().toFloatArray()).contains(2f, 4f);
    }
  }

  @Test
  void queueStateSurvivesSaveAndLoad() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    float[] saved;
    try (ClassWiseQueue q = new ClassWiseQueue(List.of(6L, 3L, 1L), 10, 2, 2, 1)) {
      q.enqueue(
          manager.create(new float[][] {{1, 1}, {2, 2}}),
          manager.create(new int[] {1, 1}),
          manager.create(new long[] {3, 4}));
      q.save(new DataOutputStream(bytes));
      saved = q.features().toFloatArray();
    }
    try (ClassWiseQueue fresh = new ClassWiseQueue(List.of(6L, 3L, 1L), 10, 2, 2, 99)) {
      fresh.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
      assertThat(fresh.features().toFloatArray()).containsExactly(saved);
      assertThat(fresh.pointers()).containsExactly(0, 2, 0);
      assertThat(fresh.slotIds()).contains(3L, 4L);
    }
    try (ClassWiseQueue other = new ClassWiseQueue(List.of(6L, 3L, 1L), 12, 2, 2, 1)) {
      assertThatThrownBy(
              () -> other.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("K=10");
    }
  }

  /** Two classes with one slot each holding the keys (1, 0) and (0, 1), sample ids 100, 101. */
  private GmlLoss twoKeyLoss(double supervisedWeight) {
    GmlLoss loss =
        GmlLoss.Config.builder(List.of(1L, 1L), 2)
            .optQueueSize(2)
            .optMinPerClass(1)
            .optTemperature(1)
            .optSupervisedWeight(supervisedWeight)
            .build()
            .create();
    loss.queue()
        .enqueue(
            manager.create(new float[][] {{1, 0}, {0, 1}}),
            manager.create(new int[] {0, 1}),
            manager.create(new long[] {100, 101}));
    return loss;
  }

  private double twoKeyValue(GmlLoss loss, long queryId) {
    NDArray keys = loss.queue().features().toType(DataType.FLOAT64, true);
    return loss.evaluate(
            new NDList(manager.create(new int[] {0}), manager.create(new long[] {queryId})),
            new NDList(
                manager.zeros(new Shape(1, 2), DataType.FLOAT64),
                manager.create(new double[][] {{1, 0}}),
                keys))
        .getDouble();
  }

  @Test
  void byHandWithOneKeyPerClass() {
    // q = (1, 0), T = 1: log S = (q.k0, q.k1) = (1, 0); the equal priors cancel.
    // L_con = L_con_T = -log softmax(1, 0)_0 = log(1 + e^-1).
    try (GmlLoss loss = twoKeyLoss(0)) {
      GradCheck.assertSame("both terms", twoKeyValue(loss, 7), 2 * CON);
      // The query is the sample of class 1's key: that key leaves the temperature term, whose
      // softmax then has class 0 only (CE 0).
      GradCheck.assertSame("own key of another class", twoKeyValue(loss, 101), CON);
      // The query is the sample of its own class's only key: the temperature term has no
      // admissible key for it and skips the row.
      GradCheck.assertSame("own key of its class", twoKeyValue(loss, 100), CON);
    }
  }

  @Test
  void withoutContrastItIsLogitAdjustedCrossEntropyOfScaledLogits() {
    List<Long> counts = List.of(50L, 10L, 2L);
    GmlLoss.Config config =
        GmlLoss.Config.builder(counts, 3).optQueueSize(6).optContrastWeight(0).build();
    NDArray logits = manager.create(GradCheck.random(19, 12, 0.3), new Shape(4, 3));
    NDArray labels = manager.create(new int[] {0, 1, 2, 2});
    double gml =
        GmlLoss.gml(
                logits,
                labels,
                manager.create(new long[] {1, 2, 3, 4}),
                manager.create(GradCheck.random(20, 8, 1), new Shape(4, 2)),
                manager.create(GradCheck.random(21, 12, 1), new Shape(6, 2)),
                manager.create(new int[] {0, 0, 1, 1, 2, 2}),
                manager.create(new long[] {-6, -5, -4, -3, -2, -1}),
                null,
                config.logPrior(),
                config)
            .getDouble();
    GradCheck.assertSame(
        "beta = 0",
        gml,
        LogitAdjustedLoss.adjustedLoss(logits.mul(30), labels, config.logPrior(), 1).getDouble());
  }

  @Test
  void gradientsFollowTheReferenceDetachment() {
    List<Long> counts = List.of(50L, 10L, 2L);
    GmlLoss.Config config =
        GmlLoss.Config.builder(counts, 3)
            .optQueueSize(6)
            .optMinPerClass(2)
            .optTemperature(0.5)
            .build();
    double[] prior = config.logPrior();
    double[] logits = GradCheck.random(22, 9, 0.2);
    double[] queries = GradCheck.random(23, 6, 1);
    double[] keys = GradCheck.random(24, 12, 1);
    NDArray labels = manager.create(new int[] {0, 1, 2});
    NDArray ids = manager.create(new long[] {1, 2, 3});
    NDArray keyLabels = manager.create(new int[] {0, 0, 1, 1, 2, 2});
    NDArray keyIds = manager.create(new long[] {-6, -5, -4, -3, -2, -1});
    Shape qShape = new Shape(3, 2);
    Shape kShape = new Shape(6, 2);
    Shape zShape = new Shape(3, 3);
    // Classifier logits: only the supervised term depends on them.
    GradCheck.check(
        "logits",
        manager,
        logits,
        zShape,
        z ->
            GmlLoss.gml(
                z,
                labels,
                ids,
                manager.create(queries, qShape),
                manager.create(keys, kShape),
                keyLabels,
                keyIds,
                null,
                prior,
                config));
    // Queries and keys: without own-sample collisions both contrast terms have the same value,
    // but only the first passes gradients to q and k, so autograd = half the finite difference.
    GradCheck.check(
        "queries",
        manager,
        queries,
        qShape,
        q ->
            GmlLoss.gml(
                manager.create(logits, zShape),
                labels,
                ids,
                q,
                manager.create(keys, kShape),
                keyLabels,
                keyIds,
                null,
                prior,
                config),
        0.5);
    GradCheck.check(
        "keys",
        manager,
        keys,
        kShape,
        k ->
            GmlLoss.gml(
                manager.create(logits, zShape),
                labels,
                ids,
                manager.create(queries, qShape),
                k,
                keyLabels,
                keyIds,
                null,
                prior,
                config),
        0.5);
    // A learnable log-temperature gets its gradient from the second term only: half again.
    GradCheck.check(
        "log temperature",
        manager,
        new double[] {Math.log(0.5)},
        new Shape(1),
        logT ->
            GmlLoss.gml(
                manager.create(logits, zShape),
                labels,
                ids,
                manager.create(queries, qShape),
                manager.create(keys, kShape),
                keyLabels,
                keyIds,
                logT,
                prior,
                config),
        0.5);
  }

  @Test
  void configRejectsBadSettings() {
    assertThatThrownBy(
            () ->
                GmlLoss.Config.builder(List.of(3L, 3L), 4)
                    .optQueueSize(3)
                    .optMinPerClass(2)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("queueSize must be >= numClasses * minPerClass = 4, got 3");
    assertThatThrownBy(() -> GmlLoss.Config.builder(List.of(3L), 4).optTemperature(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("temperature must be positive and finite, got 0.0");
  }
}
