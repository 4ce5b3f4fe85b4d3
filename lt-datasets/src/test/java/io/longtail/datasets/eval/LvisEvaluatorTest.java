package io.longtail.datasets.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.longtail.datasets.lvis.Frequency;
import io.longtail.datasets.lvis.RleSegmentation;
import io.longtail.datasets.mask.Masks;
import org.junit.jupiter.api.Test;

class LvisEvaluatorTest {

  private static final int[] NONE = {};
  private static final double[] BOX = {10, 10, 50, 50}; // area 2500: medium
  private static final double[] FAR = {300, 300, 40, 40};

  private static LvisEvalResult evaluate(EvalGroundTruth gt, EvalDetections dt) {
    return evaluate(gt, dt, EvalProtocol.STANDARD);
  }

  private static LvisEvalResult evaluate(
      EvalGroundTruth gt, EvalDetections dt, EvalProtocol protocol) {
    return LvisEvaluator.builder()
        .setIouType(IouType.BBOX)
        .optProtocol(protocol)
        .optParallelism(2)
        .build()
        .evaluate(gt, dt);
  }

  /** Category 1 (frequent) and 2 (rare); image 1 has a box of each, image 2 of category 1. */
  private static EvalGroundTruth.Builder twoImages(int[] neg2, int[] notExhaustive2) {
    return EvalGroundTruth.builder()
        .addCategory(1, Frequency.FREQUENT)
        .addCategory(2, Frequency.RARE)
        .addImage(1, 480, 640, NONE, NONE)
        .addImage(2, 480, 640, neg2, notExhaustive2)
        .addAnnotation(11, 1, 1, 2500, BOX, null)
        .addAnnotation(12, 1, 2, 1600, FAR, null)
        .addAnnotation(21, 2, 1, 2500, BOX, null);
  }

  @Test
  void perfectDetectionsGiveApOne() {
    EvalGroundTruth gt = twoImages(NONE, NONE).build();
    EvalDetections dt =
        EvalDetections.builder()
            .add(1, 1, 0.9, BOX, null)
            .add(1, 2, 0.8, FAR, null)
            .add(2, 1, 0.7, BOX, null)
            .build();
    LvisEvalResult r = evaluate(gt, dt);
    assertThat(r.get(Metric.AP)).isCloseTo(1.0, within(1e-12));
    assertThat(r.get(Metric.AP50)).isCloseTo(1.0, within(1e-12));
    assertThat(r.get(Metric.APM)).isCloseTo(1.0, within(1e-12));
    assertThat(r.get(Metric.APR)).isCloseTo(1.0, within(1e-12));
    assertThat(r.get(Metric.APF)).isCloseTo(1.0, within(1e-12));
    assertThat(r.get(Metric.AR)).isCloseTo(1.0, within(1e-12));
    // No ground truth in these groups: lvis-api reports -1.
    assertThat(r.get(Metric.APS)).isEqualTo(-1);
    assertThat(r.get(Metric.APL)).isEqualTo(-1);
    assertThat(r.get(Metric.APC)).isEqualTo(-1);
    assertThat(r.get(Metric.ARS)).isEqualTo(-1);
    assertThat(r.perCategoryAp()).containsOnlyKeys(1, 2);
  }

  @Test
  void detectionOfNegativeCategoryIsFalsePositive() {
    // Image 2 says category 2 is absent: a confident category-2 detection there is a false
    // positive ranked before the true one, so precision at every recall is 1/2.
    EvalGroundTruth gt = twoImages(new int[] {2}, NONE).build();
    EvalDetections dt =
        EvalDetections.builder().add(2, 2, 0.9, BOX, null).add(1, 2, 0.5, FAR, null).build();
    LvisEvalResult r = evaluate(gt, dt);
    assertThat(r.perCategoryAp().get(2)).isCloseTo(0.5, within(1e-12));
    assertThat(r.get(Metric.APR)).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void detectionOfUnverifiedCategoryIsDropped() {
    // Same detections, but image 2 says nothing about category 2: the detection is not counted.
    EvalGroundTruth gt = twoImages(NONE, NONE).build();
    EvalDetections dt =
        EvalDetections.builder().add(2, 2, 0.9, BOX, null).add(1, 2, 0.5, FAR, null).build();
    LvisEvalResult r = evaluate(gt, dt);
    assertThat(r.perCategoryAp().get(2)).isCloseTo(1.0, within(1e-12));
    assertThat(r.categories().stream().filter(c -> c.categoryId() == 2).findFirst().orElseThrow())
        .extracting(CategoryResult::detectionCount)
        .isEqualTo(1);
  }

  @Test
  void unmatchedDetectionOfNotExhaustiveCategoryIsIgnored() {
    // Category 1 in image 2 is not exhaustively annotated: the unmatched confident detection is
    // ignored, not a false positive.
    EvalDetections dt =
        EvalDetections.builder()
            .add(2, 1, 0.95, FAR, null)
            .add(2, 1, 0.9, BOX, null)
            .add(1, 1, 0.8, BOX, null)
            .build();
    LvisEvalResult ignored = evaluate(twoImages(NONE, new int[] {1}).build(), dt);
    assertThat(ignored.perCategoryAp().get(1)).isCloseTo(1.0, within(1e-12));

    LvisEvalResult counted = evaluate(twoImages(NONE, NONE).build(), dt);
    // FP, TP, TP: precision 0, 1/2, 2/3 interpolated to 2/3 everywhere.
    assertThat(counted.perCategoryAp().get(1)).isCloseTo(2.0 / (3 + Thresholds.EPS), within(1e-12));
  }

  @Test
  void onlyTopThreeHundredDetectionsPerImageCount() {
    EvalGroundTruth gt = twoImages(NONE, NONE).build();
    EvalDetections.Builder b = EvalDetections.builder();
    // 300 detections of category 2 elsewhere, all scoring above the true category-1 box.
    for (int i = 0; i < 300; i++) {
      b.add(2, 2, 0.5 + i * 1e-4, new double[] {400, 10 + i % 50, 20, 20}, null);
    }
    b.add(2, 1, 0.1, BOX, null);
    b.add(1, 1, 0.9, BOX, null);
    EvalDetections dt = b.build();

    LvisEvalResult standard = evaluate(gt, dt);
    // Image 2's true positive is the 301st detection: dropped, recall stops at 1/2.
    assertThat(standard.categories().get(0).ar()).isCloseTo(0.5, within(1e-12));

    LvisEvalResult fixed = evaluate(gt, dt, EvalProtocol.AP_FIXED);
    assertThat(fixed.categories().get(0).ar()).isCloseTo(1.0, within(1e-12));
    assertThat(fixed.key(Metric.AR)).isEqualTo("AR@-1");
    assertThat(standard.key(Metric.AR)).isEqualTo("AR@300");
  }

  @Test
  void perCategoryLimitKeepsTopScores() {
    EvalGroundTruth gt = twoImages(NONE, NONE).build();
    EvalDetections dt =
        EvalDetections.builder()
            .add(1, 1, 0.2, BOX, null)
            .add(2, 1, 0.9, FAR, null)
            .add(2, 1, 0.8, BOX, null)
            .build();
    // Keep 2 per category: the 0.2 true positive of image 1 goes.
    LvisEvalResult r = evaluate(gt, dt, new EvalProtocol("top2", -1, 2));
    assertThat(r.categories().get(0).ar()).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void equalScoresKeepFileOrder() {
    EvalGroundTruth gt = twoImages(NONE, NONE).build();
    EvalDetections falseFirst =
        EvalDetections.builder().add(1, 1, 0.5, FAR, null).add(1, 1, 0.5, BOX, null).build();
    EvalDetections trueFirst =
        EvalDetections.builder().add(1, 1, 0.5, BOX, null).add(1, 1, 0.5, FAR, null).build();
    // Recall is 1/2 (image 2 has no detection); FP then TP: precision 1/2, TP then FP: 1.
    assertThat(evaluate(gt, falseFirst).perCategoryAp().get(1))
        .isCloseTo(51 * 0.5 / 101, within(1e-9));
    assertThat(evaluate(gt, trueFirst).perCategoryAp().get(1)).isCloseTo(51.0 / 101, within(1e-9));
  }

  @Test
  void equalScoresAcrossImagesRankByImageId() {
    EvalGroundTruth gt = twoImages(NONE, NONE).build();
    // The false positive is in image 1 and comes later in the file, but image 1 ranks first.
    EvalDetections dt =
        EvalDetections.builder().add(2, 1, 0.5, BOX, null).add(1, 1, 0.5, FAR, null).build();
    assertThat(evaluate(gt, dt).perCategoryAp().get(1)).isCloseTo(51 * 0.5 / 101, within(1e-9));
  }

  @Test
  void detectionsWithZeroAreaAreLeftOut() {
    EvalGroundTruth gt = twoImages(NONE, NONE).build();
    EvalDetections dt =
        EvalDetections.builder()
            .add(1, 1, 0.9, new double[] {10, 10, 0, 50}, null)
            .add(1, 1, 0.5, BOX, null)
            .add(2, 1, 0.5, BOX, null)
            .build();
    assertThat(evaluate(gt, dt).perCategoryAp().get(1)).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void detectionsOfSmallObjectsAreIgnoredForLargeRange() {
    EvalGroundTruth gt =
        EvalGroundTruth.builder()
            .addCategory(1, Frequency.COMMON)
            .addImage(1, 480, 640, NONE, NONE)
            .addAnnotation(1, 1, 1, 200 * 200, new double[] {0, 0, 200, 200}, null)
            .build();
    EvalDetections dt =
        EvalDetections.builder()
            .add(1, 1, 0.9, new double[] {300, 300, 10, 10}, null)
            .add(1, 1, 0.8, new double[] {0, 0, 200, 200}, null)
            .build();
    LvisEvalResult r = evaluate(gt, dt);
    // The small false positive is outside the large range and ignored there, counted in "all".
    assertThat(r.get(Metric.APL)).isCloseTo(1.0, within(1e-12));
    assertThat(r.get(Metric.AP)).isCloseTo(0.5, within(1e-9));
    assertThat(r.get(Metric.APS)).isEqualTo(-1);
  }

  @Test
  void maskEvaluationMatchesRasterisedPolygons() {
    double[][] square = {{10, 10, 60, 10, 60, 60, 10, 60}};
    EvalGroundTruth gt =
        EvalGroundTruth.builder()
            .addCategory(1, Frequency.FREQUENT)
            .addImage(1, 100, 120, NONE, NONE)
            .addAnnotation(
                1,
                1,
                1,
                2500,
                new double[] {10, 10, 50, 50},
                new io.longtail.datasets.lvis.PolygonSegmentation(square))
            .build();
    String counts = Masks.fromPolygons(square, 100, 120).toCompressedString();
    EvalDetections dt =
        EvalDetections.builder()
            .add(1, 1, 0.9, null, new RleSegmentation(100, 120, counts))
            .build();
    LvisEvalResult r = LvisEvaluator.builder().setIouType(IouType.SEGM).build().evaluate(gt, dt);
    assertThat(r.get(Metric.AP)).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void emptyMaskIsLeftOutNotCountedAsFalsePositive() {
    double[][] square = {{10, 10, 60, 10, 60, 60, 10, 60}};
    EvalGroundTruth gt =
        EvalGroundTruth.builder()
            .addCategory(1, Frequency.FREQUENT)
            .addImage(1, 100, 120, NONE, NONE)
            .addAnnotation(
                1,
                1,
                1,
                2500,
                new double[] {10, 10, 50, 50},
                new io.longtail.datasets.lvis.PolygonSegmentation(square))
            .build();
    String good = Masks.fromPolygons(square, 100, 120).toCompressedString();
    String empty =
        io.longtail.datasets.mask.Rle.fromCounts(new int[] {100 * 120}, 100, 120)
            .toCompressedString();
    EvalDetections dt =
        EvalDetections.builder()
            .add(1, 1, 0.9, null, new RleSegmentation(100, 120, empty))
            .add(1, 1, 0.5, null, new RleSegmentation(100, 120, good))
            .build();
    for (IouType type : IouType.values()) {
      // lvis-api's area is the mask's pixel count (0 here): the empty mask is not evaluated, and
      // box IoU uses the box of the mask.
      LvisEvalResult r = LvisEvaluator.builder().setIouType(type).build().evaluate(gt, dt);
      assertThat(r.get(Metric.AP)).as(type.key()).isCloseTo(1.0, within(1e-12));
      assertThat(r.categories().get(0).detectionCount()).isEqualTo(1);
    }
  }

  @Test
  void mixingBoxAndMaskOnlyResultsIsRejected() {
    EvalGroundTruth gt = twoImages(NONE, NONE).build();
    String empty =
        io.longtail.datasets.mask.Rle.fromCounts(new int[] {480 * 640}, 480, 640)
            .toCompressedString();
    EvalDetections dt =
        EvalDetections.builder()
            .add(1, 1, 0.9, BOX, null)
            .add(1, 1, 0.5, null, new RleSegmentation(480, 640, empty))
            .build();
    assertThatThrownBy(() -> evaluate(gt, dt))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("detection 1 has no bbox");
  }

  @Test
  void detectionOfUnknownImageIsRejected() {
    EvalGroundTruth gt = twoImages(NONE, NONE).build();
    EvalDetections dt = EvalDetections.builder().add(99, 1, 0.9, BOX, null).build();
    assertThatThrownBy(() -> evaluate(gt, dt))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("image 99");
  }

  @Test
  void tablePrintsInLvisApiLayout() {
    EvalGroundTruth gt = twoImages(NONE, NONE).build();
    EvalDetections dt = EvalDetections.builder().add(1, 1, 0.9, BOX, null).build();
    String table = evaluate(gt, dt).formatTable();
    assertThat(table.lines())
        .hasSize(13)
        .contains(
            " Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=300 catIds=all] = 0.252",
            " Average Precision  (AP) @[ IoU=0.50      | area=   all | maxDets=300 catIds=all] = 0.252",
            " Average Precision  (AP) @[ IoU=0.50:0.95 | area=     s | maxDets=300 catIds=all] = -1.000",
            " Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=300 catIds=  r] = 0.000",
            " Average Recall     (AR) @[ IoU=0.50:0.95 | area=     m | maxDets=300 catIds=all] = 0.250");
  }

  @Test
  void builderRejectsMissingIouType() {
    assertThatThrownBy(() -> LvisEvaluator.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("iouType");
  }
}
