package io.longtail.segmentation.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longtail.detection.config.ClassifierKind;
import org.junit.jupiter.api.Test;

class MaskRcnnConfigIoTest {

  @Test
  void readsTheDetectorConfigAndTheMaskSection() {
    MaskRcnnConfig c =
        MaskRcnnConfigIo.parse(
            "model: {roiHeads: {classifier: {kind: CAUSAL_NORM}}}\n"
                + "mask: {convDim: 64, numConv: 2, lossWeight: 0.5}\n",
            "test.yaml");
    assertThat(c.detector().model().roiHeads().classifier().kind())
        .isEqualTo(ClassifierKind.CAUSAL_NORM);
    assertThat(c.mask().convDim()).isEqualTo(64);
    assertThat(c.mask().numConv()).isEqualTo(2);
    assertThat(c.mask().lossWeight()).isEqualTo(0.5f);
    assertThat(c.mask().poolerResolution()).isEqualTo(14);
    assertThat(c.mask().maskSize()).isEqualTo(28);
  }

  @Test
  void anEmptyMaskSectionMeansDefaults() {
    assertThat(MaskRcnnConfigIo.parse("mask: {}\n", "a").mask())
        .isEqualTo(MaskHeadConfig.defaults());
    assertThat(MaskRcnnConfigIo.parse("mask:\n", "b").mask()).isEqualTo(MaskHeadConfig.defaults());
  }

  @Test
  void writtenYamlReadsBackEqual() {
    MaskRcnnConfig c =
        MaskRcnnConfigIo.parse(
            "solver: {maxIter: 7}\nmask: {classAgnostic: true, threshold: 0.4}\n", "x");
    String yaml = MaskRcnnConfigIo.toYaml(c);
    assertThat(MaskRcnnConfigIo.isMaskRcnn(yaml)).isTrue();
    assertThat(MaskRcnnConfigIo.parse(yaml, "again")).isEqualTo(c);
  }

  @Test
  void detectorConfigsAreNotMaskConfigs() {
    assertThat(MaskRcnnConfigIo.isMaskRcnn("solver: {maxIter: 7}\n")).isFalse();
    assertThat(MaskRcnnConfigIo.isMaskRcnn("[1, 2]")).isFalse();
    assertThatThrownBy(() -> MaskRcnnConfigIo.parse("solver: {maxIter: 7}\n", "det.yaml"))
        .hasMessageContaining("det.yaml: not a Mask R-CNN config");
  }

  @Test
  void errorsNameTheSourceAndTheKey() {
    assertThatThrownBy(() -> MaskRcnnConfigIo.parse("mask: {convDim: 0}\n", "f.yaml"))
        .hasMessage("f.yaml: mask.convDim must be positive, got 0");
    assertThatThrownBy(() -> MaskRcnnConfigIo.parse("mask: {convDims: 3}\n", "f.yaml"))
        .hasMessageContaining("f.yaml: mask.convDims");
    assertThatThrownBy(() -> MaskRcnnConfigIo.parse("mask: {numConv: many}\n", "f.yaml"))
        .hasMessageContaining("f.yaml: mask.numConv");
    assertThatThrownBy(() -> MaskRcnnConfigIo.parse("mask: {}\nsolver: {baseLr: -1}\n", "f.yaml"))
        .hasMessageContaining("f.yaml")
        .hasMessageContaining("solver.baseLr");
  }
}
