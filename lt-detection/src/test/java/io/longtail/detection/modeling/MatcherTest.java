package io.longtail.detection.modeling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MatcherTest {

  @Test
  void labelsByThresholdsAndPicksTheBestGroundTruth() {
    float[][] iou = {
      {0.8f, 0.5f, 0.1f, 0.0f},
      {0.75f, 0.2f, 0.69f, 0.29f},
    };
    Matcher.Match m = new Matcher(0.3f, 0.7f, false).match(iou, 4);
    assertThat(m.labels()).containsExactly(1, -1, -1, 0);
    assertThat(m.matchedGt()).containsExactly(0, 0, 1, 1);
    assertThat(m.maxIou()).containsExactly(0.8f, 0.5f, 0.69f, 0.29f);
  }

  @Test
  void lowQualityMatchesGiveEveryGroundTruthItsBestPredictions() {
    float[][] iou = {
      {0.9f, 0.1f, 0.0f},
      {0.0f, 0.4f, 0.4f}, // best only 0.4: both predictions with 0.4 become positive
    };
    assertThat(Matcher.rpn().match(iou, 3).labels()).containsExactly(1, 1, 1);
    assertThat(new Matcher(0.3f, 0.7f, false).match(iou, 3).labels()).containsExactly(1, -1, -1);
  }

  @Test
  void noGroundTruthMeansAllNegative() {
    assertThat(Matcher.roiHead().match(new float[0][], 3).labels()).containsExactly(0, 0, 0);
  }

  @Test
  void roiHeadMatcherHasNoIgnoreBand() {
    float[][] iou = {{0.5f, 0.49f}};
    assertThat(Matcher.roiHead().match(iou, 2).labels()).containsExactly(1, 0);
  }

  @Test
  void rejectsInvertedThresholds() {
    assertThatThrownBy(() -> new Matcher(0.7f, 0.3f, false))
        .hasMessage("thresholds must satisfy 0 <= low <= high <= 1, got low=0.7, high=0.3");
  }
}
