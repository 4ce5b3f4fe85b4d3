package io.longtail.detection.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longtail.core.loss.HeadActivation;
import io.longtail.core.loss.LossKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code roiHeads.loss} and {@code classifier} keys: parsing, defaults, invalid combinations. */
class ClassificationLossConfigTest {

  private static RoiHeadsConfig roi(String roiHeads) {
    return ConfigIo.parse("model: {roiHeads: " + roiHeads + "}\n", "my.yaml").model().roiHeads();
  }

  @Test
  void theDefaultLossIsSoftmaxCrossEntropyOnKPlusOneLogits() {
    RoiHeadsConfig r = ConfigIo.defaults().model().roiHeads();
    assertThat(r.loss()).isEqualTo(new ClassificationLossConfig.Softmax(1.0));
    assertThat(r.loss().activation()).isEqualTo(HeadActivation.SOFTMAX);
    assertThat(r.loss().logitColumns(10)).isEqualTo(11);
    assertThat(ConfigIo.toYaml(ConfigIo.defaults())).contains("kind: softmax");
  }

  @Test
  void everyDetectionLossIsSelectableByItsNameWithReferenceDefaults() {
    assertThat(roi("{loss: {kind: bce}}").loss()).isEqualTo(new ClassificationLossConfig.Bce(1.0));
    assertThat(roi("{loss: {kind: focal}}").loss())
        .isEqualTo(new ClassificationLossConfig.Focal(1.0, 2.0, 0.25));
    assertThat(roi("{loss: {kind: class-balanced, beta: 0.99}}").loss())
        .isEqualTo(
            new ClassificationLossConfig.ClassBalanced(
                1.0, 0.99, io.longtail.core.loss.ClassBalancedLoss.Base.SOFTMAX));
    assertThat(roi("{loss: {kind: logit-adjusted}}").loss())
        .isEqualTo(new ClassificationLossConfig.LogitAdjusted(1.0, 1.0));
    assertThat(roi("{loss: {kind: EQL, lambda: 0.01}}").loss())
        .isEqualTo(new ClassificationLossConfig.Eql(1.0, 0.01));
    assertThat(roi("{loss: {kind: seesaw}}").loss())
        .isEqualTo(new ClassificationLossConfig.Seesaw(1.0, 0.8, 2.0, 0.01, true));
    assertThat(roi("{loss: {kind: distribution-balanced, lossWeight: 10}}").loss())
        .isEqualTo(
            new ClassificationLossConfig.DistributionBalanced(
                10.0, 2.0, 2.0, 2.0, 0.05, 0.1, 10.0, 0.2));
    for (LossKind k : LossKind.values()) {
      if (k.supportsDetection()) {
        assertThat(roi("{loss: {kind: " + k.configName() + "}}").loss().lossKind()).isEqualTo(k);
      }
    }
  }

  @Test
  void sigmoidLossesHaveOneLogitPerForegroundClassAndSeesawAddsObjectness() {
    assertThat(roi("{loss: {kind: eql}}").loss().logitColumns(10)).isEqualTo(10);
    assertThat(roi("{loss: {kind: focal}}").loss().activation()).isEqualTo(HeadActivation.SIGMOID);
    assertThat(roi("{loss: {kind: seesaw}}").loss().logitColumns(10)).isEqualTo(12);
    assertThat(roi("{loss: {kind: seesaw, objectness: false}}").loss().logitColumns(10))
        .isEqualTo(11);
  }

  @Test
  void roundTripsThroughYaml() {
    DetectorConfig c =
        ConfigIo.parse(
                "model: {roiHeads: {loss: {kind: seesaw, p: 0.5, objectness: false},"
                    + " classifier: {kind: TAU_NORM, tauNormPower: 0.7}}}\n",
                "x")
            .withCategories(List.of(new CategoryRef(1, "a")));
    String yaml = ConfigIo.toYaml(c);
    assertThat(yaml).contains("kind: seesaw").contains("tauNormPower: 0.7");
    assertThat(ConfigIo.parse(yaml, "again")).isEqualTo(c);
  }

  @Test
  void sigmoidLossesWithTheSoftmaxOnlyCausalNormClassifierAreRejected() {
    for (String loss : new String[] {"eql", "bce", "focal", "distribution-balanced"}) {
      assertThatThrownBy(() -> roi("{loss: {kind: " + loss + "}, classifier: {kind: CAUSAL_NORM}}"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("my.yaml: ")
          .hasMessageContaining(
              "roiHeads.loss "
                  + loss
                  + " needs a sigmoid head, but classifier.kind CAUSAL_NORM"
                  + " is softmax-only");
    }
    // Softmax losses are fine with causal norm; Seesaw needs its objectness branch off.
    assertThat(roi("{loss: {kind: logit-adjusted}, classifier: {kind: CAUSAL_NORM}}").loss())
        .isInstanceOf(ClassificationLossConfig.LogitAdjusted.class);
    assertThat(
            roi("{loss: {kind: seesaw, objectness: false}, classifier: {kind: CAUSAL_NORM}}")
                .loss())
        .isInstanceOf(ClassificationLossConfig.Seesaw.class);
    assertThatThrownBy(() -> roi("{loss: {kind: seesaw}, classifier: {kind: CAUSAL_NORM}}"))
        .hasMessageContaining("set roiHeads.loss.objectness: false");
  }

  @Test
  void gmlAndUnknownLossesAreRejectedWithTheReason() {
    assertThatThrownBy(() -> roi("{loss: {kind: gml}}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("my.yaml: ")
        .hasMessageContaining("loss gml needs teacher contrast features")
        .hasMessageContaining("classification only");
    assertThatThrownBy(() -> roi("{loss: {kind: cross-entropy}}"))
        .hasMessageStartingWith("my.yaml: ")
        .hasMessageContaining(
            "roiHeads.loss.kind must be one of softmax, bce, focal, class-balanced,"
                + " logit-adjusted, eql, seesaw, distribution-balanced (gml is for classification"
                + " only)")
        .hasMessageContaining("got cross-entropy");
  }

  @Test
  void badParametersAndParametersOfAnotherLossAreErrors() {
    assertThatThrownBy(() -> roi("{loss: {kind: seesaw, p: -1}}"))
        .hasMessageContaining("roiHeads.loss.p must be >= 0 and finite, got -1.0");
    assertThatThrownBy(() -> roi("{loss: {kind: eql, p: 0.8}}"))
        .hasMessageStartingWith("my.yaml: ")
        .hasMessageContaining("\"p\"");
    // Settings without a kind: the default softmax has no lambda, or the kind is missing.
    assertThatThrownBy(() -> roi("{loss: {lambda: 0.001}}")).hasMessageContaining("roiHeads.loss");
    assertThatThrownBy(() -> roi("{loss: {kind: class-balanced, base: SIGMOID}}"))
        .hasMessageContaining("background ROIs would get weight 0");
    assertThatThrownBy(() -> roi("{loss: {kind: focal, alpha: 2}}"))
        .hasMessageContaining("roiHeads.loss.alpha must be in [0, 1], got 2.0");
  }

  @Test
  void secondStageClassifierSettings() {
    ClassifierConfig c = roi("{classifier: {kind: tau_norm, tauNormPower: 0.5}}").classifier();
    assertThat(c.kind()).isEqualTo(ClassifierKind.TAU_NORM);
    assertThat(c.tauNormPower()).isEqualTo(0.5f);
    assertThat(roi("{classifier: {kind: LWS}}").classifier().kind()).isEqualTo(ClassifierKind.LWS);
    assertThatThrownBy(() -> roi("{classifier: {kind: TAU_NORM, tauNormPower: -1}}"))
        .hasMessageContaining("classifier.tauNormPower must be >= 0 and finite, got -1.0");
    assertThatThrownBy(() -> roi("{classifier: {sigmoidPrior: 1}}"))
        .hasMessageContaining("classifier.sigmoidPrior must be in (0, 1), got 1.0");
    // The constructors without the new fields keep their old meaning.
    assertThat(new ClassifierConfig(null, null, null, null, null, null, null))
        .isEqualTo(ClassifierConfig.defaults());
    assertThat(
            new RoiHeadsConfig(
                null, null, null, null, null, null, null, null, null, null, null, null, null))
        .isEqualTo(RoiHeadsConfig.defaults());
  }
}
