package io.longtail.datasets.eval;

import io.longtail.datasets.lvis.PolygonSegmentation;
import io.longtail.datasets.lvis.RleSegmentation;
import io.longtail.datasets.lvis.Segmentation;
import io.longtail.datasets.lvis.UncompressedRleSegmentation;
import io.longtail.datasets.mask.MaskIou;
import io.longtail.datasets.mask.Masks;
import io.longtail.datasets.mask.Rle;
import java.util.ArrayList;
import java.util.List;

/**
 * Mask IoU (pycocotools {@code rleIou}, no crowd) through {@link MaskIou}. Masks are decoded when
 * their image is evaluated and dropped afterwards, so only compressed strings stay in memory.
 *
 * <p>Ground truth becomes a mask as lvis-api's {@code ann_to_rle} does: polygons rasterised at the
 * image size and merged, RLEs as given. A detection uses its mask, or, for box-only results, the
 * polygon of its box (lvis-api puts {@code [[x1, y1, x1, y2, x2, y2, x2, y1]]} there).
 */
final class MaskGeometry implements Geometry {

  private final EvalGroundTruth gt;
  private final EvalDetections dt;
  private final double[] dtArea;

  /**
   * @param dtArea detection areas, filled from the masks here when not null (mask-only results:
   *     lvis-api's area is then the mask's pixel count)
   */
  MaskGeometry(EvalGroundTruth gt, EvalDetections dt, double[] dtArea) {
    this.gt = gt;
    this.dt = dt;
    this.dtArea = dtArea;
  }

  @Override
  public ImageDetections detections(int image, int[] dtRows, int dtFrom, int dtTo) {
    int height = gt.imageHeights[image];
    int width = gt.imageWidths[image];
    List<Rle> d = new ArrayList<>(dtTo - dtFrom);
    for (int i = dtFrom; i < dtTo; i++) {
      Rle rle = detectionMask(dtRows[i], height, width);
      if (dtArea != null) {
        dtArea[dtRows[i]] = rle.area();
      }
      d.add(rle);
    }
    return (gtRows, gtFrom, gtTo) -> {
      List<Rle> g = new ArrayList<>(gtTo - gtFrom);
      for (int j = gtFrom; j < gtTo; j++) {
        g.add(groundTruthMask(gtRows[j], height, width));
      }
      return iou(d, g);
    };
  }

  private static double[][] iou(List<Rle> d, List<Rle> g) {
    if (sameSize(d, g)) {
      return MaskIou.iou(d, g, new boolean[g.size()]);
    }
    // pycocotools gives -1 (or 0) for masks of different sizes: such a pair never matches.
    double[][] out = new double[d.size()][g.size()];
    boolean[] noCrowd = new boolean[1];
    for (int i = 0; i < d.size(); i++) {
      for (int j = 0; j < g.size(); j++) {
        Rle a = d.get(i);
        Rle b = g.get(j);
        out[i][j] =
            a.height() == b.height() && a.width() == b.width()
                ? MaskIou.iou(List.of(a), List.of(b), noCrowd)[0][0]
                : -1;
      }
    }
    return out;
  }

  private static boolean sameSize(List<Rle> d, List<Rle> g) {
    Rle ref = d.get(0);
    for (Rle r : d) {
      if (r.height() != ref.height() || r.width() != ref.width()) {
        return false;
      }
    }
    for (Rle r : g) {
      if (r.height() != ref.height() || r.width() != ref.width()) {
        return false;
      }
    }
    return true;
  }

  /** The mask of a detection row: its RLE, or the rasterised box for box-only results. */
  Rle detectionMask(int row, int height, int width) {
    if (dt.hasMask(row)) {
      return dt.mask(row);
    }
    double[] b = dt.boxes;
    return Masks.fromBbox(
        new double[] {b[4 * row], b[4 * row + 1], b[4 * row + 2], b[4 * row + 3]}, height, width);
  }

  private Rle groundTruthMask(int row, int height, int width) {
    Segmentation s = gt.annSegmentations[row];
    if (s instanceof PolygonSegmentation p) {
      return Masks.fromPolygons(p.parts(), height, width);
    } else if (s instanceof RleSegmentation r) {
      return Rle.fromString(r.compressedCounts(), r.height(), r.width());
    } else if (s instanceof UncompressedRleSegmentation u) {
      return Rle.fromCounts(u.counts(), u.height(), u.width());
    }
    throw new IllegalArgumentException(
        "annotation " + gt.annIds[row] + " has no segmentation; segm evaluation needs masks");
  }
}
