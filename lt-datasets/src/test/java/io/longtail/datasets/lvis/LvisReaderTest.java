package io.longtail.datasets.lvis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LvisReaderTest {

  static Path resource(String name) {
    try {
      return Path.of(LvisReaderTest.class.getResource("/lvis/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static LvisDataset fixture() throws IOException {
    return LvisReader.builder().build().read(resource("lvis-v0.5-val-100.json"));
  }

  @Test
  void withoutSegmentationsReadsEverythingElseTheSame() throws IOException {
    LvisDataset full = fixture();
    LvisDataset boxes =
        LvisReader.builder()
            .optSegmentations(false)
            .build()
            .read(resource("lvis-v0.5-val-100.json"));

    assertThat(boxes.images()).isEqualTo(full.images());
    assertThat(boxes.categories()).isEqualTo(full.categories());
    assertThat(boxes.annotations()).hasSameSizeAs(full.annotations());
    for (int i = 0; i < full.annotations().size(); i++) {
      Annotation a = full.annotations().get(i);
      Annotation b = boxes.annotations().get(i);
      assertThat(a.segmentation()).isNotNull();
      assertThat(b.segmentation()).isNull();
      assertThat(b)
          .isEqualTo(
              new Annotation(
                  a.id(), a.imageId(), a.categoryId(), a.bbox(), a.area(), a.iscrowd(), null));
    }
  }

  @Test
  void readsTheCountsOfTheLvisV05Fixture() throws IOException {
    LvisDataset d = fixture();

    assertThat(d.images()).hasSize(100);
    assertThat(d.categories()).hasSize(1230);
    assertThat(d.annotations()).hasSize(977);
    assertThat(d.skipReport().isEmpty()).isTrue();
    assertThat(d.categories().stream().filter(c -> c.frequency() == Frequency.RARE)).hasSize(454);
    assertThat(d.categories().stream().filter(c -> c.frequency() == Frequency.COMMON)).hasSize(461);
    assertThat(d.categories().stream().filter(c -> c.frequency() == Frequency.FREQUENT))
        .hasSize(315);
    assertThat(d.annotations().stream().mapToInt(Annotation::categoryId).distinct().count())
        .isEqualTo(190);
  }

  @Test
  void readsTheImageFieldsOfTheLvisV05Fixture() throws IOException {
    ImageInfo image = fixture().image(266409);

    assertThat(image.width()).isEqualTo(640);
    assertThat(image.height()).isEqualTo(480);
    assertThat(image.fileName()).isEqualTo("COCO_val2014_000000266409.jpg");
    assertThat(image.negCategoryIds()).containsExactly(284, 53, 754, 299, 654, 541, 566);
    assertThat(image.notExhaustiveCategoryIds()).isEmpty();
    assertThat(fixture().image(89648).notExhaustiveCategoryIds()).containsExactly(998);
  }

  @Test
  void readsTheAnnotationFieldsOfTheLvisV05Fixture() throws IOException {
    LvisDataset d = fixture();
    Annotation a = d.annotations().get(0);

    assertThat(a.id()).isEqualTo(1);
    assertThat(a.imageId()).isEqualTo(565853);
    assertThat(a.categoryId()).isEqualTo(852);
    assertThat(a.bbox()).containsExactly(12.08, 245.03, 32.49, 37.45);
    assertThat(a.area()).isEqualTo(959.73);
    assertThat(a.iscrowd()).isFalse();
    PolygonSegmentation polygon = (PolygonSegmentation) a.segmentation();
    assertThat(polygon.partCount()).isEqualTo(1);
    assertThat(polygon.coordinateCount(0)).isEqualTo(14);
    // Exact doubles of the file: 12.67 as a float would be 12.670000076293945.
    assertThat(Arrays.copyOf(polygon.parts()[0], 4)).containsExactly(12.67, 249.44, 35.21, 246.69);

    PolygonSegmentation twoParts = (PolygonSegmentation) d.annotations().get(2).segmentation();
    assertThat(twoParts.partCount()).isEqualTo(2);
    assertThat(twoParts.coordinateCount(0)).isEqualTo(16);
    assertThat(twoParts.coordinateCount(1)).isEqualTo(10);
  }

  @Test
  void readsTheCategoryFieldsOfTheLvisV05Fixture() throws IOException {
    LvisDataset d = fixture();

    assertThat(d.category(852))
        .isEqualTo(
            new Category(
                852, "flowerpot", Frequency.FREQUENT, 2, 11, java.util.List.of("flowerpot")));
    assertThat(d.category(12).synonyms())
        .containsExactly("antenna", "aerial", "transmitting_aerial");
    assertThat(d.category(1230).name()).isEqualTo("zucchini");
    assertThat(d.category(1230).frequency()).isEqualTo(Frequency.COMMON);
  }

  @Test
  void indexesTheLvisV05FixtureByImageAndCategory() throws IOException {
    LvisDataset d = fixture();

    assertThat(d.annotationsOfImage(565853)).hasSize(4).allMatch(a -> a.imageId() == 565853);
    assertThat(d.annotationsOfCategory(852)).hasSize(11).allMatch(a -> a.categoryId() == 852);
    assertThat(d.imagesWithCategory(852)).hasSize(2);
    assertThat(d.imagesWithCategory(1)).isEmpty();
    assertThat(d.categoryIdsOfImage(565853)).contains(852).isSorted();
    long imagesWithoutAnnotations =
        d.images().stream().filter(i -> d.annotationsOfImage(i.id()).isEmpty()).count();
    assertThat(imagesWithoutAnnotations).isEqualTo(7);
  }

  @Test
  void mapsTheFixtureCategoriesToContiguousLabels() throws IOException {
    CategoryIndex index = fixture().categoryIndex();

    assertThat(index.size()).isEqualTo(1230);
    assertThat(index.background()).isEqualTo(1230);
    assertThat(index.toLabel(1)).isZero();
    assertThat(index.toLabel(1230)).isEqualTo(1229);
    assertThat(index.toCategoryId(851)).isEqualTo(852);
  }

  @Test
  void takesTheLvisV1FileNameFromTheLastTwoPartsOfCocoUrl() throws IOException {
    LvisDataset d = LvisReader.builder().build().read(resource("lvis-v1-sample.json"));

    assertThat(d.image(397133).fileName()).isEqualTo("val2017/000000397133.jpg");
    assertThat(d.image(37777).fileName()).isEqualTo("train2017/000000037777.jpg");
    assertThat(d.image(397133).negCategoryIds()).containsExactly(2);
    assertThat(d.image(397133).notExhaustiveCategoryIds()).containsExactly(3);
  }

  @Test
  void readsTheLvisV1SampleCategoriesSortedById() throws IOException {
    LvisDataset d = LvisReader.builder().build().read(resource("lvis-v1-sample.json"));

    assertThat(d.categories()).extracting(Category::id).containsExactly(1, 2, 3);
    assertThat(d.categories())
        .extracting(Category::frequency)
        .containsExactly(Frequency.COMMON, Frequency.RARE, Frequency.FREQUENT);
    assertThat(d.category(1).synonyms()).containsExactly("aerosol_can", "spray_can");
    assertThat(d.category(3).imageCount()).isEqualTo(1167);
    assertThat(d.category(3).instanceCount()).isEqualTo(2147);
    assertThat(d.annotations()).extracting(Annotation::id).containsExactly(10L, 11L, 12L);
    PolygonSegmentation p = (PolygonSegmentation) d.annotations().get(1).segmentation();
    assertThat(p.parts()[1]).containsExactly(104, 101, 106, 101, 105.5, 103.25);
  }

  @Test
  void readsCocoCrowdAnnotationsWithUncompressedRle() throws IOException {
    LvisDataset d = LvisReader.builder().build().read(resource("coco-sample.json"));

    Annotation crowd = d.annotations().get(1);
    assertThat(crowd.iscrowd()).isTrue();
    assertThat(crowd.segmentation())
        .isEqualTo(new UncompressedRleSegmentation(4, 5, new int[] {4, 3, 1, 2, 10}));
    assertThat(d.annotations().get(0).iscrowd()).isFalse();
    assertThat(d.annotations().get(2).segmentation())
        .isEqualTo(
            new RleSegmentation(640, 586, "PPYo0Q30000O100O1000000000000000000000000000001O00"));
  }

  @Test
  void readsCocoCategoriesWithoutLvisFields() throws IOException {
    LvisDataset d = LvisReader.builder().build().read(resource("coco-sample.json"));

    assertThat(d.category(23)).isEqualTo(new Category(23, "bear", null, 0, 0, java.util.List.of()));
    assertThat(d.image(139).fileName()).isEqualTo("000000000139.jpg");
    assertThat(d.categoryIndex().categoryIds()).containsExactly(1, 22, 23);
  }

  @Test
  void readsSectionsInAnyOrder() throws IOException {
    // coco-sample.json puts annotations first and categories last.
    LvisDataset d = LvisReader.builder().build().read(resource("coco-sample.json"));

    assertThat(d.images()).hasSize(2);
    assertThat(d.categories()).hasSize(3);
    assertThat(d.annotations()).hasSize(3);
    assertThat(d.annotationsOfImage(139)).hasSize(2);
  }

  @Test
  void readsGzipCompressedFiles(@TempDir Path dir) throws IOException {
    Path gz = dir.resolve("lvis-v1-sample.json.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      Files.copy(resource("lvis-v1-sample.json"), out);
    }

    LvisDataset d = LvisReader.builder().build().read(gz);

    assertThat(d.annotations()).hasSize(3);
  }

  @Test
  void readsAFileWithoutAnnotationsAsAnImageList(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("test-dev.json");
    Files.writeString(
        file,
        "{\"images\": [{\"id\": 1, \"width\": 2, \"height\": 3, \"file_name\": \"a.jpg\"}],"
            + " \"categories\": [{\"id\": 1, \"name\": \"x\"}]}");

    LvisDataset d = LvisReader.builder().build().read(file);

    assertThat(d.images()).hasSize(1);
    assertThat(d.annotations()).isEmpty();
  }
}
