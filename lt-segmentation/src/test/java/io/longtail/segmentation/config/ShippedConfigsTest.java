package io.longtail.segmentation.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.longtail.detection.config.ClassifierKind;
import io.longtail.detection.config.ConfigIo;
import io.longtail.detection.config.DataConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The Mask R-CNN configs in the repository's {@code configs/} folder (beside the detector's). */
class ShippedConfigsTest {

  /** The repository's configs folder, seen from this module's directory (Maven's basedir). */
  private static final Path CONFIGS = Path.of("..", "configs");

  @Test
  void everyShippedMaskRcnnConfigIsAValidCausalNormMaskRcnnConfig() throws Exception {
    List<Path> files = maskRcnnConfigs();
    assertThat(files)
        .extracting(f -> f.getFileName().toString())
        .contains(
            "lt-shapes-mask-rcnn-causal-norm.yaml", "lvis-v1-r50-fpn-mask-rcnn-causal-norm.yaml");
    for (Path f : files) {
      MaskRcnnConfig c = MaskRcnnConfigIo.read(f);
      assertThat(c.detector().model().roiHeads().classifier().kind())
          .as(f.toString())
          .isEqualTo(ClassifierKind.CAUSAL_NORM);
      assertThat(c.mask().maskSize()).as(f.toString()).isEqualTo(28);
    }
  }

  @Test
  void dataPathsResolveFromTheConfigsFolderLikeThoseOfTheDetectorConfigs() throws Exception {
    Path root = CONFIGS.toAbsolutePath().normalize().getParent();
    for (Path f : maskRcnnConfigs()) {
      DataConfig data = MaskRcnnConfigIo.read(f).detector().data();
      List<String> paths =
          List.of(data.trainAnnotations(), data.trainImages(), data.valAnnotations());
      for (String p : paths) {
        Path resolved = f.toAbsolutePath().getParent().resolve(p).normalize();
        assertThat(root.relativize(resolved).getName(0).toString())
            .as("%s: %s", f, p)
            .isIn("data", "datasets");
      }
      // The detector the file extends sits beside it and reads the same data.
      Path detector =
          CONFIGS.resolve(f.getFileName().toString().replace("-mask-rcnn-", "-")).normalize();
      assertThat(detector).as("detector config of " + f).isRegularFile();
      assertThat(data).as(f.toString()).isEqualTo(ConfigIo.read(detector).data());
    }
  }

  private static List<Path> maskRcnnConfigs() throws Exception {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.list(CONFIGS)) {
      for (Path f : s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        if (MaskRcnnConfigIo.isMaskRcnn(f)) {
          files.add(f);
        }
      }
    }
    return files;
  }
}
