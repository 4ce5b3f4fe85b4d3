package io.longtail.datasets.lvis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per kind of bad input: the message names the file, the record and the field. */
class LvisReaderErrorsTest {

  private static final String IMAGES =
      "[{\"id\": 1, \"width\": 10, \"height\": 8, \"file_name\": \"a.jpg\"},"
          + " {\"id\": 2, \"width\": 10, \"height\": 8, \"coco_url\": \"http://x/val2017/b.jpg\"}]";
  private static final String CATEGORIES =
      "[{\"id\": 1, \"name\": \"cat\", \"frequency\": \"f\"},"
          + " {\"id\": 2, \"name\": \"dog\", \"frequency\": \"r\"}]";
  private static final String GOOD_ANNOTATION =
      "{\"id\": 7, \"image_id\": 1, \"category_id\": 1, \"bbox\": [1, 2, 3, 4], \"area\": 5,"
          + " \"segmentation\": [[1, 2, 4, 2, 4, 6]]}";

  @TempDir Path dir;

  private Path write(String images, String categories, String annotations) throws IOException {
    Path file = dir.resolve("bad-annotations.json");
    Files.writeString(
        file,
        "{\"images\": "
            + images
            + ",\n \"categories\": "
            + categories
            + ",\n \"annotations\": "
            + annotations
            + "}");
    return file;
  }

  /** A file whose second annotation (index 1) is {@code bad}. */
  private Path withBadAnnotation(String bad) throws IOException {
    return write(IMAGES, CATEGORIES, "[" + GOOD_ANNOTATION + ",\n " + bad + "]");
  }

  private static void assertRejected(
      Path file, AnnotationProblem problem, String record, String field) {
    assertThatThrownBy(() -> LvisReader.builder().build().read(file))
        .isInstanceOf(AnnotationFileException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining(record == null ? "" : record)
        .hasMessageContaining(field == null ? "" : "'" + field + "'")
        .asInstanceOf(type(AnnotationFileException.class))
        .satisfies(
            e -> {
              assertThat(e.problem()).isEqualTo(problem);
              assertThat(e.file()).isEqualTo(file);
              assertThat(e.record()).isEqualTo(record);
              assertThat(e.field()).isEqualTo(field);
            });
  }

  @Test
  void rejectsAFileThatIsNotJsonWithLineAndColumn() throws IOException {
    Path file = withBadAnnotation("{\"id\": 8, \"image_id\": 1,, }");

    assertRejected(file, AnnotationProblem.NOT_JSON, "annotations[1]", null);
    assertThatThrownBy(() -> LvisReader.builder().build().read(file))
        .hasMessageContaining("line 4, column");
  }

  @Test
  void rejectsAnEmptyFile() throws IOException {
    Path file = dir.resolve("empty.json");
    Files.writeString(file, "");

    assertThatThrownBy(() -> LvisReader.builder().build().read(file))
        .isInstanceOf(AnnotationFileException.class)
        .hasMessageContaining("empty.json")
        .hasMessageContaining("empty");
  }

  @Test
  void rejectsATruncatedFile() throws IOException {
    Path file = dir.resolve("truncated.json");
    Files.writeString(file, "{\"images\": [{\"id\": 1, \"width\"");

    assertRejected(file, AnnotationProblem.NOT_JSON, "images[0]", null);
  }

  @Test
  void rejectsAnAnnotationWithoutBbox() throws IOException {
    Path file = withBadAnnotation("{\"id\": 8, \"image_id\": 1, \"category_id\": 1, \"area\": 5}");

    assertRejected(file, AnnotationProblem.MISSING_FIELD, "annotations[1] (id 8)", "bbox");
  }

  @Test
  void rejectsAnAnnotationWithoutId() throws IOException {
    Path file =
        withBadAnnotation(
            "{\"image_id\": 1, \"category_id\": 1, \"bbox\": [1, 2, 3, 4], \"area\": 5}");

    assertRejected(file, AnnotationProblem.MISSING_FIELD, "annotations[1]", "id");
  }

  @Test
  void rejectsAFieldOfTheWrongTypeNamingTheIdThatComesAfterIt() throws IOException {
    Path file =
        withBadAnnotation(
            "{\"bbox\": \"1,2,3,4\", \"image_id\": 1, \"category_id\": 1, \"area\": 5, \"id\": 8}");

    assertRejected(file, AnnotationProblem.WRONG_TYPE, "annotations[1] (id 8)", "bbox");
  }

  @Test
  void rejectsAStringWhereAnIdIsExpected() throws IOException {
    Path file =
        withBadAnnotation(
            "{\"id\": 8, \"image_id\": \"1\", \"category_id\": 1, \"bbox\": [1, 2, 3, 4],"
                + " \"area\": 5}");

    assertRejected(file, AnnotationProblem.WRONG_TYPE, "annotations[1] (id 8)", "image_id");
  }

  @Test
  void rejectsABboxWithNegativeSize() throws IOException {
    Path file =
        withBadAnnotation(
            "{\"id\": 8, \"image_id\": 1, \"category_id\": 1, \"bbox\": [1, 2, -3, 4],"
                + " \"area\": 5}");

    assertRejected(file, AnnotationProblem.NEGATIVE_BOX_SIZE, "annotations[1] (id 8)", "bbox");
  }

  @Test
  void rejectsANanArea() throws IOException {
    Path file =
        withBadAnnotation(
            "{\"id\": 8, \"image_id\": 1, \"category_id\": 1, \"bbox\": [1, 2, 3, 4],"
                + " \"area\": NaN}");

    assertRejected(file, AnnotationProblem.BAD_VALUE, "annotations[1] (id 8)", "area");
  }

  @Test
  void rejectsAPolygonWithAnOddNumberOfCoordinates() throws IOException {
    Path file =
        withBadAnnotation(
            "{\"id\": 8, \"image_id\": 1, \"category_id\": 1, \"bbox\": [1, 2, 3, 4],"
                + " \"area\": 5, \"segmentation\": [[1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6, 7]]}");

    assertRejected(
        file,
        AnnotationProblem.ODD_POLYGON_COORDINATES,
        "annotations[1] (id 8)",
        "segmentation[1]");
  }

  @Test
  void rejectsAPolygonWithFewerThanThreePoints() throws IOException {
    Path file =
        withBadAnnotation(
            "{\"id\": 8, \"image_id\": 1, \"category_id\": 1, \"bbox\": [1, 2, 3, 4],"
                + " \"area\": 5, \"segmentation\": [[1, 2, 3, 4]]}");

    assertRejected(
        file, AnnotationProblem.TOO_FEW_POLYGON_POINTS, "annotations[1] (id 8)", "segmentation[0]");
  }

  @Test
  void rejectsAnAnnotationOfAnUndeclaredCategory() throws IOException {
    Path file =
        withBadAnnotation(
            "{\"id\": 8, \"image_id\": 1, \"category_id\": 99, \"bbox\": [1, 2, 3, 4],"
                + " \"area\": 5}");

    assertRejected(
        file, AnnotationProblem.UNKNOWN_CATEGORY, "annotations[1] (id 8)", "category_id");
  }

  @Test
  void rejectsAnAnnotationOfAnUndeclaredImage() throws IOException {
    Path file =
        withBadAnnotation(
            "{\"id\": 8, \"image_id\": 3, \"category_id\": 1, \"bbox\": [1, 2, 3, 4],"
                + " \"area\": 5}");

    assertRejected(file, AnnotationProblem.UNKNOWN_IMAGE, "annotations[1] (id 8)", "image_id");
  }

  @Test
  void rejectsAnImageListingAnUndeclaredNegativeCategory() throws IOException {
    Path file =
        write(
            "[{\"id\": 1, \"width\": 10, \"height\": 8, \"file_name\": \"a.jpg\","
                + " \"neg_category_ids\": [2, 5]}]",
            CATEGORIES,
            "[]");

    assertRejected(
        file, AnnotationProblem.UNKNOWN_CATEGORY, "images[0] (id 1)", "neg_category_ids[1]");
  }

  @Test
  void rejectsDuplicateAnnotationIds() throws IOException {
    Path file = withBadAnnotation(GOOD_ANNOTATION);

    assertRejected(file, AnnotationProblem.DUPLICATE_ID, "annotations[1] (id 7)", "id");
  }

  @Test
  void rejectsDuplicateImageIds() throws IOException {
    Path file =
        write(
            "[{\"id\": 1, \"width\": 10, \"height\": 8, \"file_name\": \"a.jpg\"},"
                + " {\"id\": 1, \"width\": 10, \"height\": 8, \"file_name\": \"b.jpg\"}]",
            CATEGORIES,
            "[]");

    assertRejected(file, AnnotationProblem.DUPLICATE_ID, "images[1] (id 1)", "id");
  }

  @Test
  void rejectsDuplicateCategoryIds() throws IOException {
    Path file =
        write(
            IMAGES,
            "[{\"id\": 1, \"name\": \"cat\"}, {\"id\": 2, \"name\": \"dog\"},"
                + " {\"id\": 1, \"name\": \"cow\"}]",
            "[]");

    assertRejected(file, AnnotationProblem.DUPLICATE_ID, "categories[2] (id 1)", "id");
  }

  @Test
  void rejectsAnImageWithoutFileNameOrCocoUrl() throws IOException {
    Path file = write("[{\"id\": 1, \"width\": 10, \"height\": 8}]", CATEGORIES, "[]");

    assertRejected(file, AnnotationProblem.MISSING_FIELD, "images[0] (id 1)", "file_name");
  }

  @Test
  void rejectsAnUnknownFrequencyCode() throws IOException {
    Path file = write(IMAGES, "[{\"id\": 1, \"name\": \"cat\", \"frequency\": \"x\"}]", "[]");

    assertRejected(file, AnnotationProblem.BAD_VALUE, "categories[0] (id 1)", "frequency");
  }

  @Test
  void rejectsAFileWithoutCategories() throws IOException {
    Path file = dir.resolve("no-categories.json");
    Files.writeString(file, "{\"images\": " + IMAGES + ", \"annotations\": []}");

    assertRejected(file, AnnotationProblem.MISSING_FIELD, null, "categories");
  }

  @Test
  void rejectsUncompressedRleCountsThatDoNotCoverTheMask() throws IOException {
    Path file =
        withBadAnnotation(
            "{\"id\": 8, \"image_id\": 1, \"category_id\": 1, \"bbox\": [1, 2, 3, 4],"
                + " \"area\": 5, \"iscrowd\": 1,"
                + " \"segmentation\": {\"size\": [8, 10], \"counts\": [10, 5]}}");

    assertRejected(
        file, AnnotationProblem.BAD_VALUE, "annotations[1] (id 8)", "segmentation.counts");
  }

  @Test
  void lenientReadingSkipsBadAnnotationsAndCountsThemByProblem() throws IOException {
    String base = "\"bbox\": [1, 2, 3, 4], \"area\": 5";
    Path file =
        write(
            IMAGES,
            CATEGORIES,
            "["
                + GOOD_ANNOTATION
                + ",\n {\"id\": 8, \"image_id\": 1, \"category_id\": 1, \"bbox\": [1, 2, -3, 4],"
                + " \"area\": 5},"
                + "\n {\"id\": 9, \"image_id\": 1, \"category_id\": 1, \"bbox\": [1, 2, 3, -4],"
                + " \"area\": 5},"
                + "\n {\"id\": 10, \"image_id\": 1, \"category_id\": 1, "
                + base
                + ", \"segmentation\": [[1, 2, 3, 4]]},"
                + "\n {\"id\": 11, \"image_id\": 9, \"category_id\": 1, "
                + base
                + "},"
                + "\n {\"id\": 12, \"image_id\": 2, \"category_id\": 1, "
                + base
                + "},"
                + "\n {\"id\": 7, \"image_id\": 2, \"category_id\": 2, "
                + base
                + "},"
                + "\n {\"id\": 13, \"image_id\": 2, \"category_id\": 5, "
                + base
                + "},"
                + "\n {\"id\": 14, \"image_id\": 2, \"category_id\": 2}]");

    LvisDataset d = LvisReader.builder().optLenient(true).build().read(file);

    assertThat(d.annotations()).extracting(Annotation::id).containsExactly(7L, 12L);
    SkipReport report = d.skipReport();
    assertThat(report.count(AnnotationProblem.NEGATIVE_BOX_SIZE)).isEqualTo(2);
    assertThat(report.count(AnnotationProblem.TOO_FEW_POLYGON_POINTS)).isEqualTo(1);
    assertThat(report.count(AnnotationProblem.UNKNOWN_IMAGE)).isEqualTo(1);
    assertThat(report.count(AnnotationProblem.DUPLICATE_ID)).isEqualTo(1);
    assertThat(report.count(AnnotationProblem.UNKNOWN_CATEGORY)).isEqualTo(1);
    assertThat(report.count(AnnotationProblem.MISSING_FIELD)).isEqualTo(1);
    assertThat(report.count(AnnotationProblem.WRONG_TYPE)).isZero();
    assertThat(report.total()).isEqualTo(7);
    assertThat(report.examples()).hasSize(7);
    assertThat(report.examples().get(0))
        .contains("bad-annotations.json")
        .contains("annotations[1] (id 8)")
        .contains("'bbox'");
  }

  @Test
  void lenientReadingStillRejectsBadImages() throws IOException {
    Path file =
        write(
            "[{\"id\": 1, \"width\": -10, \"height\": 8, \"file_name\": \"a\"}]", CATEGORIES, "[]");

    assertThatThrownBy(() -> LvisReader.builder().optLenient(true).build().read(file))
        .isInstanceOf(AnnotationFileException.class)
        .hasMessageContaining("images[0] (id 1)")
        .hasMessageContaining("'width'");
  }
}
