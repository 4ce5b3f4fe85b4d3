package io.longtail.datasets.synth;

import io.longtail.datasets.lvis.Annotation;
import io.longtail.datasets.lvis.Detection;
import io.longtail.datasets.lvis.ImageInfo;
import io.longtail.datasets.lvis.LvisDataset;
import io.longtail.datasets.lvis.PolygonSegmentation;
import io.longtail.datasets.lvis.ResultsWriter;
import io.longtail.datasets.lvis.RleSegmentation;
import io.longtail.datasets.lvis.UncompressedRleSegmentation;
import io.longtail.datasets.mask.Masks;
import io.longtail.datasets.mask.Rle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The ground truth of a dataset written as detection results (score 1, the annotation's box and its
 * mask as compressed RLE): evaluating them against the same annotations must give AP = 1, a check
 * of the dataset and of the evaluator together.
 */
public final class GroundTruthResults {

  private GroundTruthResults() {}

  /** One detection per non-crowd annotation, in annotation order. */
  public static List<Detection> of(LvisDataset dataset) {
    List<Detection> out = new ArrayList<>(dataset.annotations().size());
    for (Annotation a : dataset.annotations()) {
      if (a.iscrowd()) {
        continue;
      }
      ImageInfo image = dataset.image(a.imageId());
      RleSegmentation segm = null;
      if (a.segmentation() instanceof PolygonSegmentation p) {
        Rle rle = Masks.fromPolygons(p.parts(), image.height(), image.width());
        segm = new RleSegmentation(rle.height(), rle.width(), rle.toCompressedString());
      } else if (a.segmentation() instanceof RleSegmentation r) {
        segm = r;
      } else if (a.segmentation() instanceof UncompressedRleSegmentation u) {
        Rle rle = Rle.fromCounts(u.counts(), u.height(), u.width());
        segm = new RleSegmentation(rle.height(), rle.width(), rle.toCompressedString());
      }
      out.add(new Detection(a.imageId(), a.categoryId(), a.bbox(), 1.0, segm));
    }
    return out;
  }

  /** Writes {@link #of} as an LVIS results file. */
  public static void write(LvisDataset dataset, Path results) throws IOException {
    ResultsWriter.write(results, of(dataset));
  }
}
