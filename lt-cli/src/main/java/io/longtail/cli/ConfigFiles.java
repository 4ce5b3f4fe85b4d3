package io.longtail.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.longtail.detection.config.ConfigIo;
import io.longtail.detection.config.DataConfig;
import io.longtail.detection.config.DetectorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads a detector config file for the command line: applies {@code --set key=value} overrides to
 * the YAML tree, lets {@link ConfigIo} validate the result (errors name the file and the key) and
 * resolves relative data paths against the config file's folder.
 */
final class ConfigFiles {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** A dotted key path such as {@code solver.baseLr} or {@code model.roiHeads.classifier.kind}. */
  private static final Pattern KEY =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");

  private ConfigFiles() {}

  /**
   * Reads, overrides, validates and resolves a config file.
   *
   * @param file the YAML file
   * @param overrides {@code key.path=value} strings; values are YAML ({@code 0.01}, {@code [1, 2]},
   *     {@code CAUSAL_NORM})
   * @return the config with absolute data paths
   * @throws IllegalArgumentException naming the file and the key when the file or an override is
   *     invalid, or the file does not exist
   * @throws IOException when the file cannot be read
   */
  static DetectorConfig load(Path file, List<String> overrides) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("config file not found: " + file);
    }
    String text = Files.readString(file);
    String source = file.toString();
    if (!overrides.isEmpty()) {
      text = applyOverrides(text, overrides, source);
      source += " with --set/--max-iter";
    }
    return resolveData(ConfigIo.parse(text, source), file);
  }

  /**
   * Applies {@code key.path=value} overrides to YAML text.
   *
   * @param yaml the config text
   * @param overrides the overrides, in order (a later one wins)
   * @param source the file name for error messages
   * @return the YAML text with the overrides set
   */
  static String applyOverrides(String yaml, List<String> overrides, String source) {
    JsonNode tree;
    try {
      tree = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(source + ": not valid YAML: " + e.getOriginalMessage(), e);
    }
    if (tree == null || tree.isNull() || tree.isMissingNode()) {
      tree = YAML.createObjectNode();
    }
    if (!tree.isObject()) {
      throw new IllegalArgumentException(source + ": expected a mapping at the top level");
    }
    for (String override : overrides) {
      int eq = override.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("--set expects key=value, got '" + override + "'");
      }
      String key = override.substring(0, eq).strip();
      String value = override.substring(eq + 1).strip();
      if (!KEY.matcher(key).matches()) {
        throw new IllegalArgumentException(
            "--set key must be a dotted path such as solver.baseLr, got '" + key + "'");
      }
      if (value.isEmpty()) {
        throw new IllegalArgumentException("--set " + key + ": the value is empty");
      }
      JsonNode parsed;
      try {
        parsed = YAML.readTree(value);
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException(
            "--set " + key + ": not a YAML value: '" + value + "'", e);
      }
      String[] parts = key.split("\\.");
      ObjectNode node = (ObjectNode) tree;
      for (int i = 0; i < parts.length - 1; i++) {
        JsonNode child = node.get(parts[i]);
        if (!(child instanceof ObjectNode)) {
          child = node.putObject(parts[i]);
        }
        node = (ObjectNode) child;
      }
      node.set(parts[parts.length - 1], parsed);
    }
    try {
      return YAML.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the overridden config", e);
    }
  }

  /** Resolves relative data paths against the folder of {@code file}. */
  static DetectorConfig resolveData(DetectorConfig config, Path file) {
    Path base = file.toAbsolutePath().normalize().getParent();
    DataConfig d = config.data();
    return config.withData(
        new DataConfig(
            resolve(base, d.trainAnnotations()),
            resolve(base, d.trainImages()),
            resolve(base, d.valAnnotations()),
            resolve(base, d.valImages())));
  }

  private static String resolve(Path base, String value) {
    if (value == null || value.isBlank()) {
      return value;
    }
    Path p = Path.of(value);
    return p.isAbsolute() || base == null ? value : base.resolve(p).normalize().toString();
  }
}
