package io.longtail.detection.backbone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BackboneConfigTest {

  @Test
  void namesTheBadSettingAndItsValue() {
    assertThatThrownBy(() -> new BackboneConfig(101, 64, NormKind.GN, 0, 256))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("depth must be 18, 34 or 50, got 101");
    assertThatThrownBy(() -> new BackboneConfig(50, 0, NormKind.GN, 0, 256))
        .hasMessage("baseWidth must be positive, got 0");
    assertThatThrownBy(() -> new BackboneConfig(50, 64, null, 0, 256))
        .hasMessage("norm must not be null");
    assertThatThrownBy(() -> new BackboneConfig(50, 64, NormKind.GN, 6, 256))
        .hasMessage("freezeAt must be in [0, 5], got 6");
    assertThatThrownBy(() -> new BackboneConfig(50, 64, NormKind.GN, -1, 256))
        .hasMessage("freezeAt must be in [0, 5], got -1");
    assertThatThrownBy(() -> new BackboneConfig(50, 64, NormKind.GN, 0, 0))
        .hasMessage("fpnChannels must be positive, got 0");
  }

  @Test
  void defaultsAreAFromScratchResNet50Fpn() {
    assertThat(BackboneConfig.defaults())
        .isEqualTo(new BackboneConfig(50, 64, NormKind.GN, 0, 256));
  }

  @Test
  void backboneCarriesItsConfig() {
    BackboneConfig config = new BackboneConfig(34, 8, NormKind.FROZEN_BN, 2, 32);
    Backbone backbone = new Backbone(config);
    assertThat(backbone.config()).isEqualTo(config);
    assertThat(backbone.resNet().depth()).isEqualTo(34);
    assertThat(backbone.resNet().freezeAt()).isEqualTo(2);
    assertThat(backbone.outChannels()).isEqualTo(32);
  }
}
