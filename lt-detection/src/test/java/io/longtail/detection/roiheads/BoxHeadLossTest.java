package io.longtail.detection.roiheads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.longtail.core.classifier.InferenceMode;
import io.longtail.core.loss.CrossEntropyLoss;
import io.longtail.core.loss.EqualizationLoss;
import io.longtail.core.loss.LogitAdjustedLoss;
import io.longtail.datasets.lvis.Annotation;
import io.longtail.datasets.lvis.Category;
import io.longtail.datasets.lvis.ImageInfo;
import io.longtail.datasets.lvis.LvisDataset;
import io.longtail.detection.config.ClassificationLossConfig;
import io.longtail.detection.config.ConfigIo;
import io.longtail.detection.config.RoiHeadsConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The box head trained with every selectable classification loss. */
class BoxHeadLossTest {

  static final int K = 5;
  static final LabelStatistics STATS =
      new LabelStatistics(40, List.of(30, 12, 5, 1, 0), List.of(90, 20, 6, 1, 0));

  static RoiHeadsConfig config(String roiHeads) {
    return ConfigIo.parse(
            "model: {roiHeads: {fcDim: 16, batchSizePerImage: 8" + roiHeads + "}}\n", "test")
        .model()
        .roiHeads();
  }

  /** Six ROIs of one image: classes 0, 2, 4 (foreground) and three background rows. */
  static RoiSampling.Sampled sampled() {
    int[] labels = {0, 2, 4, K, K, K};
    float[] boxes = new float[24];
    for (int i = 0; i < 6; i++) {
      boxes[4 * i] = i;
      boxes[4 * i + 1] = i;
      boxes[4 * i + 2] = 10 + i;
      boxes[4 * i + 3] = 12 + i;
    }
    float[] targets = new float[12];
    for (int i = 0; i < targets.length; i++) {
      targets[i] = 0.1f * (i % 4) - 0.15f;
    }
    return new RoiSampling.Sampled(
        List.of(boxes), labels, new int[] {0, 1, 2}, targets, new int[3], new int[] {0, 1, 2});
  }

  static RoiBoxHead head(NDManager m, RoiHeadsConfig config, LabelStatistics stats) {
    Engine.getInstance().setRandomSeed(7);
    RoiBoxHead head = new RoiBoxHead(config, K, stats);
    head.initialize(m, DataType.FLOAT32, new Shape(1, 4, 7, 7));
    return head;
  }

  static NDArray pooled(NDManager m, long seed) {
    Random r = new Random(seed);
    float[] v = new float[6 * 4 * 7 * 7];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return m.create(v, new Shape(6, 4, 7, 7));
  }

  @Test
  void theDefaultLossIsExactlyTheDetectorsSoftmaxCrossEntropy() {
    try (NDManager m = NDManager.newBaseManager()) {
      RoiBoxHead head = head(m, config(""), null);
      assertThat(head.logitColumns()).isEqualTo(K + 1);
      RoiSampling.Sampled s = sampled();
      NDList out =
          head.forward(
              new ParameterStore(m, false),
              new NDList(pooled(m, 1)),
              new NDList(m.create(s.labels())),
              null);
      float selected = head.losses(out, s).classification().getFloat();
      // The expression the detector computed before the loss became selectable.
      NDArray oneHot = m.create(s.labels()).oneHot(K + 1);
      float original = out.get(0).logSoftmax(1).mul(oneHot).sum().neg().div(6).getFloat();
      assertThat(Float.floatToIntBits(selected)).isEqualTo(Float.floatToIntBits(original));
      // ... which is lt-core's cross-entropy up to float rounding.
      float core = CrossEntropyLoss.crossEntropy(out.get(0), m.create(s.labels())).getFloat();
      assertThat(selected).isCloseTo(core, within(1e-6f));
      // The box term is the 4-argument compute's.
      FastRcnnLosses.Losses plain = FastRcnnLosses.compute(out.get(0), out.get(1), s, K);
      assertThat(head.losses(out, s).box().getFloat()).isEqualTo(plain.box().getFloat());
      assertThat(plain.classification().getFloat()).isEqualTo(selected);
    }
  }

  @Test
  void everySelectableLossTrainsTheHeadWithFiniteLossesAndGradients() {
    String[] losses = {
      "softmax",
      "{kind: softmax, lossWeight: 2}",
      "bce",
      "{kind: focal, gamma: 2, alpha: 0.25}",
      "{kind: class-balanced, beta: 0.99}",
      "{kind: logit-adjusted, tau: 1}",
      "{kind: eql, lambda: 0.2}",
      "seesaw",
      "{kind: seesaw, objectness: false}",
      "{kind: distribution-balanced, lossWeight: 5}"
    };
    for (String loss : losses) {
      try (NDManager m = NDManager.newBaseManager()) {
        RoiBoxHead head = head(m, config(", loss: " + loss), STATS);
        ParameterStore ps = new ParameterStore(m, false);
        RoiSampling.Sampled s = sampled();
        float first = Float.NaN;
        float last = Float.NaN;
        for (int step = 0; step < 5; step++) {
          try (NDManager batch = m.newSubManager()) {
            NDArray pooled = pooled(batch, 3);
            float value;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
              NDList out =
                  head.forward(ps, new NDList(pooled), new NDList(batch.create(s.labels())), null);
              FastRcnnLosses.Losses l = head.losses(out, s);
              NDArray total = l.classification().add(l.box());
              value = l.classification().getFloat();
              gc.backward(total);
            }
            assertThat(value).as(loss).isFinite();
            for (Pair<String, Parameter> p : head.getParameters()) {
              if (p.getValue().requiresGradient()) {
                NDArray g = p.getValue().getArray().getGradient();
                assertThat(Float.isFinite(g.abs().sum().getFloat())).as(loss + p.getKey()).isTrue();
                p.getValue().getArray().subi(g.mul(0.1f));
              }
            }
            first = step == 0 ? value : first;
            last = value;
          }
        }
        // Five steps on the same ROIs lower the loss.
        assertThat(last).as(loss).isLessThan(first);
        try (NDArray scores =
            head.scores(
                head.forward(ps, new NDList(pooled(m, 3)), false).get(2), InferenceMode.PLAIN, 0)) {
          assertThat(scores.getShape()).isEqualTo(new Shape(6, K + 1));
          assertThat(scores.min().getFloat()).isGreaterThanOrEqualTo(0);
          assertThat(scores.max().getFloat()).isLessThanOrEqualTo(1);
        }
      }
    }
  }

  @Test
  void sigmoidHeadsHaveKLogitsStartingAtThePrior() {
    try (NDManager m = NDManager.newBaseManager()) {
      RoiBoxHead head = head(m, config(", loss: eql, classifier: {sigmoidPrior: 0.01}"), STATS);
      assertThat(head.logitColumns()).isEqualTo(K);
      NDArray bias = head.classifier().getParameters().get("bias").getArray();
      assertThat(bias.toFloatArray()).containsOnly((float) -Math.log(0.99 / 0.01));
      NDList out = head.forward(new ParameterStore(m, false), new NDList(pooled(m, 2)), false);
      assertThat(out.get(0).getShape()).isEqualTo(new Shape(6, K));
    }
  }

  @Test
  void sigmoidScoresAreTheForegroundSigmoidsWithAZeroBackgroundColumn() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray logits = m.create(new float[] {0, 2, -1, -3}, new Shape(2, 2));
      float[] s = FastRcnnInference.sigmoidScores(logits).toFloatArray();
      double e2 = 1 / (1 + Math.exp(-2));
      double em1 = 1 / (1 + Math.exp(1));
      double em3 = 1 / (1 + Math.exp(3));
      assertThat(s)
          .containsExactly(
              new float[] {0.5f, (float) e2, 0, (float) em1, (float) em3, 0},
              org.assertj.core.data.Offset.offset(1e-6f));
    }
  }

  @Test
  void seesawObjectnessHeadScoresClassesTimesObjectAndBackgroundLast() {
    try (NDManager m = NDManager.newBaseManager()) {
      RoiBoxHead head = head(m, config(", loss: seesaw"), null);
      assertThat(head.logitColumns()).isEqualTo(K + 2);
      NDArray features =
          head.forward(new ParameterStore(m, false), new NDList(pooled(m, 4)), false).get(2);
      float[] scores = head.scores(features, InferenceMode.PLAIN, 0).toFloatArray();
      float[] logits = head.classifier().logits(features).toFloatArray();
      // Row 0 by hand: softmax over the K class logits times P(object) of the two last logits.
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < K; c++) {
        max = Math.max(max, logits[c]);
      }
      double z = 0;
      for (int c = 0; c < K; c++) {
        z += Math.exp(logits[c] - max);
      }
      double object = 1 / (1 + Math.exp(logits[K + 1] - logits[K]));
      for (int c = 0; c < K; c++) {
        assertThat(scores[c])
            .isCloseTo((float) (Math.exp(logits[c] - max) / z * object), within(1e-6f));
      }
      assertThat(scores[K]).isCloseTo((float) (1 - object), within(1e-6f));
      assertThatThrownBy(() -> head.scores(features, InferenceMode.TDE, 1))
          .hasMessageContaining("needs a causal-norm softmax head");
    }
  }

  @Test
  void seesawCountsAccumulateAndTravelWithTheSavedParameters() throws Exception {
    RoiSampling.Sampled s = sampled();
    byte[] saved;
    float continued;
    try (NDManager m = NDManager.newBaseManager()) {
      RoiBoxHead head = head(m, config(", loss: {kind: seesaw, objectness: false}"), null);
      ParameterStore ps = new ParameterStore(m, false);
      for (int i = 0; i < 2; i++) {
        NDList out =
            head.forward(ps, new NDList(pooled(m, 5)), new NDList(m.create(s.labels())), null);
        head.losses(out, s);
      }
      SeesawCounts counts = head.seesawCounts();
      // Two batches of labels {0, 2, 4, K, K, K} over K + 1 Seesaw classes (+1 slot).
      assertThat(counts.read()).containsExactly(2, 0, 2, 0, 2, 6, 0);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      head.saveParameters(new DataOutputStream(bytes));
      saved = bytes.toByteArray();
      NDList out =
          head.forward(ps, new NDList(pooled(m, 6)), new NDList(m.create(s.labels())), null);
      continued = head.losses(out, s).classification().getFloat();
    }
    try (NDManager m = NDManager.newBaseManager()) {
      RoiBoxHead head = head(m, config(", loss: {kind: seesaw, objectness: false}"), null);
      head.loadParameters(m, new DataInputStream(new ByteArrayInputStream(saved)));
      SeesawCounts counts = head.seesawCounts();
      assertThat(counts.read()).containsExactly(2, 0, 2, 0, 2, 6, 0);
      ParameterStore ps = new ParameterStore(m, false);
      NDList out =
          head.forward(ps, new NDList(pooled(m, 6)), new NDList(m.create(s.labels())), null);
      assertThat(head.losses(out, s).classification().getFloat()).isEqualTo(continued);
    }
  }

  @Test
  void lossesThatNeedStatisticsNameThemWhenTheyAreMissing() {
    try (NDManager m = NDManager.newBaseManager()) {
      RoiBoxHead head = head(m, config(", loss: eql"), null);
      NDList out = head.forward(new ParameterStore(m, false), new NDList(pooled(m, 1)), false);
      assertThatThrownBy(() -> head.losses(out, sampled()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("roiHeads.loss eql needs the class statistics")
          .hasMessageContaining("LabelStatistics.of");
      // Inference does not need them.
      assertThat(head.scores(out.get(2), InferenceMode.PLAIN, 0).getShape())
          .isEqualTo(new Shape(6, K + 1));
      assertThatThrownBy(
              () ->
                  new RoiBoxHead(
                      config(", loss: eql"),
                      K,
                      new LabelStatistics(3, List.of(1, 2), List.of(1, 2))))
          .hasMessageContaining("statistics must describe the head's 5 classes, got 2");
    }
  }

  @Test
  void classStatisticsReachTheLossesAsThePapersDefineThem() {
    var eql =
        (EqualizationLoss.Config)
            BoxClassificationLoss.coreConfig(
                new ClassificationLossConfig.Eql(1.0, 0.1), K, 0.25f, STATS);
    assertThat(eql.imageFrequency()).containsExactly(0.75, 0.3, 0.125, 0.025, 0.0);
    assertThat(eql.rareMask()).containsExactly(0, 0, 0, 1, 1);
    // Logit adjustment over K + 1: instances (at least 1), background 3x the foreground total.
    var la =
        (LogitAdjustedLoss.Config)
            BoxClassificationLoss.coreConfig(
                new ClassificationLossConfig.LogitAdjusted(1.0, 1.0), K, 0.25f, STATS);
    assertThat(la.classCounts()).containsExactly(90L, 20L, 6L, 1L, 1L, 354L);
    var db =
        (io.longtail.core.loss.DistributionBalancedLoss.Config)
            BoxClassificationLoss.coreConfig(
                new ClassificationLossConfig.DistributionBalanced(
                    null, null, null, null, null, null, null, null),
                K,
                0.25f,
                STATS);
    assertThat(db.classFrequency()).containsExactly(30.0, 12.0, 5.0, 1.0, 0.5);
    assertThat(db.trainSize()).isEqualTo(40.0);
  }

  @Test
  void labelStatisticsCountImagesAndNonCrowdInstancesPerClass() {
    List<Category> categories =
        List.of(
            new Category(3, "a", null, 0, 0, List.of()),
            new Category(8, "b", null, 0, 0, List.of()));
    List<ImageInfo> images = new ArrayList<>();
    for (long id = 1; id <= 3; id++) {
      images.add(new ImageInfo(id, 10, 10, id + ".jpg", List.of(), List.of()));
    }
    double[] box = {1, 1, 2, 2};
    List<Annotation> annotations =
        List.of(
            new Annotation(1, 1, 3, box, 4, false, null),
            new Annotation(2, 1, 3, box, 4, false, null),
            new Annotation(3, 2, 3, box, 4, false, null),
            new Annotation(4, 2, 8, box, 4, true, null),
            new Annotation(5, 3, 8, box, 4, false, null));
    LabelStatistics s = LabelStatistics.of(LvisDataset.of(categories, images, annotations));
    assertThat(s.numImages()).isEqualTo(3);
    assertThat(s.imageCounts()).containsExactly(2, 1);
    assertThat(s.instanceCounts()).containsExactly(3, 1);
    assertThatThrownBy(() -> new LabelStatistics(2, List.of(3), List.of(1)))
        .hasMessageContaining("imageCounts[0] must be in [0, numImages=2], got 3");
  }
}
