package io.longtail.segmentation.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.longtail.detection.config.ConfigIo;
import io.longtail.detection.config.DetectorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads and writes {@link MaskRcnnConfig} as YAML: a detector config ({@link ConfigIo}: defaults
 * merged under what the file states, unknown keys are errors) with one more top-level section,
 * {@code mask:}, whose presence makes the file a Mask R-CNN config:
 *
 * <pre>
 * model: {backbone: {depth: 50}, roiHeads: {classifier: {kind: CAUSAL_NORM}}}
 * mask: {convDim: 256, numConv: 4}     # or "mask: {}" for all defaults
 * </pre>
 *
 * Errors name the source and the key ({@code mask.convDim must be positive, got 0}).
 */
public final class MaskRcnnConfigIo {

  /** The top-level key of the mask head section. */
  public static final String MASK_KEY = "mask";

  private static final ObjectMapper YAML =
      new ObjectMapper(
              new YAMLFactory()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private MaskRcnnConfigIo() {}

  /**
   * Reads a config file.
   *
   * @param file YAML file with a {@code mask:} section
   * @return the validated config
   * @throws IllegalArgumentException naming the file and key when the content is invalid or has no
   *     {@code mask:} section
   * @throws IOException when the file cannot be read
   */
  public static MaskRcnnConfig read(Path file) throws IOException {
    return parse(readText(file), file.toString());
  }

  /**
   * Parses YAML text.
   *
   * @param yaml the text, with a top-level {@code mask:} section
   * @param source name for error messages
   * @return the validated config
   * @throws IllegalArgumentException naming the source and key when the content is invalid or has
   *     no {@code mask:} section
   */
  public static MaskRcnnConfig parse(String yaml, String source) {
    ObjectNode root = tree(yaml, source);
    if (root == null || !root.has(MASK_KEY)) {
      throw new IllegalArgumentException(
          source + ": not a Mask R-CNN config (no top-level '" + MASK_KEY + ":' section)");
    }
    JsonNode maskNode = root.remove(MASK_KEY);
    MaskHeadConfig mask;
    if (maskNode == null || maskNode.isNull()) {
      mask = MaskHeadConfig.defaults();
    } else if (!maskNode.isObject()) {
      throw new IllegalArgumentException(source + ": " + MASK_KEY + " must be a mapping");
    } else {
      mask = bindMask(maskNode, source);
    }
    String detectorYaml;
    try {
      detectorYaml = root.isEmpty() ? "" : YAML.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("config tree cannot be written back as YAML", e);
    }
    DetectorConfig detector = ConfigIo.parse(detectorYaml, source);
    return new MaskRcnnConfig(detector, mask);
  }

  /**
   * Whether YAML text is a Mask R-CNN config (has a top-level {@code mask:} section), for commands
   * that accept both detector and Mask R-CNN configs or checkpoints.
   *
   * @param yaml the text
   * @return {@code true} when it has a top-level {@code mask} key; {@code false} also for text that
   *     is not a YAML mapping
   */
  public static boolean isMaskRcnn(String yaml) {
    try {
      JsonNode root = YAML.readTree(yaml);
      return root != null && root.isObject() && root.has(MASK_KEY);
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  /**
   * Whether a config file is a Mask R-CNN config ({@link #isMaskRcnn(String)}).
   *
   * @param file YAML file
   * @return whether it has a {@code mask:} section
   * @throws IOException when the file cannot be read
   */
  public static boolean isMaskRcnn(Path file) throws IOException {
    return isMaskRcnn(readText(file));
  }

  /** The config as YAML (complete: defaults included), readable by {@link #parse}. */
  public static String toYaml(MaskRcnnConfig config) {
    try {
      ObjectNode root = (ObjectNode) YAML.readTree(ConfigIo.toYaml(config.detector()));
      root.set(MASK_KEY, YAML.valueToTree(config.mask()));
      return YAML.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("config cannot be written as YAML", e);
    }
  }

  /** The all-defaults config (the detector's defaults and a default mask head). */
  public static MaskRcnnConfig defaults() {
    return new MaskRcnnConfig(ConfigIo.defaults(), MaskHeadConfig.defaults());
  }

  private static String readText(Path file) throws IOException {
    try {
      return Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("config file not found: " + file);
    }
  }

  private static ObjectNode tree(String yaml, String source) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " (line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr()
                  + ")";
      throw new IllegalArgumentException(
          source + ": not valid YAML: " + e.getOriginalMessage() + where, e);
    }
    if (root == null || root.isNull() || root.isMissingNode()) {
      return null;
    }
    if (!root.isObject()) {
      throw new IllegalArgumentException(source + ": expected a mapping at the top level");
    }
    return (ObjectNode) root;
  }

  private static MaskHeadConfig bindMask(JsonNode node, String source) {
    try {
      return YAML.treeToValue(node, MaskHeadConfig.class);
    } catch (JsonMappingException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IllegalArgumentException) {
        throw new IllegalArgumentException(source + ": " + cause.getMessage(), e);
      }
      StringBuilder path = new StringBuilder(MASK_KEY);
      for (JsonMappingException.Reference r : e.getPath()) {
        if (r.getFieldName() != null) {
          path.append('.').append(r.getFieldName());
        }
      }
      throw new IllegalArgumentException(source + ": " + path + ": " + e.getOriginalMessage(), e);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(source + ": " + e.getOriginalMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
  }
}
