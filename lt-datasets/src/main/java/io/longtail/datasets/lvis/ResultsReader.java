package io.longtail.datasets.lvis;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a COCO/LVIS results file (as written by {@link ResultsWriter} or by detectron2 and the
 * official tools) and checks it against the ground-truth dataset.
 *
 * <p>Each record needs {@code image_id} (an image of the dataset), {@code category_id} (a category
 * of the dataset), a finite {@code score}, and a {@code bbox} (four finite numbers, {@code w, h >=
 * 0}) or a compressed RLE {@code segmentation} whose {@code size} is the image's {@code [height,
 * width]}, or both. Other fields are ignored. Any problem throws an {@link AnnotationFileException}
 * naming the file, the record ({@code results[12]}) and the field.
 */
public final class ResultsReader {

  private ResultsReader() {}

  /**
   * Reads and checks a results file.
   *
   * @param file a JSON array of results, optionally gzip-compressed ({@code .gz})
   * @param dataset the ground truth the results refer to
   * @return the detections, in file order
   * @throws AnnotationFileException for bad content, naming file, record and field
   * @throws IOException if the file cannot be read
   */
  public static List<Detection> read(Path file, LvisDataset dataset) throws IOException {
    JsonFields f = JsonFields.open(file);
    try {
      return read(f, dataset);
    } finally {
      f.close();
    }
  }

  private static List<Detection> read(JsonFields f, LvisDataset dataset) throws IOException {
    JsonParser p = f.parser();
    JsonToken t = f.next(null);
    if (t == null) {
      throw f.error(null, null, AnnotationProblem.NOT_JSON, "the file is empty");
    }
    if (t != JsonToken.START_ARRAY) {
      throw f.error(null, null, AnnotationProblem.WRONG_TYPE, "expected a JSON array of results");
    }
    List<Detection> detections = new ArrayList<>();
    int index = 0;
    while (f.next(null) != JsonToken.END_ARRAY) {
      f.position("results", index);
      f.beginRecord();
      long imageId = 0;
      boolean hasImageId = false;
      int categoryId = 0;
      boolean hasCategoryId = false;
      double[] bbox = null;
      double score = 0;
      boolean hasScore = false;
      RleSegmentation segmentation = null;
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
            case "image_id" -> {
              imageId = f.readLong(name);
              hasImageId = true;
            }
            case "category_id" -> {
              categoryId = f.readInt(name);
              hasCategoryId = true;
            }
            case "bbox" -> bbox = f.readBbox(name);
            case "score" -> {
              score = f.readDouble(name);
              hasScore = true;
            }
            case "segmentation" -> segmentation = (RleSegmentation) f.readRle(name, false);
            default -> f.skip(null);
          }
        }
        if (!hasImageId) {
          f.fail(AnnotationProblem.MISSING_FIELD, "image_id", "is required");
        }
        if (!hasCategoryId) {
          f.fail(AnnotationProblem.MISSING_FIELD, "category_id", "is required");
        }
        if (!hasScore) {
          f.fail(AnnotationProblem.MISSING_FIELD, "score", "is required");
        }
        if (f.problem() == null && bbox == null && segmentation == null) {
          f.fail(AnnotationProblem.MISSING_FIELD, "bbox", "a result needs bbox or segmentation");
        }
        if (f.problem() == null && !dataset.hasImage(imageId)) {
          f.fail(
              AnnotationProblem.UNKNOWN_IMAGE,
              "image_id",
              "image " + imageId + " is not in the ground truth");
        }
        if (f.problem() == null && !dataset.hasCategory(categoryId)) {
          f.fail(
              AnnotationProblem.UNKNOWN_CATEGORY,
              "category_id",
              "category " + categoryId + " is not in the ground truth");
        }
        if (f.problem() == null && segmentation != null) {
          ImageInfo image = dataset.image(imageId);
          if (segmentation.height() != image.height() || segmentation.width() != image.width()) {
            f.fail(
                AnnotationProblem.BAD_VALUE,
                "segmentation.size",
                "must be the image size ["
                    + image.height()
                    + ", "
                    + image.width()
                    + "], got ["
                    + segmentation.height()
                    + ", "
                    + segmentation.width()
                    + "]");
          }
        }
      }
      if (f.problem() != null) {
        throw f.error("results[" + index + "]", f.problem());
      }
      detections.add(new Detection(imageId, categoryId, bbox, score, segmentation));
      index++;
    }
    f.position(null, -1);
    if (f.next(null) != null) {
      throw f.error(
          null, null, AnnotationProblem.NOT_JSON, "unexpected content after the results array");
    }
    return detections;
  }
}
