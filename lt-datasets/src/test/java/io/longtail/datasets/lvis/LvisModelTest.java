package io.longtail.datasets.lvis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LvisModelTest {

  private static final Category CAT = new Category(5, "cat", Frequency.RARE, 1, 1, List.of("cat"));
  private static final ImageInfo IMAGE = new ImageInfo(1, 10, 8, "a.jpg", List.of(), List.of());

  private static Annotation annotation(long id, long imageId, int categoryId) {
    return new Annotation(id, imageId, categoryId, new double[] {1, 2, 3, 4}, 5, false, null);
  }

  @Test
  void frequencyCodesAreTheLvisLetters() {
    assertThat(Frequency.fromCode("r")).isEqualTo(Frequency.RARE);
    assertThat(Frequency.fromCode("c")).isEqualTo(Frequency.COMMON);
    assertThat(Frequency.fromCode("f")).isEqualTo(Frequency.FREQUENT);
    assertThat(Frequency.FREQUENT.code()).isEqualTo("f");
    assertThatThrownBy(() -> Frequency.fromCode("x")).hasMessageContaining("got x");
  }

  @Test
  void categoryIndexMapsSortedIdsToContiguousLabelsWithBackgroundLast() {
    CategoryIndex index = CategoryIndex.of(List.of(90, 1, 3));

    assertThat(index.size()).isEqualTo(3);
    assertThat(index.toLabel(1)).isZero();
    assertThat(index.toLabel(3)).isEqualTo(1);
    assertThat(index.toLabel(90)).isEqualTo(2);
    assertThat(index.background()).isEqualTo(3);
    assertThat(index.toCategoryId(2)).isEqualTo(90);
    assertThat(CategoryIndex.IGNORE).isEqualTo(-1);
    assertThat(index.contains(2)).isFalse();
  }

  @Test
  void categoryIndexRejectsUnknownIdsAndNonForegroundLabels() {
    CategoryIndex index = CategoryIndex.of(List.of(1, 3));

    assertThatThrownBy(() -> index.toLabel(2)).hasMessageContaining("got 2");
    assertThatThrownBy(() -> index.toCategoryId(index.background())).hasMessageContaining("got 2");
    assertThatThrownBy(() -> index.toCategoryId(CategoryIndex.IGNORE))
        .hasMessageContaining("got -1");
    assertThatThrownBy(() -> CategoryIndex.of(List.of(1, 1))).hasMessageContaining("1 twice");
  }

  @Test
  void annotationsAreImmutableAndCompareByValue() {
    double[] box = {1, 2, 3, 4};
    double[][] parts = {{0, 0, 1, 0, 1, 1}};
    Annotation a = new Annotation(1, 2, 3, box, 5, false, new PolygonSegmentation(parts));
    box[0] = 99;
    parts[0][0] = 99;
    a.bbox()[1] = 99;
    ((PolygonSegmentation) a.segmentation()).parts()[0][1] = 99;

    assertThat(a.bbox()).containsExactly(1, 2, 3, 4);
    assertThat(((PolygonSegmentation) a.segmentation()).parts()[0])
        .containsExactly(0, 0, 1, 0, 1, 1);
    assertThat(a)
        .isEqualTo(
            new Annotation(
                1,
                2,
                3,
                new double[] {1, 2, 3, 4},
                5,
                false,
                new PolygonSegmentation(new double[][] {{0, 0, 1, 0, 1, 1}})));
  }

  @Test
  void valueRecordsRejectBadArguments() {
    assertThatThrownBy(() -> new Annotation(1, 2, 3, new double[] {1, 2, -3, 4}, 5, false, null))
        .hasMessageContaining("-3.0");
    assertThatThrownBy(() -> new PolygonSegmentation(new double[][] {{0, 0, 1}}))
        .hasMessageContaining("got 3");
    assertThatThrownBy(() -> new UncompressedRleSegmentation(2, 2, new int[] {1, 2}))
        .hasMessageContaining("got 3");
    assertThatThrownBy(() -> new Detection(1, 1, null, 0.5, null)).hasMessageContaining("bbox");
    assertThatThrownBy(() -> new Detection(1, 1, new double[] {0, 0, 1, 1}, Double.NaN, null))
        .hasMessageContaining("NaN");
    assertThatThrownBy(() -> new ImageInfo(1, 0, 8, "a", List.of(), List.of()))
        .hasMessageContaining("width");
  }

  @Test
  void datasetRejectsAnnotationsOfUndeclaredImagesOrCategories() {
    assertThatThrownBy(
            () -> LvisDataset.of(List.of(CAT), List.of(IMAGE), List.of(annotation(1, 2, 5))))
        .hasMessageContaining("imageId 2");
    assertThatThrownBy(
            () -> LvisDataset.of(List.of(CAT), List.of(IMAGE), List.of(annotation(1, 1, 6))))
        .hasMessageContaining("categoryId 6");
    assertThatThrownBy(
            () ->
                LvisDataset.of(
                    List.of(CAT),
                    List.of(IMAGE),
                    List.of(annotation(1, 1, 5), annotation(1, 1, 5))))
        .hasMessageContaining("1 twice");
  }

  @Test
  void datasetAssembledInCodeHasAnEmptySkipReport() {
    LvisDataset d = LvisDataset.of(List.of(CAT), List.of(IMAGE), List.of(annotation(1, 1, 5)));

    assertThat(d.skipReport().isEmpty()).isTrue();
    assertThat(d.imagesWithCategory(5)).containsExactly(IMAGE);
    assertThat(d.categoryIdsOfImage(1)).containsExactly(5);
    assertThatThrownBy(() -> d.image(2)).hasMessageContaining("got 2");
  }

  @Test
  void skipReportCountsByProblem() {
    SkipReport r =
        new SkipReport(
            Map.of(AnnotationProblem.UNKNOWN_IMAGE, 2, AnnotationProblem.DUPLICATE_ID, 1),
            List.of("x"));

    assertThat(r.count(AnnotationProblem.UNKNOWN_IMAGE)).isEqualTo(2);
    assertThat(r.count(AnnotationProblem.WRONG_TYPE)).isZero();
    assertThat(r.total()).isEqualTo(3);
    assertThat(SkipReport.empty().total()).isZero();
  }
}
