package io.longtail.datasets.lvis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Reads what box evaluation needs from an LVIS v0.5, LVIS v1 or COCO annotation file, straight from
 * its bytes ({@link JsonBytes}, the lexer of {@link ResultsReader}) into primitives: images (id,
 * size, {@code neg_category_ids}, {@code not_exhaustive_category_ids}), categories (id, {@code
 * frequency}) and annotations (id, image, category, {@code area}, {@code bbox}); {@code
 * segmentation} values are skipped unchecked, as {@link LvisReader} does without segmentations.
 *
 * <p>Every other check of a strict {@link LvisReader} is made, in the same order, with the same
 * {@link AnnotationFileException}s (file, record such as {@code annotations[12] (id 345)}, field,
 * {@link AnnotationProblem}): required fields, types, ranges, {@code file_name} or {@code
 * coco_url}, frequency codes, duplicate ids, references to undeclared images and categories. Syntax
 * errors name the line and column as the Jackson-based reader does; their wording differs.
 *
 * <p>Why a second reader: on an LVIS-v1-val-scale file (72 MB, 20k images, 228k annotations) the
 * Jackson-based {@link LvisReader} and the {@link LvisDataset} it builds cost about 2.5 s of CPU in
 * a fresh JVM (much of it compiling Jackson), a large share of {@code ./lt eval --iou-type bbox}.
 */
public final class BoxAnnotationsReader {

  private BoxAnnotationsReader() {}

  /**
   * Receives the content of a file that passed every check: categories, then images, then
   * annotations, each in file order. Arrays passed in are the receiver's to keep, except {@code
   * bbox}, which is valid during the call only.
   */
  public interface Sink {

    /**
     * A category.
     *
     * @param id {@code id}
     * @param frequency {@code frequency}, or {@code null} when absent (a COCO file)
     */
    void category(int id, Frequency frequency);

    /**
     * An image.
     *
     * @param id {@code id}
     * @param width {@code width}, {@code > 0}
     * @param height {@code height}, {@code > 0}
     * @param negCategoryIds {@code neg_category_ids} (declared categories), in file order
     * @param notExhaustiveCategoryIds {@code not_exhaustive_category_ids}, in file order
     */
    void image(
        long id, int width, int height, int[] negCategoryIds, int[] notExhaustiveCategoryIds);

    /**
     * An annotation of a declared image and category; ids are distinct.
     *
     * @param id {@code id}
     * @param imageId {@code image_id}
     * @param categoryId {@code category_id}
     * @param area {@code area}, finite, {@code >= 0}
     * @param bbox {@code [x, y, w, h]}, finite, {@code w, h >= 0}
     */
    void annotation(long id, long imageId, int categoryId, double area, double[] bbox);
  }

  /**
   * Reads a file into a sink.
   *
   * @param file an annotation file, optionally gzip-compressed ({@code .gz})
   * @param sink receives the content once all of it is checked
   * @throws AnnotationFileException for bad content, naming file, record and field
   * @throws IOException if the file cannot be read
   */
  public static void read(Path file, Sink sink) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString());
    }
    Pass pass = new Pass(file);
    try (InputStream in = open(file)) {
      pass.run(in);
    }
    pass.deliver(sink);
  }

  private static InputStream open(Path file) throws IOException {
    InputStream in = Files.newInputStream(file);
    return file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
  }

  private static final byte[] IMAGES = JsonBytes.ascii("images");
  private static final byte[] CATEGORIES = JsonBytes.ascii("categories");
  private static final byte[] ANNOTATIONS = JsonBytes.ascii("annotations");
  private static final byte[] ID = JsonBytes.ascii("id");
  private static final byte[] WIDTH = JsonBytes.ascii("width");
  private static final byte[] HEIGHT = JsonBytes.ascii("height");
  private static final byte[] FILE_NAME = JsonBytes.ascii("file_name");
  private static final byte[] COCO_URL = JsonBytes.ascii("coco_url");
  private static final byte[] NEG = JsonBytes.ascii("neg_category_ids");
  private static final byte[] NOT_EXHAUSTIVE = JsonBytes.ascii("not_exhaustive_category_ids");
  private static final byte[] NAME = JsonBytes.ascii("name");
  private static final byte[] FREQUENCY = JsonBytes.ascii("frequency");
  private static final byte[] IMAGE_COUNT = JsonBytes.ascii("image_count");
  private static final byte[] INSTANCE_COUNT = JsonBytes.ascii("instance_count");
  private static final byte[] SYNONYMS = JsonBytes.ascii("synonyms");
  private static final byte[] IMAGE_ID = JsonBytes.ascii("image_id");
  private static final byte[] CATEGORY_ID = JsonBytes.ascii("category_id");
  private static final byte[] BBOX = JsonBytes.ascii("bbox");
  private static final byte[] AREA = JsonBytes.ascii("area");
  private static final byte[] ISCROWD = JsonBytes.ascii("iscrowd");

  private static final byte[][] KNOWN = {
    IMAGES,
    CATEGORIES,
    ANNOTATIONS,
    ID,
    WIDTH,
    HEIGHT,
    FILE_NAME,
    COCO_URL,
    NEG,
    NOT_EXHAUSTIVE,
    NAME,
    FREQUENCY,
    IMAGE_COUNT,
    INSTANCE_COUNT,
    SYNONYMS,
    IMAGE_ID,
    CATEGORY_ID,
    BBOX,
    AREA,
    ISCROWD
  };

  private static final int[] NO_IDS = new int[0];

  /** The first problem of a record. */
  private record Problem(AnnotationProblem kind, String field, String detail) {}

  /** One read of a file: the lexer, the record being read and what was read so far. */
  private static final class Pass extends JsonBytes {
    private final Path file;

    /** Section and index of the record being read (named in syntax errors); index -1: none. */
    private String section;

    private int index = -1;
    private Problem problem;

    private int imageCount;
    private long[] imageIds = new long[1024];
    private int[] widths = new int[1024];
    private int[] heights = new int[1024];
    private int[][] negIds = new int[1024][];
    private int[][] notExhaustiveIds = new int[1024][];
    private final Map<Long, Integer> imageIndex = new HashMap<>();

    private int categoryCount;
    private int[] categoryIds = new int[1024];
    private Frequency[] frequencies = new Frequency[1024];
    private final Map<Integer, Integer> categoryIndex = new HashMap<>();

    private int annotationCount;
    private long[] annIds = new long[1024];
    private long[] annImageIds = new long[1024];
    private int[] annCategoryIds = new int[1024];
    private double[] areas = new double[1024];
    private double[] boxes = new double[4 * 1024];

    private final double[] box = new double[4];
    private int[] ints = new int[64];

    Pass(Path file) {
      this.file = file;
    }

    void run(InputStream input) throws IOException {
      start(input, 0);
      try {
        readFile();
      } catch (Stop e) {
        throw error(recordName(), problem);
      }
    }

    private String recordName() {
      return index < 0 ? null : section + "[" + index + "]";
    }

    private void readFile() throws IOException, Stop {
      int c = nextNonWhitespace();
      if (c < 0) {
        throw error(null, null, AnnotationProblem.NOT_JSON, "the file is empty");
      }
      if (c != '{') {
        throw error(
            null, null, AnnotationProblem.WRONG_TYPE, "expected a JSON object at the top level");
      }
      boolean sawImages = false;
      boolean sawCategories = false;
      boolean sawAnnotations = false;
      if (!empty('}')) {
        do {
          byte[] name = fieldName();
          if (name == IMAGES) {
            checkSection("images", sawImages);
            sawImages = true;
            readImages();
          } else if (name == CATEGORIES) {
            checkSection("categories", sawCategories);
            sawCategories = true;
            readCategories();
          } else if (name == ANNOTATIONS) {
            checkSection("annotations", sawAnnotations);
            sawAnnotations = true;
            readAnnotations();
          } else {
            skipValue();
          }
          section = null;
          index = -1;
        } while (more('}', "the top-level object"));
      }
      if (nextNonWhitespace() >= 0) {
        syntax("unexpected content after the top-level object");
      }
      if (!sawImages) {
        throw error(null, "images", AnnotationProblem.MISSING_FIELD, "the file has no images");
      }
      if (!sawCategories) {
        throw error(
            null, "categories", AnnotationProblem.MISSING_FIELD, "the file has no categories");
      }
      checkImageCategoryLists();
      checkAnnotationReferences();
    }

    private void checkSection(String name, boolean seen) throws IOException {
      if (seen) {
        throw error(null, name, AnnotationProblem.DUPLICATE_ID, "the section appears twice");
      }
      if (peekNonWhitespace() != '[') {
        throw error(null, name, AnnotationProblem.WRONG_TYPE, "expected an array of records");
      }
    }

    /** Reads the records of a section: {@code record} reads one, after its opening brace. */
    private interface RecordReader {
      void read(int index) throws IOException, Stop;
    }

    private void readSection(String name, RecordReader record) throws IOException, Stop {
      next(); // '['
      section = name;
      index = 0;
      if (empty(']')) {
        return;
      }
      do {
        problem = null;
        record.read(index);
        index++;
      } while (more(']', name));
    }

    /**
     * At a record's start: consumes its opening brace and returns true, or records a wrong-type
     * problem, skips the value and returns false.
     */
    private boolean beginObject() throws IOException, Stop {
      if (peekNonWhitespace() == '{') {
        pos++;
        return true;
      }
      if (peek() < 0) {
        syntax("unexpected end of file");
      }
      fail(AnnotationProblem.WRONG_TYPE, null, "expected an object");
      skipValue();
      return false;
    }

    private static String label(String section, int index, boolean hasId, long id) {
      return section + "[" + index + "]" + (hasId ? " (id " + id + ")" : "");
    }

    // ---- images -----------------------------------------------------------------------------

    private void readImages() throws IOException, Stop {
      readSection("images", this::readImage);
    }

    private void readImage(int i) throws IOException, Stop {
      long id = 0;
      boolean hasId = false;
      int width = 0;
      int height = 0;
      boolean hasWidth = false;
      boolean hasHeight = false;
      String fileName = null;
      String cocoUrl = null;
      int[] neg = NO_IDS;
      int[] notExhaustive = NO_IDS;
      if (beginObject()) {
        if (!empty('}')) {
          do {
            byte[] name = fieldName();
            if (isNull()) {
              continue;
            }
            if (name == ID) {
              Problem before = problem;
              id = readLong("id", -1);
              hasId = problem == before;
            } else if (name == WIDTH) {
              width = readInt("width", -1);
              hasWidth = true;
            } else if (name == HEIGHT) {
              height = readInt("height", -1);
              hasHeight = true;
            } else if (name == FILE_NAME) {
              fileName = readString("file_name", -1);
            } else if (name == COCO_URL) {
              cocoUrl = readString("coco_url", -1);
            } else if (name == NEG) {
              neg = readIntList("neg_category_ids");
            } else if (name == NOT_EXHAUSTIVE) {
              notExhaustive = readIntList("not_exhaustive_category_ids");
            } else {
              skipValue();
            }
          } while (more('}', "a record of images"));
        }
        if (!hasId) {
          fail(AnnotationProblem.MISSING_FIELD, "id", "is required");
        }
        if (!hasWidth) {
          fail(AnnotationProblem.MISSING_FIELD, "width", "is required");
        } else if (width <= 0) {
          fail(AnnotationProblem.BAD_VALUE, "width", "must be > 0, got " + width);
        }
        if (!hasHeight) {
          fail(AnnotationProblem.MISSING_FIELD, "height", "is required");
        } else if (height <= 0) {
          fail(AnnotationProblem.BAD_VALUE, "height", "must be > 0, got " + height);
        }
        if (fileName == null && cocoUrl != null && problem == null) {
          fileName = checkCocoUrl(cocoUrl);
        }
        if (fileName == null) {
          fail(
              AnnotationProblem.MISSING_FIELD,
              "file_name",
              "is required (or coco_url, as in LVIS v1)");
        }
      }
      if (problem == null && imageIndex.putIfAbsent(id, i) != null) {
        fail(
            AnnotationProblem.DUPLICATE_ID,
            "id",
            "image id " + id + " is already used by images[" + imageIndex.get(id) + "]");
      }
      if (problem != null) {
        throw error(label("images", i, hasId, id), problem);
      }
      if (imageCount == imageIds.length) {
        int cap = 2 * imageCount;
        imageIds = Arrays.copyOf(imageIds, cap);
        widths = Arrays.copyOf(widths, cap);
        heights = Arrays.copyOf(heights, cap);
        negIds = Arrays.copyOf(negIds, cap);
        notExhaustiveIds = Arrays.copyOf(notExhaustiveIds, cap);
      }
      imageIds[imageCount] = id;
      widths[imageCount] = width;
      heights[imageCount] = height;
      negIds[imageCount] = neg;
      notExhaustiveIds[imageCount] = notExhaustive;
      imageCount++;
    }

    /** LVIS v1: the file is the last two parts of the URL; returns them, or null (a problem). */
    private String checkCocoUrl(String url) {
      int parts = 0;
      for (String s : url.split("/")) {
        if (!s.isEmpty()) {
          parts++;
        }
      }
      if (parts < 2) {
        fail(
            AnnotationProblem.BAD_VALUE,
            "coco_url",
            "needs at least two path parts (folder/file), got \"" + url + "\"");
        return null;
      }
      return url;
    }

    // ---- categories -------------------------------------------------------------------------

    private void readCategories() throws IOException, Stop {
      readSection("categories", this::readCategory);
    }

    private void readCategory(int i) throws IOException, Stop {
      int id = 0;
      boolean hasId = false;
      boolean hasName = false;
      Frequency frequency = null;
      int imageCount = 0;
      int instanceCount = 0;
      if (beginObject()) {
        if (!empty('}')) {
          do {
            byte[] name = fieldName();
            if (isNull()) {
              continue;
            }
            if (name == ID) {
              Problem before = problem;
              id = readInt("id", -1);
              hasId = problem == before;
            } else if (name == NAME) {
              hasName = readString("name", -1) != null;
            } else if (name == FREQUENCY) {
              String code = readString("frequency", -1);
              if (code != null) {
                try {
                  frequency = Frequency.fromCode(code);
                } catch (IllegalArgumentException e) {
                  fail(
                      AnnotationProblem.BAD_VALUE,
                      "frequency",
                      "must be \"r\", \"c\" or \"f\", got \"" + code + "\"");
                }
              }
            } else if (name == IMAGE_COUNT) {
              imageCount = readInt("image_count", -1);
            } else if (name == INSTANCE_COUNT) {
              instanceCount = readInt("instance_count", -1);
            } else if (name == SYNONYMS) {
              readStringList("synonyms");
            } else {
              skipValue();
            }
          } while (more('}', "a record of categories"));
        }
        if (!hasId) {
          fail(AnnotationProblem.MISSING_FIELD, "id", "is required");
        }
        if (!hasName) {
          fail(AnnotationProblem.MISSING_FIELD, "name", "is required");
        }
        if (imageCount < 0) {
          fail(AnnotationProblem.BAD_VALUE, "image_count", "must be >= 0, got " + imageCount);
        }
        if (instanceCount < 0) {
          fail(AnnotationProblem.BAD_VALUE, "instance_count", "must be >= 0, got " + instanceCount);
        }
      }
      if (problem == null && categoryIndex.putIfAbsent(id, i) != null) {
        fail(
            AnnotationProblem.DUPLICATE_ID,
            "id",
            "category id " + id + " is already used by categories[" + categoryIndex.get(id) + "]");
      }
      if (problem != null) {
        throw error(label("categories", i, hasId, id), problem);
      }
      if (categoryCount == categoryIds.length) {
        categoryIds = Arrays.copyOf(categoryIds, 2 * categoryCount);
        frequencies = Arrays.copyOf(frequencies, 2 * categoryCount);
      }
      categoryIds[categoryCount] = id;
      frequencies[categoryCount] = frequency;
      categoryCount++;
    }

    // ---- annotations ------------------------------------------------------------------------

    private void readAnnotations() throws IOException, Stop {
      readSection("annotations", this::readAnnotation);
    }

    private void readAnnotation(int i) throws IOException, Stop {
      long id = 0;
      boolean hasId = false;
      long imageId = 0;
      boolean hasImageId = false;
      int categoryId = 0;
      boolean hasCategoryId = false;
      boolean hasBox = false;
      double area = 0;
      boolean hasArea = false;
      if (beginObject()) {
        if (!empty('}')) {
          do {
            byte[] name = fieldName();
            if (isNull()) {
              continue;
            }
            if (name == ID) {
              Problem before = problem;
              id = readLong("id", -1);
              hasId = problem == before;
            } else if (name == IMAGE_ID) {
              imageId = readLong("image_id", -1);
              hasImageId = true;
            } else if (name == CATEGORY_ID) {
              categoryId = readInt("category_id", -1);
              hasCategoryId = true;
            } else if (name == BBOX) {
              hasBox = readBox("bbox");
            } else if (name == AREA) {
              area = readDouble("area", -1);
              hasArea = true;
            } else if (name == ISCROWD) {
              readFlag("iscrowd");
            } else {
              skipValue();
            }
          } while (more('}', "a record of annotations"));
        }
        if (!hasId) {
          fail(AnnotationProblem.MISSING_FIELD, "id", "is required");
        }
        if (!hasImageId) {
          fail(AnnotationProblem.MISSING_FIELD, "image_id", "is required");
        }
        if (!hasCategoryId) {
          fail(AnnotationProblem.MISSING_FIELD, "category_id", "is required");
        }
        if (!hasBox) {
          fail(AnnotationProblem.MISSING_FIELD, "bbox", "is required");
        }
        if (!hasArea) {
          fail(AnnotationProblem.MISSING_FIELD, "area", "is required");
        } else if (area < 0) {
          fail(AnnotationProblem.BAD_VALUE, "area", "must be >= 0, got " + area);
        }
      }
      if (problem != null) {
        throw error(label("annotations", i, hasId, id), problem);
      }
      int n = annotationCount;
      if (n == annIds.length) {
        int cap = 2 * n;
        annIds = Arrays.copyOf(annIds, cap);
        annImageIds = Arrays.copyOf(annImageIds, cap);
        annCategoryIds = Arrays.copyOf(annCategoryIds, cap);
        areas = Arrays.copyOf(areas, cap);
        boxes = Arrays.copyOf(boxes, 4 * cap);
      }
      annIds[n] = id;
      annImageIds[n] = imageId;
      annCategoryIds[n] = categoryId;
      areas[n] = area;
      System.arraycopy(box, 0, boxes, 4 * n, 4);
      annotationCount++;
    }

    // ---- references, checked once every section is read -------------------------------------

    private void checkImageCategoryLists() {
      for (int i = 0; i < imageCount; i++) {
        checkCategoryList(i, "neg_category_ids", negIds[i]);
        checkCategoryList(i, "not_exhaustive_category_ids", notExhaustiveIds[i]);
      }
    }

    private void checkCategoryList(int image, String field, int[] ids) {
      for (int j = 0; j < ids.length; j++) {
        if (!categoryIndex.containsKey(ids[j])) {
          throw error(
              label("images", image, true, imageIds[image]),
              field + "[" + j + "]",
              AnnotationProblem.UNKNOWN_CATEGORY,
              "category " + ids[j] + " is not declared in categories");
        }
      }
    }

    private void checkAnnotationReferences() {
      int n = annotationCount;
      long[] sortedImages = Arrays.copyOf(imageIds, imageCount);
      Arrays.sort(sortedImages);
      long[] sortedIds = Arrays.copyOf(annIds, n);
      Arrays.sort(sortedIds);
      boolean anyRepeated = false;
      for (int i = 1; i < n; i++) {
        anyRepeated |= sortedIds[i] == sortedIds[i - 1];
      }
      Map<Long, Integer> firstUse = anyRepeated ? new HashMap<>() : null;
      for (int i = 0; i < n; i++) {
        long id = annIds[i];
        if (Arrays.binarySearch(sortedImages, annImageIds[i]) < 0) {
          throw error(
              label("annotations", i, true, id),
              "image_id",
              AnnotationProblem.UNKNOWN_IMAGE,
              "image " + annImageIds[i] + " is not declared in images");
        }
        if (!categoryIndex.containsKey(annCategoryIds[i])) {
          throw error(
              label("annotations", i, true, id),
              "category_id",
              AnnotationProblem.UNKNOWN_CATEGORY,
              "category " + annCategoryIds[i] + " is not declared in categories");
        }
        if (firstUse != null && isRepeated(sortedIds, id)) {
          Integer first = firstUse.putIfAbsent(id, i);
          if (first != null) {
            throw error(
                label("annotations", i, true, id),
                "id",
                AnnotationProblem.DUPLICATE_ID,
                "annotation id " + id + " is already used by annotations[" + first + "]");
          }
        }
      }
    }

    private static boolean isRepeated(long[] sorted, long id) {
      int k = Arrays.binarySearch(sorted, id);
      return (k > 0 && sorted[k - 1] == id) || (k + 1 < sorted.length && sorted[k + 1] == id);
    }

    void deliver(Sink sink) {
      for (int c = 0; c < categoryCount; c++) {
        sink.category(categoryIds[c], frequencies[c]);
      }
      for (int i = 0; i < imageCount; i++) {
        sink.image(imageIds[i], widths[i], heights[i], negIds[i], notExhaustiveIds[i]);
      }
      double[] b = new double[4];
      for (int a = 0; a < annotationCount; a++) {
        System.arraycopy(boxes, 4 * a, b, 0, 4);
        sink.annotation(annIds[a], annImageIds[a], annCategoryIds[a], areas[a], b);
      }
    }

    // ---- values: a problem is recorded and the value skipped; only syntax errors stop -------

    /** Whether the value is JSON {@code null} (consumed: treated as an absent field). */
    private boolean isNull() throws IOException {
      return peekNonWhitespace() == 'n' && literal("null");
    }

    private boolean isNumberStart(int c) {
      return c == '-' || (c >= '0' && c <= '9');
    }

    private boolean isNonNumeric(int c) throws IOException {
      return c == 'N' || c == 'I' || c == '+' || (c == '-' && peekAt(1) == 'I');
    }

    /** An integral number (an integral float such as {@code 640.0} is accepted). */
    private long readLong(String field, int element) throws IOException, Stop {
      int c = peekNonWhitespace();
      if (isNonNumeric(c)) {
        double v = nonNumeric();
        fail(
            AnnotationProblem.BAD_VALUE,
            name(field, element),
            "expected an integer, got " + format(v));
        return 0;
      }
      if (!isNumberStart(c)) {
        wrongType(field, element, "an integer");
        return 0;
      }
      readNumber();
      if (integral) {
        return longValue;
      }
      String text = numberText();
      if (text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0) {
        fail(
            AnnotationProblem.BAD_VALUE, name(field, element), "integer out of range, got " + text);
        return 0;
      }
      double d = doubleValue;
      if (d == Math.rint(d) && Math.abs(d) < 0x1p53) {
        return (long) d;
      }
      fail(AnnotationProblem.BAD_VALUE, name(field, element), "expected an integer, got " + text);
      return 0;
    }

    /** An integral number in the {@code int} range. */
    private int readInt(String field, int element) throws IOException, Stop {
      long v = readLong(field, element);
      if (v != (int) v) {
        fail(AnnotationProblem.BAD_VALUE, name(field, element), "integer out of range, got " + v);
        return 0;
      }
      return (int) v;
    }

    /** A finite number. */
    private double readDouble(String field, int element) throws IOException, Stop {
      int c = peekNonWhitespace();
      if (isNonNumeric(c)) {
        double v = nonNumeric();
        fail(AnnotationProblem.BAD_VALUE, name(field, element), "must be finite, got " + format(v));
        return v;
      }
      if (!isNumberStart(c)) {
        wrongType(field, element, "a number");
        return 0;
      }
      readNumber();
      double d = integral ? (double) longValue : doubleValue;
      if (!Double.isFinite(d)) {
        fail(
            AnnotationProblem.BAD_VALUE,
            name(field, element),
            "must be finite, got " + numberText());
      }
      return d;
    }

    private static String format(double nonNumeric) {
      return Double.isNaN(nonNumeric) ? "NaN" : nonNumeric > 0 ? "Infinity" : "-Infinity";
    }

    /** A string, or null after a problem. */
    private String readString(String field, int element) throws IOException, Stop {
      if (peekNonWhitespace() == '"') {
        pos++;
        readString(true);
        return new String(string, 0, stringLength, StandardCharsets.UTF_8);
      }
      wrongType(field, element, "a string");
      return null;
    }

    /** A flag given as {@code 0}/{@code 1} (COCO) or as a boolean. */
    private void readFlag(String field) throws IOException, Stop {
      int c = peekNonWhitespace();
      if (literal("true") || literal("false")) {
        return;
      }
      if (isNumberStart(c)) {
        readNumber();
        String text = numberText();
        if (integral && (longValue == 0 || longValue == 1)) {
          return;
        }
        if (text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0) {
          fail(AnnotationProblem.BAD_VALUE, field, "must be 0 or 1, got " + text);
        } else {
          fail(AnnotationProblem.WRONG_TYPE, field, "expected 0, 1 or a boolean, got " + text);
        }
        return;
      }
      wrongType(field, -1, "0, 1 or a boolean");
    }

    /** An array of integers (empty after a problem). */
    private int[] readIntList(String field) throws IOException, Stop {
      if (peekNonWhitespace() != '[') {
        wrongType(field, -1, "an array of integers");
        return NO_IDS;
      }
      pos++;
      int n = 0;
      if (!empty(']')) {
        do {
          int v = readInt(field, n);
          if (n == ints.length) {
            ints = Arrays.copyOf(ints, 2 * n);
          }
          ints[n++] = v;
        } while (more(']', field));
      }
      return n == 0 ? NO_IDS : Arrays.copyOf(ints, n);
    }

    /** An array of strings (checked, not kept). */
    private void readStringList(String field) throws IOException, Stop {
      if (peekNonWhitespace() != '[') {
        wrongType(field, -1, "an array of strings");
        return;
      }
      pos++;
      int n = 0;
      if (!empty(']')) {
        do {
          readString(field, n);
          n++;
        } while (more(']', field));
      }
    }

    /**
     * A COCO box {@code [x, y, w, h]} into {@link #box}: four finite numbers, {@code w, h >= 0};
     * returns whether the field was an array.
     */
    private boolean readBox(String field) throws IOException, Stop {
      if (peekNonWhitespace() != '[') {
        wrongType(field, -1, "an array [x, y, w, h]");
        return false;
      }
      pos++;
      Arrays.fill(box, 0);
      int n = 0;
      if (!empty(']')) {
        do {
          double v = readDouble(field, n);
          if (n < 4) {
            box[n] = v;
          }
          n++;
        } while (more(']', field));
      }
      if (n != 4) {
        fail(AnnotationProblem.BAD_VALUE, field, "must have 4 values [x, y, w, h], got " + n);
      } else if (box[2] < 0 || box[3] < 0) {
        fail(
            AnnotationProblem.NEGATIVE_BOX_SIZE,
            field,
            "width and height must be >= 0, got [" + box[2] + ", " + box[3] + "]");
      }
      return true;
    }

    /** {@code field}, or its element {@code field[element]} when {@code element >= 0}. */
    private static String name(String field, int element) {
      return element < 0 ? field : field + "[" + element + "]";
    }

    /** Records "expected X, got Y" for the value ahead and skips it. */
    private void wrongType(String field, int element, String expected) throws IOException, Stop {
      int c = peekNonWhitespace();
      String got;
      if (c == '"') {
        pos++;
        readString(true);
        got = "the string \"" + new String(string, 0, stringLength, StandardCharsets.UTF_8) + "\"";
      } else if (isNumberStart(c)) {
        readNumber();
        got = numberText();
      } else {
        got =
            switch (c) {
              case '{' -> "an object";
              case '[' -> "an array";
              case 't' -> "true";
              case 'f' -> "false";
              case 'n' -> "null";
              default -> "'" + (char) c + "'";
            };
        skipValue();
      }
      fail(
          AnnotationProblem.WRONG_TYPE,
          name(field, element),
          "expected " + expected + ", got " + got);
    }

    // ---- problems ---------------------------------------------------------------------------

    @Override
    byte[] knownName(byte[] s, int from, int n) {
      for (byte[] k : KNOWN) {
        if (matches(s, from, n, k)) {
          return k;
        }
      }
      return null;
    }

    /** Records a problem unless the record already has one. */
    private void fail(AnnotationProblem kind, String field, String detail) {
      if (problem == null) {
        problem = new Problem(kind, field, detail);
      }
    }

    @Override
    void syntax(String what) throws Stop {
      long offset = offset();
      String where;
      try {
        where = lineAndColumn(offset);
      } catch (IOException e) {
        where = "byte offset " + offset;
      }
      problem =
          new Problem(AnnotationProblem.NOT_JSON, null, "not valid JSON at " + where + ": " + what);
      throw new Stop();
    }

    /** {@code line L, column C} (both from 1) of a byte offset, found by reading the file again. */
    private String lineAndColumn(long offset) throws IOException {
      long line = 1;
      long lineStart = 0;
      byte[] b = new byte[1 << 16];
      long at = 0;
      try (InputStream in = open(file)) {
        int n;
        while (at < offset && (n = in.read(b, 0, (int) Math.min(b.length, offset - at))) > 0) {
          for (int i = 0; i < n; i++) {
            if (b[i] == '\n') {
              line++;
              lineStart = at + i + 1;
            }
          }
          at += n;
        }
      }
      return "line " + line + ", column " + (offset - lineStart + 1);
    }

    private AnnotationFileException error(String record, Problem p) {
      return new AnnotationFileException(file, record, p.field(), p.kind(), p.detail(), null);
    }

    private AnnotationFileException error(
        String record, String field, AnnotationProblem kind, String detail) {
      return new AnnotationFileException(file, record, field, kind, detail, null);
    }
  }
}
