package io.longtail.datasets.lvis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link BoxAnnotationsReader} reads what {@link LvisReader} reads (without masks) and rejects what
 * it rejects, with the same problem, record and field.
 */
class BoxAnnotationsReaderTest {

  private static final String IMAGES =
      "[{\"id\": 1, \"width\": 10, \"height\": 8, \"file_name\": \"a.jpg\","
          + " \"neg_category_ids\": [2], \"not_exhaustive_category_ids\": []},"
          + " {\"id\": 2, \"width\": 10, \"height\": 8, \"coco_url\": \"http://x/val2017/b.jpg\"}]";
  private static final String CATEGORIES =
      "[{\"id\": 1, \"name\": \"cat\", \"frequency\": \"f\", \"synonyms\": [\"kitty\"]},"
          + " {\"id\": 2, \"name\": \"dog\", \"frequency\": \"r\", \"image_count\": 3}]";
  private static final String GOOD =
      "{\"id\": 7, \"image_id\": 1, \"category_id\": 1, \"bbox\": [1, 2, 3, 4], \"area\": 5,"
          + " \"iscrowd\": 0, \"segmentation\": [[1, 2, 4, 2, 4, 6]]}";

  @TempDir Path dir;

  private Path write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, content);
    return file;
  }

  private static String file(String images, String categories, String annotations) {
    return "{\"images\": "
        + images
        + ",\n \"categories\": "
        + categories
        + ",\n \"annotations\": "
        + annotations
        + "}";
  }

  private static String withAnnotation(String second) {
    return file(IMAGES, CATEGORIES, "[" + GOOD + ",\n " + second + "]");
  }

  /** What a sink receives, as text. */
  private static List<String> readBoxes(Path file) throws IOException {
    List<String> out = new ArrayList<>();
    BoxAnnotationsReader.read(
        file,
        new BoxAnnotationsReader.Sink() {
          @Override
          public void category(int id, Frequency frequency) {
            out.add("category " + id + " " + frequency);
          }

          @Override
          public void image(long id, int width, int height, int[] neg, int[] notExhaustive) {
            out.add(
                "image "
                    + id
                    + " "
                    + width
                    + "x"
                    + height
                    + " "
                    + java.util.Arrays.toString(neg)
                    + java.util.Arrays.toString(notExhaustive));
          }

          @Override
          public void annotation(long id, long imageId, int categoryId, double area, double[] b) {
            out.add(
                "annotation "
                    + id
                    + " "
                    + imageId
                    + " "
                    + categoryId
                    + " "
                    + area
                    + " "
                    + java.util.Arrays.toString(b));
          }
        });
    return out;
  }

  /** The same, from a dataset read by LvisReader. */
  private static List<String> expected(LvisDataset d) {
    List<String> out = new ArrayList<>();
    for (Category c : d.categories()) {
      out.add("category " + c.id() + " " + c.frequency());
    }
    for (ImageInfo i : d.images()) {
      out.add(
          "image "
              + i.id()
              + " "
              + i.width()
              + "x"
              + i.height()
              + " "
              + i.negCategoryIds().toString().replace(" ", "").replace(",", ", ")
              + i.notExhaustiveCategoryIds().toString().replace(" ", "").replace(",", ", "));
    }
    for (Annotation a : d.annotations()) {
      out.add(
          "annotation "
              + a.id()
              + " "
              + a.imageId()
              + " "
              + a.categoryId()
              + " "
              + a.area()
              + " "
              + java.util.Arrays.toString(a.bbox()));
    }
    return out;
  }

  @Test
  void readsWhatLvisReaderReads() throws IOException {
    for (String name : List.of("lvis-v0.5-val-100.json", "lvis-v1-sample.json")) {
      Path file = LvisReaderTest.resource(name);
      LvisDataset d = LvisReader.builder().optSegmentations(false).build().read(file);

      List<String> actual = readBoxes(file);
      List<String> wanted = expected(d);

      // LvisDataset sorts its categories by id; the reader gives them in file order.
      int categories = d.categories().size();
      assertThat(actual.subList(0, categories))
          .as(name)
          .containsExactlyInAnyOrderElementsOf(wanted.subList(0, categories));
      assertThat(actual.subList(categories, actual.size()))
          .as(name)
          .containsExactlyElementsOf(wanted.subList(categories, wanted.size()));
    }
  }

  @Test
  void readsGzippedFilesAndEscapedNames() throws IOException {
    String content =
        file(
            IMAGES,
            CATEGORIES,
            "[{\"\\u0069d\": 7, \"image_id\": 1, \"category_id\": 1, \"bbox\": [1.5e0, 2, 3, 4],"
                + " \"area\": 5.0, \"extra\": {\"a\": [\"]\", 1]}, \"iscrowd\": true}]");
    Path gz = dir.resolve("a.json.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    }

    assertThat(readBoxes(gz))
        .contains("annotation 7 1 1 5.0 [1.5, 2.0, 3.0, 4.0]")
        .containsExactlyElementsOf(
            expected(LvisReader.builder().build().read(write("a.json", content))));
  }

  static Stream<Arguments> badFiles() {
    String base = "\"bbox\": [1, 2, 3, 4], \"area\": 5";
    return Stream.of(
        Arguments.of("empty", ""),
        Arguments.of("top level array", "[]"),
        Arguments.of("truncated", "{\"images\": [{\"id\": 1, \"width\""),
        Arguments.of("no images", "{\"categories\": " + CATEGORIES + "}"),
        Arguments.of("no categories", "{\"images\": " + IMAGES + ", \"annotations\": []}"),
        Arguments.of(
            "images twice", "{\"images\": [], \"images\": [], \"categories\": " + CATEGORIES + "}"),
        Arguments.of("images not an array", "{\"images\": 3, \"categories\": []}"),
        Arguments.of("image not an object", file("[3]", CATEGORIES, "[]")),
        Arguments.of(
            "image without id",
            file("[{\"width\": 1, \"height\": 1, \"file_name\": \"a\"}]", "[]", "[]")),
        Arguments.of(
            "image id a string",
            file(
                "[{\"id\": \"1\", \"width\": 1, \"height\": 1, \"file_name\": \"a\"}]",
                "[]",
                "[]")),
        Arguments.of(
            "image width 0",
            file("[{\"id\": 1, \"width\": 0, \"height\": 1, \"file_name\": \"a\"}]", "[]", "[]")),
        Arguments.of(
            "image height 1.5",
            file("[{\"id\": 1, \"width\": 1, \"height\": 1.5, \"file_name\": \"a\"}]", "[]", "[]")),
        Arguments.of(
            "image without file", file("[{\"id\": 1, \"width\": 1, \"height\": 1}]", "[]", "[]")),
        Arguments.of(
            "bad coco_url",
            file(
                "[{\"id\": 1, \"width\": 1, \"height\": 1, \"coco_url\": \"b.jpg\"}]", "[]", "[]")),
        Arguments.of(
            "duplicate image",
            file(
                "[{\"id\": 1, \"width\": 1, \"height\": 1, \"file_name\": \"a\"},"
                    + " {\"id\": 1, \"width\": 1, \"height\": 1, \"file_name\": \"b\"}]",
                "[]",
                "[]")),
        Arguments.of(
            "neg list not an array",
            file(
                "[{\"id\": 1, \"width\": 1, \"height\": 1, \"file_name\": \"a\","
                    + " \"neg_category_ids\": 2}]",
                CATEGORIES,
                "[]")),
        Arguments.of(
            "neg list with a string",
            file(
                "[{\"id\": 1, \"width\": 1, \"height\": 1, \"file_name\": \"a\","
                    + " \"neg_category_ids\": [1, \"2\"]}]",
                CATEGORIES,
                "[]")),
        Arguments.of(
            "undeclared negative category",
            file(
                "[{\"id\": 1, \"width\": 1, \"height\": 1, \"file_name\": \"a\","
                    + " \"not_exhaustive_category_ids\": [2, 5]}]",
                CATEGORIES,
                "[]")),
        Arguments.of("category without name", file(IMAGES, "[{\"id\": 1}]", "[]")),
        Arguments.of(
            "unknown frequency",
            file(IMAGES, "[{\"id\": 1, \"name\": \"a\", \"frequency\": \"x\"}]", "[]")),
        Arguments.of(
            "negative image_count",
            file(IMAGES, "[{\"id\": 1, \"name\": \"a\", \"image_count\": -1}]", "[]")),
        Arguments.of(
            "synonym not a string",
            file(IMAGES, "[{\"id\": 1, \"name\": \"a\", \"synonyms\": [\"b\", 3]}]", "[]")),
        Arguments.of(
            "duplicate category",
            file(IMAGES, "[{\"id\": 1, \"name\": \"a\"}, {\"id\": 1, \"name\": \"b\"}]", "[]")),
        Arguments.of("annotation not JSON", withAnnotation("{\"id\": 8, \"image_id\": 1,, }")),
        Arguments.of(
            "annotation without bbox",
            withAnnotation("{\"id\": 8, \"image_id\": 1, \"category_id\": 1, \"area\": 5}")),
        Arguments.of(
            "annotation without id",
            withAnnotation("{\"image_id\": 1, \"category_id\": 1, " + base + "}")),
        Arguments.of(
            "wrong type before the id",
            withAnnotation(
                "{\"bbox\": \"1,2,3,4\", \"image_id\": 1, \"category_id\": 1, \"area\": 5,"
                    + " \"id\": 8}")),
        Arguments.of(
            "image_id a string",
            withAnnotation("{\"id\": 8, \"image_id\": \"1\", \"category_id\": 1, " + base + "}")),
        Arguments.of(
            "category_id too large",
            withAnnotation(
                "{\"id\": 8, \"image_id\": 1, \"category_id\": 4294967296, " + base + "}")),
        Arguments.of(
            "id beyond long",
            withAnnotation(
                "{\"id\": 99999999999999999999, \"image_id\": 1, \"category_id\": 1, "
                    + base
                    + "}")),
        Arguments.of(
            "negative box",
            withAnnotation(
                "{\"id\": 8, \"image_id\": 1, \"category_id\": 1, \"bbox\": [1, 2, -3, 4],"
                    + " \"area\": 5}")),
        Arguments.of(
            "three box values",
            withAnnotation(
                "{\"id\": 8, \"image_id\": 1, \"category_id\": 1, \"bbox\": [1, 2, 3],"
                    + " \"area\": 5}")),
        Arguments.of(
            "infinite box value",
            withAnnotation(
                "{\"id\": 8, \"image_id\": 1, \"category_id\": 1, \"bbox\": [1, -Infinity, 3, 4],"
                    + " \"area\": 5}")),
        Arguments.of(
            "NaN area",
            withAnnotation(
                "{\"id\": 8, \"image_id\": 1, \"category_id\": 1, \"bbox\": [1, 2, 3, 4],"
                    + " \"area\": NaN}")),
        Arguments.of(
            "negative area",
            withAnnotation(
                "{\"id\": 8, \"image_id\": 1, \"category_id\": 1, \"bbox\": [1, 2, 3, 4],"
                    + " \"area\": -1}")),
        Arguments.of(
            "iscrowd 2",
            withAnnotation(
                "{\"id\": 8, \"image_id\": 1, \"category_id\": 1, " + base + ", \"iscrowd\": 2}")),
        Arguments.of(
            "iscrowd a string",
            withAnnotation(
                "{\"id\": 8, \"image_id\": 1, \"category_id\": 1, "
                    + base
                    + ", \"iscrowd\": \"no\"}")),
        Arguments.of(
            "undeclared category",
            withAnnotation("{\"id\": 8, \"image_id\": 1, \"category_id\": 99, " + base + "}")),
        Arguments.of(
            "undeclared image",
            withAnnotation("{\"id\": 8, \"image_id\": 3, \"category_id\": 1, " + base + "}")),
        Arguments.of("duplicate annotation", withAnnotation(GOOD)),
        Arguments.of("content after the object", file(IMAGES, CATEGORIES, "[]") + " {}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFiles")
  void rejectsWhatLvisReaderRejectsWithTheSameRecordAndField(String what, String content)
      throws IOException {
    Path file = write("bad.json", content);

    Throwable expected =
        catchThrowable(() -> LvisReader.builder().optSegmentations(false).build().read(file));
    Throwable actual = catchThrowable(() -> readBoxes(file));

    assertThat(expected).as("LvisReader rejects it").isInstanceOf(AnnotationFileException.class);
    assertThat(actual).isInstanceOf(AnnotationFileException.class);
    AnnotationFileException e = (AnnotationFileException) expected;
    AnnotationFileException a = (AnnotationFileException) actual;
    assertThat(a.file()).isEqualTo(file);
    assertThat(a.problem()).as(a.getMessage()).isEqualTo(e.problem());
    assertThat(a.record()).as(a.getMessage()).isEqualTo(e.record());
    assertThat(a.field()).as(a.getMessage()).isEqualTo(e.field());
    if (e.problem() != AnnotationProblem.NOT_JSON) {
      assertThat(a.getMessage()).isEqualTo(e.getMessage());
    }
  }

  @Test
  void namesLineAndColumnOfASyntaxError() throws IOException {
    Path file = write("bad.json", withAnnotation("{\"id\": 8, \"image_id\": 1,, }"));

    assertThat(catchThrowable(() -> readBoxes(file)))
        .hasMessageContaining("bad.json: annotations[1]: not valid JSON at line 4, column");
  }
}
