package io.longtail.segmentation.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.longtail.detection.config.ClassifierKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ShippedConfigsTest {

  @Test
  void everyShippedConfigIsAValidCausalNormMaskRcnnConfig() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(Path.of("configs"))) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(2);
    for (Path f : files) {
      assertThat(MaskRcnnConfigIo.isMaskRcnn(f)).as(f.toString()).isTrue();
      MaskRcnnConfig c = MaskRcnnConfigIo.read(f);
      assertThat(c.detector().model().roiHeads().classifier().kind())
          .as(f.toString())
          .isEqualTo(ClassifierKind.CAUSAL_NORM);
      assertThat(c.mask().maskSize()).isEqualTo(28);
    }
  }
}
