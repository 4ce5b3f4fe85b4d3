package io.longtail.datasets.lvis;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads LVIS v0.5, LVIS v1 and COCO instance annotation files ({@code .json}, or {@code .json.gz})
 * into an {@link LvisDataset}.
 *
 * <p>The file is streamed with Jackson's {@link JsonParser}, never held as a tree, and polygons
 * become primitive {@code double} arrays, so the full LVIS v1 train file (about 1 GB, 1.27M
 * annotations) loads in a heap a little larger than the resulting dataset. The sections ({@code
 * images}, {@code categories}, {@code annotations}) may come in any order; references between them
 * are checked after the streaming pass. Other top-level fields ({@code info}, {@code licenses}) are
 * skipped. A file without {@code annotations} (a COCO test-dev image list) gives a dataset without
 * annotations.
 *
 * <p>Field conventions: the image file name is {@code file_name} when present (LVIS v0.5, COCO),
 * else the last two parts of {@code coco_url} (LVIS v1); missing {@code frequency}, {@code
 * image_count}, {@code instance_count}, {@code synonyms}, {@code neg_category_ids}, {@code
 * not_exhaustive_category_ids}, {@code iscrowd} and {@code segmentation} take their COCO defaults
 * (null, 0, 0, empty, empty, empty, false, null); JSON {@code null} counts as absent.
 *
 * <p>Bad input throws an {@link AnnotationFileException} naming the file, the record (e.g. {@code
 * annotations[1234] (id 5678)}) and the field. In lenient mode ({@link Builder#optLenient}) bad
 * annotations are skipped instead and counted in {@link LvisDataset#skipReport()}; bad images and
 * categories, and syntax errors, always throw.
 */
public final class LvisReader {

  private final boolean lenient;
  private final boolean segmentations;

  private LvisReader(Builder builder) {
    this.lenient = builder.lenient;
    this.segmentations = builder.segmentations;
  }

  /** A builder; the default reader is strict. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether bad annotations are skipped rather than rejected. */
  public boolean isLenient() {
    return lenient;
  }

  /** Whether annotation masks are read (else every annotation's segmentation is null). */
  public boolean readsSegmentations() {
    return segmentations;
  }

  /**
   * Reads an annotation file.
   *
   * @param file an LVIS v0.5, LVIS v1 or COCO instances file, optionally gzip-compressed ({@code
   *     .gz})
   * @return the dataset, with what lenient reading skipped in {@link LvisDataset#skipReport()}
   * @throws AnnotationFileException for bad content, naming file, record and field
   * @throws IOException if the file cannot be read
   */
  public LvisDataset read(Path file) throws IOException {
    JsonFields f = JsonFields.open(file);
    try {
      return new Pass(f).run();
    } finally {
      f.close();
    }
  }

  /** Builds an {@link LvisReader}. */
  public static final class Builder {
    private boolean lenient;
    private boolean segmentations = true;

    private Builder() {}

    /**
     * Skips bad annotations (counted in the {@link SkipReport}) instead of throwing; default {@code
     * false}.
     */
    public Builder optLenient(boolean lenient) {
      this.lenient = lenient;
      return this;
    }

    /**
     * Whether to read annotation masks; default {@code true}. Without them ({@code false}: box
     * evaluation, which takes areas from the {@code area} field) each {@code segmentation} value is
     * skipped unchecked and the annotations have none, so their polygon arrays are never allocated
     * (on an LVIS-v1-val-scale file, 72 MB with 228k polygon annotations, the reading time stays
     * about the same: it goes to the other fields).
     */
    public Builder optSegmentations(boolean segmentations) {
      this.segmentations = segmentations;
      return this;
    }

    /** The reader. */
    public LvisReader build() {
      return new LvisReader(this);
    }
  }

  /** The state of one read. */
  private final class Pass {
    private final JsonFields f;
    private final JsonParser p;
    private List<ImageInfo> images;
    private List<Category> categories;
    private final Map<Long, Integer> imageIndex = new HashMap<>();
    private final Map<Integer, Integer> categoryIndex = new HashMap<>();
    private List<Annotation> annotations = new ArrayList<>();

    /** Position in the file's annotations array of each kept annotation. */
    private int[] annotationPositions = new int[1024];

    private final EnumMap<AnnotationProblem, Integer> skipped =
        new EnumMap<>(AnnotationProblem.class);
    private final List<String> examples = new ArrayList<>();

    Pass(JsonFields f) {
      this.f = f;
      this.p = f.parser();
    }

    LvisDataset run() throws IOException {
      JsonToken t = f.next(null);
      if (t == null) {
        throw f.error(null, null, AnnotationProblem.NOT_JSON, "the file is empty");
      }
      if (t != JsonToken.START_OBJECT) {
        throw f.error(
            null, null, AnnotationProblem.WRONG_TYPE, "expected a JSON object at the top level");
      }
      boolean sawAnnotations = false;
      while (f.next(null) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        f.next(null);
        switch (name) {
          case "images" -> {
            checkSection(name, images != null);
            readImages();
          }
          case "categories" -> {
            checkSection(name, categories != null);
            readCategories();
          }
          case "annotations" -> {
            checkSection(name, sawAnnotations);
            sawAnnotations = true;
            readAnnotations();
          }
          default -> f.skip(null);
        }
      }
      f.position(null, -1);
      if (f.next(null) != null) {
        throw f.error(
            null,
            null,
            AnnotationProblem.NOT_JSON,
            "unexpected content after the top-level object at line "
                + p.currentLocation().getLineNr());
      }
      if (images == null) {
        throw f.error(null, "images", AnnotationProblem.MISSING_FIELD, "the file has no images");
      }
      if (categories == null) {
        throw f.error(
            null, "categories", AnnotationProblem.MISSING_FIELD, "the file has no categories");
      }
      checkImageCategoryLists();
      checkAnnotationReferences();
      SkipReport report = new SkipReport(skipped, examples);
      return LvisDataset.read(categories, images, annotations, report);
    }

    private void checkSection(String name, boolean seen) throws IOException {
      if (seen) {
        throw f.error(null, name, AnnotationProblem.DUPLICATE_ID, "the section appears twice");
      }
      if (p.currentToken() != JsonToken.START_ARRAY) {
        throw f.error(null, name, AnnotationProblem.WRONG_TYPE, "expected an array of records");
      }
    }

    private String label(String section, int index, boolean hasId, long id) {
      return section + "[" + index + "]" + (hasId ? " (id " + id + ")" : "");
    }

    // ---- images ---------------------------------------------------------------------------

    private void readImages() throws IOException {
      images = new ArrayList<>();
      int index = 0;
      while (f.next(null) != JsonToken.END_ARRAY) {
        f.position("images", index);
        f.beginRecord();
        long id = 0;
        boolean hasId = false;
        int width = 0;
        int height = 0;
        boolean hasWidth = false;
        boolean hasHeight = false;
        String fileName = null;
        String cocoUrl = null;
        List<Integer> neg = List.of();
        List<Integer> notExhaustive = List.of();
        if (p.currentToken() != JsonToken.START_OBJECT) {
          f.fail(AnnotationProblem.WRONG_TYPE, null, "expected an object");
          f.skip(null);
        } else {
          while (f.next(null) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            f.next(null);
            if (f.isNull()) {
              continue;
            }
            switch (name) {
              case "id" -> {
                JsonFields.Problem before = f.problem();
                id = f.readLong(name);
                hasId = f.problem() == before;
              }
              case "width" -> {
                width = f.readInt(name);
                hasWidth = true;
              }
              case "height" -> {
                height = f.readInt(name);
                hasHeight = true;
              }
              case "file_name" -> fileName = f.readString(name);
              case "coco_url" -> cocoUrl = f.readString(name);
              case "neg_category_ids" -> neg = f.readIntList(name);
              case "not_exhaustive_category_ids" -> notExhaustive = f.readIntList(name);
              default -> f.skip(null);
            }
          }
          if (!hasId) {
            f.fail(AnnotationProblem.MISSING_FIELD, "id", "is required");
          }
          if (!hasWidth) {
            f.fail(AnnotationProblem.MISSING_FIELD, "width", "is required");
          } else if (width <= 0) {
            f.fail(AnnotationProblem.BAD_VALUE, "width", "must be > 0, got " + width);
          }
          if (!hasHeight) {
            f.fail(AnnotationProblem.MISSING_FIELD, "height", "is required");
          } else if (height <= 0) {
            f.fail(AnnotationProblem.BAD_VALUE, "height", "must be > 0, got " + height);
          }
          if (fileName == null && cocoUrl != null && f.problem() == null) {
            fileName = fileNameOfUrl(cocoUrl);
          }
          if (fileName == null) {
            f.fail(
                AnnotationProblem.MISSING_FIELD,
                "file_name",
                "is required (or coco_url, as in LVIS v1)");
          }
        }
        if (f.problem() == null && imageIndex.putIfAbsent(id, index) != null) {
          f.fail(
              AnnotationProblem.DUPLICATE_ID,
              "id",
              "image id " + id + " is already used by images[" + imageIndex.get(id) + "]");
        }
        if (f.problem() != null) {
          throw f.error(label("images", index, hasId, id), f.problem());
        }
        images.add(new ImageInfo(id, width, height, fileName, neg, notExhaustive));
        index++;
      }
    }

    /** LVIS v1: {@code http://images.cocodataset.org/val2017/000000397133.jpg} -> last 2 parts. */
    private String fileNameOfUrl(String url) {
      String[] parts =
          Arrays.stream(url.split("/")).filter(s -> !s.isEmpty()).toArray(String[]::new);
      if (parts.length < 2) {
        f.fail(
            AnnotationProblem.BAD_VALUE,
            "coco_url",
            "needs at least two path parts (folder/file), got \"" + url + "\"");
        return null;
      }
      return parts[parts.length - 2] + "/" + parts[parts.length - 1];
    }

    // ---- categories -----------------------------------------------------------------------

    private void readCategories() throws IOException {
      categories = new ArrayList<>();
      int index = 0;
      while (f.next(null) != JsonToken.END_ARRAY) {
        f.position("categories", index);
        f.beginRecord();
        int id = 0;
        boolean hasId = false;
        String name = null;
        Frequency frequency = null;
        int imageCount = 0;
        int instanceCount = 0;
        List<String> synonyms = List.of();
        if (p.currentToken() != JsonToken.START_OBJECT) {
          f.fail(AnnotationProblem.WRONG_TYPE, null, "expected an object");
          f.skip(null);
        } else {
          while (f.next(null) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            f.next(null);
            if (f.isNull()) {
              continue;
            }
            switch (field) {
              case "id" -> {
                JsonFields.Problem before = f.problem();
                id = f.readInt(field);
                hasId = f.problem() == before;
              }
              case "name" -> name = f.readString(field);
              case "frequency" -> {
                String code = f.readString(field);
                if (code != null) {
                  try {
                    frequency = Frequency.fromCode(code);
                  } catch (IllegalArgumentException e) {
                    f.fail(
                        AnnotationProblem.BAD_VALUE,
                        field,
                        "must be \"r\", \"c\" or \"f\", got \"" + code + "\"");
                  }
                }
              }
              case "image_count" -> imageCount = f.readInt(field);
              case "instance_count" -> instanceCount = f.readInt(field);
              case "synonyms" -> synonyms = f.readStringList(field);
              default -> f.skip(null);
            }
          }
          if (!hasId) {
            f.fail(AnnotationProblem.MISSING_FIELD, "id", "is required");
          }
          if (name == null) {
            f.fail(AnnotationProblem.MISSING_FIELD, "name", "is required");
          }
          if (imageCount < 0) {
            f.fail(AnnotationProblem.BAD_VALUE, "image_count", "must be >= 0, got " + imageCount);
          }
          if (instanceCount < 0) {
            f.fail(
                AnnotationProblem.BAD_VALUE,
                "instance_count",
                "must be >= 0, got " + instanceCount);
          }
        }
        if (f.problem() == null && categoryIndex.putIfAbsent(id, index) != null) {
          f.fail(
              AnnotationProblem.DUPLICATE_ID,
              "id",
              "category id "
                  + id
                  + " is already used by categories["
                  + categoryIndex.get(id)
                  + "]");
        }
        if (f.problem() != null) {
          throw f.error(label("categories", index, hasId, id), f.problem());
        }
        categories.add(new Category(id, name, frequency, imageCount, instanceCount, synonyms));
        index++;
      }
    }

    // ---- annotations ----------------------------------------------------------------------

    private void readAnnotations() throws IOException {
      int index = 0;
      while (f.next(null) != JsonToken.END_ARRAY) {
        f.position("annotations", index);
        f.beginRecord();
        long id = 0;
        boolean hasId = false;
        long imageId = 0;
        boolean hasImageId = false;
        int categoryId = 0;
        boolean hasCategoryId = false;
        double[] bbox = null;
        double area = 0;
        boolean hasArea = false;
        boolean iscrowd = false;
        Segmentation segmentation = null;
        if (p.currentToken() != JsonToken.START_OBJECT) {
          f.fail(AnnotationProblem.WRONG_TYPE, null, "expected an object");
          f.skip(null);
        } else {
          while (f.next(null) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            f.next(null);
            if (f.isNull()) {
              continue;
            }
            switch (name) {
              case "id" -> {
                JsonFields.Problem before = f.problem();
                id = f.readLong(name);
                hasId = f.problem() == before;
              }
              case "image_id" -> {
                imageId = f.readLong(name);
                hasImageId = true;
              }
              case "category_id" -> {
                categoryId = f.readInt(name);
                hasCategoryId = true;
              }
              case "bbox" -> bbox = f.readBbox(name);
              case "area" -> {
                area = f.readDouble(name);
                hasArea = true;
              }
              case "iscrowd" -> iscrowd = f.readFlag(name);
              case "segmentation" -> {
                if (segmentations) {
                  segmentation = f.readSegmentation(name);
                } else {
                  f.skip(null);
                }
              }
              default -> f.skip(null);
            }
          }
          if (!hasId) {
            f.fail(AnnotationProblem.MISSING_FIELD, "id", "is required");
          }
          if (!hasImageId) {
            f.fail(AnnotationProblem.MISSING_FIELD, "image_id", "is required");
          }
          if (!hasCategoryId) {
            f.fail(AnnotationProblem.MISSING_FIELD, "category_id", "is required");
          }
          if (bbox == null) {
            f.fail(AnnotationProblem.MISSING_FIELD, "bbox", "is required");
          }
          if (!hasArea) {
            f.fail(AnnotationProblem.MISSING_FIELD, "area", "is required");
          } else if (area < 0) {
            f.fail(AnnotationProblem.BAD_VALUE, "area", "must be >= 0, got " + area);
          }
        }
        JsonFields.Problem problem = f.problem();
        if (problem != null) {
          reject(label("annotations", index, hasId, id), problem);
        } else {
          if (annotations.size() == annotationPositions.length) {
            annotationPositions =
                Arrays.copyOf(annotationPositions, 2 * annotationPositions.length);
          }
          annotationPositions[annotations.size()] = index;
          annotations.add(
              new Annotation(id, imageId, categoryId, bbox, area, iscrowd, segmentation));
        }
        index++;
      }
    }

    /** Throws in strict mode; counts and skips in lenient mode. */
    private void reject(String record, JsonFields.Problem problem) {
      AnnotationFileException e = f.error(record, problem);
      if (!lenient) {
        throw e;
      }
      skipped.merge(problem.kind(), 1, Integer::sum);
      if (examples.size() < SkipReport.MAX_EXAMPLES) {
        examples.add(e.getMessage());
      }
    }

    // ---- references, checked once every section is read -----------------------------------

    private void checkImageCategoryLists() {
      for (int i = 0; i < images.size(); i++) {
        ImageInfo image = images.get(i);
        checkCategoryList(i, image, "neg_category_ids", image.negCategoryIds());
        checkCategoryList(
            i, image, "not_exhaustive_category_ids", image.notExhaustiveCategoryIds());
      }
    }

    private void checkCategoryList(int index, ImageInfo image, String field, List<Integer> ids) {
      for (int j = 0; j < ids.size(); j++) {
        if (!categoryIndex.containsKey(ids.get(j))) {
          throw f.error(
              label("images", index, true, image.id()),
              field + "[" + j + "]",
              AnnotationProblem.UNKNOWN_CATEGORY,
              "category " + ids.get(j) + " is not declared in categories");
        }
      }
    }

    private void checkAnnotationReferences() {
      int n = annotations.size();
      long[] ids = new long[n];
      for (int i = 0; i < n; i++) {
        ids[i] = annotations.get(i).id();
      }
      Arrays.sort(ids);
      Set<Long> repeated = new HashSet<>();
      for (int i = 1; i < n; i++) {
        if (ids[i] == ids[i - 1]) {
          repeated.add(ids[i]);
        }
      }
      Map<Long, Integer> firstUse = new HashMap<>();
      List<Annotation> kept = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        Annotation a = annotations.get(i);
        int position = annotationPositions[i];
        JsonFields.Problem problem = null;
        if (!imageIndex.containsKey(a.imageId())) {
          problem =
              new JsonFields.Problem(
                  AnnotationProblem.UNKNOWN_IMAGE,
                  "image_id",
                  "image " + a.imageId() + " is not declared in images");
        } else if (!categoryIndex.containsKey(a.categoryId())) {
          problem =
              new JsonFields.Problem(
                  AnnotationProblem.UNKNOWN_CATEGORY,
                  "category_id",
                  "category " + a.categoryId() + " is not declared in categories");
        } else if (repeated.contains(a.id())) {
          Integer first = firstUse.putIfAbsent(a.id(), position);
          if (first != null) {
            problem =
                new JsonFields.Problem(
                    AnnotationProblem.DUPLICATE_ID,
                    "id",
                    "annotation id " + a.id() + " is already used by annotations[" + first + "]");
          }
        }
        if (problem == null) {
          kept.add(a);
        } else {
          reject(label("annotations", position, true, a.id()), problem);
        }
      }
      annotations = kept.size() == n ? annotations : kept;
    }
  }
}
