package io.longtail.datasets.synth;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes an LT-Shapes split as an LVIS v1 annotation file with Jackson's streaming generator.
 *
 * <p>Layout: {@code info}, {@code licenses}, {@code categories} (with {@code frequency}, {@code
 * image_count}, {@code instance_count} from the train split, identical in both files as in LVIS
 * v1), {@code images} (with {@code coco_url} = {@code images/<split>/<id>.<ext>}, relative to the
 * dataset folder, whose last two parts {@code <split>/<id>.<ext>} are the file name LVIS readers
 * take, {@code neg_category_ids}, {@code not_exhaustive_category_ids}), then {@code annotations}
 * (LVIS v1 has no {@code iscrowd}).
 */
final class LvisJsonWriter {

  private static final JsonFactory FACTORY = new JsonFactory();

  private LvisJsonWriter() {}

  /** One image of the file and its folder-relative url. */
  record ImageEntry(Scene scene, String cocoUrl) {}

  static void write(
      Path file,
      LtShapesConfig config,
      String split,
      List<CategoryStats> categories,
      List<ImageEntry> images,
      long firstAnnotationId)
      throws IOException {
    try (JsonGenerator g = FACTORY.createGenerator(file.toFile(), JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeObjectFieldStart("info");
      g.writeStringField("description", "LT-Shapes: a generated long-tailed dataset, " + split);
      g.writeStringField("version", "1.0");
      g.writeStringField("generator", "io.longtail.datasets.synth.LtShapesGenerator");
      g.writeNumberField("seed", config.seed());
      g.writeNumberField("categories", config.categories());
      g.writeNumberField("train_images", config.trainImages());
      g.writeNumberField("val_images", config.valImages());
      g.writeNumberField("imbalance", config.imbalance());
      g.writeStringField("profile", config.profile().name().toLowerCase(java.util.Locale.ROOT));
      g.writeNumberField("image_size", config.imageSize());
      g.writeEndObject();

      g.writeArrayFieldStart("licenses");
      g.writeStartObject();
      g.writeNumberField("id", 1);
      g.writeStringField("name", "generated; no restrictions");
      g.writeStringField("url", "");
      g.writeEndObject();
      g.writeEndArray();

      g.writeArrayFieldStart("categories");
      for (CategoryStats s : categories) {
        ShapeCategory c = s.category();
        g.writeStartObject();
        g.writeNumberField("id", c.id());
        g.writeStringField("name", c.name());
        g.writeStringField("synset", "lt_shapes." + c.name());
        g.writeArrayFieldStart("synonyms");
        g.writeString(c.name());
        g.writeEndArray();
        g.writeStringField("def", c.definition());
        g.writeStringField("frequency", s.frequency().code());
        g.writeNumberField("image_count", s.trainImages());
        g.writeNumberField("instance_count", s.trainInstances());
        g.writeEndObject();
      }
      g.writeEndArray();

      g.writeArrayFieldStart("images");
      for (ImageEntry e : images) {
        Scene s = e.scene();
        g.writeStartObject();
        g.writeNumberField("id", s.imageId());
        g.writeNumberField("width", s.width());
        g.writeNumberField("height", s.height());
        g.writeNumberField("license", 1);
        g.writeStringField("coco_url", e.cocoUrl());
        writeIds(g, "neg_category_ids", s.negCategoryIds());
        writeIds(g, "not_exhaustive_category_ids", s.notExhaustiveCategoryIds());
        g.writeEndObject();
      }
      g.writeEndArray();

      g.writeArrayFieldStart("annotations");
      long id = firstAnnotationId;
      for (ImageEntry e : images) {
        for (Scene.Instance inst : e.scene().instances()) {
          if (!inst.annotated()) {
            continue;
          }
          g.writeStartObject();
          g.writeNumberField("id", id++);
          g.writeNumberField("image_id", e.scene().imageId());
          g.writeNumberField("category_id", inst.shape().category().id());
          g.writeArrayFieldStart("segmentation");
          for (double[] part : inst.parts()) {
            g.writeArray(part, 0, part.length);
          }
          g.writeEndArray();
          g.writeNumberField("area", inst.area());
          g.writeFieldName("bbox");
          g.writeArray(inst.bbox(), 0, 4);
          g.writeEndObject();
        }
      }
      g.writeEndArray();
      g.writeEndObject();
    }
  }

  private static void writeIds(JsonGenerator g, String field, List<Integer> ids)
      throws IOException {
    g.writeArrayFieldStart(field);
    for (int id : ids) {
      g.writeNumber(id);
    }
    g.writeEndArray();
  }
}
