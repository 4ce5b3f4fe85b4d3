package io.longtail.detection.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.longtail.detection.backbone.BackboneConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads and writes {@link DetectorConfig} as YAML. A file states only what differs from the
 * defaults: missing keys take each record's documented default. Unknown keys, wrong types and
 * invalid values are errors naming the file and the key path ({@code solver.baseLr}).
 */
public final class ConfigIo {

  private static final ObjectMapper YAML =
      new ObjectMapper(
              new YAMLFactory()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(com.fasterxml.jackson.databind.MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS);

  private ConfigIo() {}

  /**
   * Reads a config file.
   *
   * @param file YAML file
   * @return the validated config
   * @throws IllegalArgumentException naming the file and key when the content is invalid
   * @throws IOException when the file cannot be read
   */
  public static DetectorConfig read(Path file) throws IOException {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("config file not found: " + file);
    }
    return parse(text, file.toString());
  }

  /**
   * Parses YAML text.
   *
   * @param yaml the text
   * @param source name for error messages
   * @return the validated config
   */
  public static DetectorConfig parse(String yaml, String source) {
    JsonNode user;
    try {
      user = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          source + ": not valid YAML: " + e.getOriginalMessage() + location(e), e);
    }
    ObjectNode merged = YAML.createObjectNode();
    if (user != null && !user.isNull() && !user.isMissingNode()) {
      if (!user.isObject()) {
        throw new IllegalArgumentException(source + ": expected a mapping at the top level");
      }
      merged = (ObjectNode) user;
    }
    // Records with boxed fields fill their own defaults (some depend on other fields, e.g. the
    // inference mode on the classifier kind). The backbone record has primitive fields: merge the
    // file's backbone section onto the default backbone.
    JsonNode model = merged.get("model");
    if (model instanceof ObjectNode modelNode
        && modelNode.get("backbone") instanceof ObjectNode b) {
      ObjectNode backbone = YAML.valueToTree(BackboneConfig.defaults());
      merge(backbone, b);
      modelNode.set("backbone", backbone);
    }
    try {
      return YAML.treeToValue(merged, DetectorConfig.class);
    } catch (JsonMappingException e) {
      Throwable cause = e.getCause();
      String what =
          cause instanceof IllegalArgumentException ? cause.getMessage() : e.getOriginalMessage();
      throw new IllegalArgumentException(source + ": " + path(e) + what, e);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(source + ": " + e.getOriginalMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
  }

  /** The config as YAML (complete: defaults included). */
  public static String toYaml(DetectorConfig config) {
    try {
      return YAML.writeValueAsString(config);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("config cannot be written as YAML", e);
    }
  }

  /** The all-defaults config. */
  public static DetectorConfig defaults() {
    return new DetectorConfig(null, null, null, null, null);
  }

  private static void merge(ObjectNode base, ObjectNode update) {
    Iterator<Map.Entry<String, JsonNode>> fields = update.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      JsonNode existing = base.get(e.getKey());
      if (existing instanceof ObjectNode && e.getValue().isObject()) {
        merge((ObjectNode) existing, (ObjectNode) e.getValue());
      } else {
        base.set(e.getKey(), e.getValue());
      }
    }
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.length() == 0 ? "" : sb + ": ";
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null
        ? ""
        : " (line "
            + e.getLocation().getLineNr()
            + ", column "
            + e.getLocation().getColumnNr()
            + ")";
  }
}
