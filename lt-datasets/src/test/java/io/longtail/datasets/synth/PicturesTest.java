package io.longtail.datasets.synth;

import static org.assertj.core.api.Assertions.assertThat;

import io.longtail.datasets.lvis.LvisReader;
import java.nio.file.Path;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PicturesTest {

  @TempDir Path dir;

  @Test
  void theLongTailPlotAndTheSampleGridArePngImages() throws Exception {
    LtShapesConfig config =
        LtShapesConfig.builder()
            .optCategories(8)
            .optTrainImages(30)
            .optValImages(10)
            .optImageSize(96)
            .optMinValImages(2)
            .build();
    SynthSummary s = LtShapesGenerator.builder().optConfig(config).build().generate(dir);
    Path plot = dir.resolve("plot.png");
    LongTailPlot.write(s, plot);
    Path grid = dir.resolve("grid.png");
    SampleGrid.write(
        LvisReader.builder().build().read(s.trainAnnotations()), s.imagesRoot(), grid, 3, 2, 96, 0);
    try (Mat p = opencv_imgcodecs.imread(plot.toString());
        Mat g = opencv_imgcodecs.imread(grid.toString())) {
      assertThat(p.cols()).isEqualTo(1200);
      assertThat(p.rows()).isEqualTo(600);
      assertThat(g.cols()).isEqualTo(3 * 96 + 4 * 4);
      assertThat(g.rows()).isEqualTo(2 * 96 + 3 * 4);
    }
  }
}
