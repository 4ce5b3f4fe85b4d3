package io.longtail.detection.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longtail.core.classifier.InferenceMode;
import io.longtail.detection.backbone.NormKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigIoTest {

  @Test
  void missingKeysTakeTheDefaults() {
    DetectorConfig c =
        ConfigIo.parse(
            "roiHeads: {classifier: {kind: causal_norm}}\n"
                .replace("roiHeads", "model:\n  roiHeads"),
            "x");
    assertThat(c.model().roiHeads().classifier().kind()).isEqualTo(ClassifierKind.CAUSAL_NORM);
    // Causal-norm defaults to background-exempted inference; everything else keeps its default.
    assertThat(c.model().roiHeads().classifier().inference())
        .isEqualTo(InferenceMode.BACKGROUND_EXEMPT);
    assertThat(c.model().roiHeads().batchSizePerImage()).isEqualTo(512);
    assertThat(c.model().backbone().depth()).isEqualTo(50);
    assertThat(c.model().backbone().norm()).isEqualTo(NormKind.GN);
    assertThat(c.solver().baseLr()).isEqualTo(0.02f);
    assertThat(c.solver().steps()).containsExactly(60000, 80000);
    assertThat(c.categories()).isEmpty();
  }

  @Test
  void anEmptyFileIsTheDefaultConfig() {
    assertThat(ConfigIo.parse("", "empty")).isEqualTo(ConfigIo.defaults());
  }

  @Test
  void roundTripsThroughYaml() {
    DetectorConfig c =
        ConfigIo.parse("solver: {maxIter: 10, steps: [5]}\n", "x")
            .withCategories(List.of(new CategoryRef(3, "cat"), new CategoryRef(9, "dog")));
    assertThat(ConfigIo.parse(ConfigIo.toYaml(c), "again")).isEqualTo(c);
  }

  @Test
  void invalidValuesNameTheSourceAndKey() {
    assertThatThrownBy(() -> ConfigIo.parse("solver: {baseLr: -1}\n", "my.yaml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("my.yaml: ")
        .hasMessageContaining("solver.baseLr must be positive, got -1.0");
    assertThatThrownBy(() -> ConfigIo.parse("model: {backbone: {depth: 101}}\n", "my.yaml"))
        .hasMessageContaining("depth must be 18, 34 or 50, got 101");
    assertThatThrownBy(() -> ConfigIo.parse("solver: {steps: [5, 3]}\n", "my.yaml"))
        .hasMessageContaining("solver.steps must be positive and increasing, got [5, 3]");
    assertThatThrownBy(
            () ->
                ConfigIo.parse(
                    "model: {roiHeads: {classifier: {kind: linear, inference: tde}}}\n", "my.yaml"))
        .hasMessageContaining("classifier.inference TDE needs classifier.kind CAUSAL_NORM");
  }

  @Test
  void unknownKeysAndBadTypesAreErrors() {
    assertThatThrownBy(() -> ConfigIo.parse("solver: {baseLR: 0.1}\n", "my.yaml"))
        .hasMessageStartingWith("my.yaml: ")
        .hasMessageContaining("baseLR");
    assertThatThrownBy(() -> ConfigIo.parse("solver: {maxIter: lots}\n", "my.yaml"))
        .hasMessageStartingWith("my.yaml: solver.maxIter: ");
    assertThatThrownBy(() -> ConfigIo.parse("solver: [1, 2\n", "my.yaml"))
        .hasMessageStartingWith("my.yaml: not valid YAML");
  }

  @Test
  void missingFileIsNamed(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> ConfigIo.read(dir.resolve("nope.yaml")))
        .hasMessage("config file not found: " + dir.resolve("nope.yaml"));
    Path f = dir.resolve("ok.yaml");
    Files.writeString(f, "input: {minSizeTrain: 256}\n");
    assertThat(ConfigIo.read(f).input().minSizeTrain()).isEqualTo(256);
  }
}
