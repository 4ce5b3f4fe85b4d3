package io.longtail.segmentation.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.longtail.datasets.eval.IouType;
import io.longtail.datasets.eval.LvisEvalResult;
import io.longtail.datasets.eval.Metric;
import io.longtail.datasets.lvis.Annotation;
import io.longtail.datasets.lvis.Detection;
import io.longtail.datasets.lvis.ImageInfo;
import io.longtail.datasets.lvis.LvisDataset;
import io.longtail.datasets.lvis.LvisReader;
import io.longtail.datasets.lvis.PolygonSegmentation;
import io.longtail.datasets.lvis.RleSegmentation;
import io.longtail.datasets.mask.Rle;
import io.longtail.datasets.pipeline.InstanceMask;
import io.longtail.datasets.synth.LtShapesConfig;
import io.longtail.datasets.synth.LtShapesGenerator;
import io.longtail.segmentation.masks.MaskPaste;
import io.longtail.segmentation.masks.MaskTargets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mask pipeline without a network: every ground-truth instance of an LT-Shapes split is turned
 * into a 28 x 28 training target at its box, pasted back into its image as a prediction would be,
 * encoded as RLE and evaluated with the LVIS segm evaluator. A perfect mask head could not beat
 * this, so it bounds what the pipeline loses (28 x 28 resolution, paste) and checks that targets,
 * paste, RLE and results agree on coordinates.
 */
class GroundTruthMaskRoundTripTest {

  @Test
  void groundTruthThroughTargetsAndPasteScoresNearPerfectSegmAp(@TempDir Path dir)
      throws Exception {
    LtShapesGenerator.builder()
        .optConfig(
            LtShapesConfig.builder()
                .optCategories(6)
                .optTrainImages(12)
                .optValImages(30)
                .optImageSize(128)
                .optSeed(9)
                .build())
        .optProgressBar(false)
        .build()
        .generate(dir);
    LvisDataset val = LvisReader.builder().build().read(dir.resolve(LtShapesGenerator.VAL_FILE));
    List<Detection> results = new ArrayList<>();
    for (Annotation a : val.annotations()) {
      ImageInfo image = val.image(a.imageId());
      double[] b = a.bbox();
      float[] box = {(float) b[0], (float) b[1], (float) (b[0] + b[2]), (float) (b[1] + b[3])};
      double[][] parts = ((PolygonSegmentation) a.segmentation()).parts();
      float[] target =
          MaskTargets.target(
              new InstanceMask.Polygons(parts), box, image.height(), image.width(), 28);
      Rle mask = MaskPaste.pasteToRle(target, 28, box, image.height(), image.width(), 0.5f);
      results.add(
          new Detection(
              a.imageId(),
              a.categoryId(),
              b,
              1.0,
              new RleSegmentation(mask.height(), mask.width(), mask.toCompressedString())));
    }
    LvisEvalResult segm = MaskRcnnEvaluation.evaluate(val, results, IouType.SEGM, 2);
    System.out.println("ground truth through 28x28 targets and paste:\n" + segm.formatTable());
    assertThat(segm.get(Metric.AP50)).isGreaterThan(0.97);
    assertThat(segm.get(Metric.AP)).isGreaterThan(0.8);
  }
}
