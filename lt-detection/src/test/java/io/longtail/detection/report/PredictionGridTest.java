package io.longtail.detection.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import io.longtail.datasets.lvis.Annotation;
import io.longtail.datasets.lvis.Category;
import io.longtail.datasets.lvis.Frequency;
import io.longtail.datasets.lvis.ImageInfo;
import io.longtail.datasets.lvis.LvisDataset;
import io.longtail.detection.report.DetectionPainter.LabelledBox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictionGridTest {

  /** Images 1..6: 1-2 frequent, 3 common, 4 rare, 5 frequent + rare, 6 common with 5 boxes. */
  static LvisDataset dataset() {
    List<Category> categories =
        List.of(
            new Category(1, "often", Frequency.FREQUENT, 200, 300, List.of()),
            new Category(2, "sometimes", Frequency.COMMON, 50, 60, List.of()),
            new Category(3, "seldom", Frequency.RARE, 3, 3, List.of()));
    List<ImageInfo> images = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      images.add(new ImageInfo(i, 64, 48, i + ".png", List.of(), List.of()));
    }
    int[][] anns = {
      {1, 1}, {2, 1}, {3, 2}, {4, 3}, {5, 1}, {5, 3}, {6, 2}, {6, 2}, {6, 2}, {6, 2}, {6, 2}
    };
    List<Annotation> annotations = new ArrayList<>();
    for (int a = 0; a < anns.length; a++) {
      annotations.add(
          new Annotation(
              a + 1, anns[a][0], anns[a][1], new double[] {4, 4, 20, 16}, 320, false, null));
    }
    return LvisDataset.of(categories, images, annotations);
  }

  @Test
  void picksRareCommonFrequentInTurnWithUnseenCategories() {
    List<ImageInfo> picked = PredictionGrid.pickImages(dataset(), 3);
    assertThat(picked).extracting(ImageInfo::id).containsExactly(4L, 3L, 1L);
  }

  @Test
  void fillsInIdOrderWhenTheTailRunsOut() {
    List<ImageInfo> picked = PredictionGrid.pickImages(dataset(), 5);
    // After rare (4), common (3) and frequent (1) every category has been shown.
    assertThat(picked).extracting(ImageInfo::id).containsExactly(4L, 3L, 1L, 2L, 5L);
  }

  @Test
  void groundTruthColumnHoldsEveryBoxWithoutScores() {
    LvisDataset d = dataset();
    PredictionGrid.Column gt = PredictionGrid.groundTruth(d, d.images(), "ground truth");
    assertThat(gt.boxes().get(5L))
        .extracting(LabelledBox::name)
        .containsExactlyInAnyOrder("often", "seldom");
    LabelledBox box = gt.boxes().get(4L).get(0);
    assertThat(box.score()).isNaN();
    assertThat(box.x2()).isEqualTo(24);
    assertThat(box.classIndex()).isEqualTo(2);
  }

  @Test
  void writesATitledGridOfTiles(@TempDir Path dir) throws Exception {
    LvisDataset d = dataset();
    for (ImageInfo image : d.images()) {
      Mat m = new Mat(48, 64, CV_8UC3, new Scalar(90, 120, 150, 0));
      assertThat(opencv_imgcodecs.imwrite(dir.resolve(image.fileName()).toString(), m)).isTrue();
    }
    List<ImageInfo> rows = d.images().subList(0, 2);
    List<PredictionGrid.Column> columns =
        List.of(
            PredictionGrid.groundTruth(d, rows, "ground truth"),
            new PredictionGrid.Column(
                "model", Map.of(1L, List.of(new LabelledBox(0, 0, 30, 30, 0, "often", 0.9)))));
    Path png = dir.resolve("out/grid.png");
    PredictionGrid.write(png, dir, rows, columns, 128);
    assertThat(Files.isRegularFile(png)).isTrue();
    Mat grid = opencv_imgcodecs.imread(png.toString());
    // 2 columns and 2 rows of 128 px tiles with 6 px gaps and a 34 px title row.
    assertThat(grid.cols()).isEqualTo(2 * 128 + 3 * 6);
    assertThat(grid.rows()).isEqualTo(34 + 2 * 128 + 3 * 6);
  }
}
