package io.longtail.datasets.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.longtail.datasets.lvis.Detection;
import io.longtail.datasets.lvis.LvisDataset;
import io.longtail.datasets.lvis.LvisReader;
import io.longtail.datasets.lvis.ResultsReader;
import io.longtail.datasets.lvis.RleSegmentation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EvalDetectionsTest {

  private static Path resource(String name) throws Exception {
    return Path.of(EvalDetectionsTest.class.getResource("/lvis-eval/" + name).toURI());
  }

  /** The detections back as the model type. */
  private static List<Detection> toList(EvalDetections d) {
    List<Detection> out = new ArrayList<>();
    for (int r = 0; r < d.size(); r++) {
      double[] box = d.hasBox(r) ? Arrays.copyOfRange(d.boxes, 4 * r, 4 * r + 4) : null;
      out.add(new Detection(d.imageIds[r], d.categoryIds[r], box, d.scores[r], d.segmentation(r)));
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"predictions-11-bbox.json", "predictions-12-segm.json"})
  void readsWhatTheCheckedReaderReads(String name) throws Exception {
    Path file = resource(name);
    LvisDataset gt = LvisReader.builder().build().read(resource("lvis-v0.5-val-100.json"));
    List<Detection> expected = ResultsReader.read(file, gt);

    assertThat(toList(EvalDetections.read(file, 2))).containsExactlyElementsOf(expected);
    assertThat(toList(EvalDetections.from(expected))).containsExactlyElementsOf(expected);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3})
  void concatenatesPartsWithAndWithoutBoxesAndMasks(int split) {
    List<Detection> all =
        List.of(
            new Detection(1, 2, new double[] {1, 2, 3, 4}, 0.5, null),
            new Detection(1, 3, null, 0.25, new RleSegmentation(2, 2, "04")),
            new Detection(2, 3, new double[] {0, 0, 1, 1}, 0.75, new RleSegmentation(2, 2, "13")),
            new Detection(3, 4, new double[] {5, 6, 7, 8}, 0.125, null));
    List<EvalDetections.Builder> parts = new ArrayList<>();
    parts.add(EvalDetections.builder());
    parts.add(EvalDetections.builder(1));
    for (int i = 0; i < all.size(); i++) {
      parts.get(i < split ? 0 : 1).add(all.get(i));
    }
    EvalDetections d = EvalDetections.concat(parts);
    assertThat(toList(d)).containsExactlyElementsOf(all);
    assertThat(d.mask(2).area()).isEqualTo(3);
  }
}
