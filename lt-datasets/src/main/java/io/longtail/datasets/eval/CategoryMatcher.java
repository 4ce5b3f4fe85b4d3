package io.longtail.datasets.eval;

import java.util.Arrays;

/**
 * Evaluates one category the way lvis-api's {@code evaluate_img} and {@code accumulate} do, on that
 * category's detections and ground truth only.
 *
 * <p>Per image: detections sorted by descending score (stable: file order among equal scores); per
 * area range the ground truth is reordered with the ones outside the range last (stable), and per
 * IoU threshold each detection takes the unmatched ground truth of highest IoU at or above the
 * threshold (a later one wins a tie; once a detection holds an in-range ground truth it does not
 * move to an out-of-range one). A detection matched to out-of-range ground truth is ignored, and so
 * is an unmatched one whose area is out of range or whose category is not exhaustively annotated in
 * the image.
 *
 * <p>Then over the dataset: detections of all images in order of descending score (stable:
 * ascending image id, then the per-image order), cumulative true and false positives, precision
 * made non-increasing from the right, read at the first detection reaching each of the 101 recall
 * points (0 past the last recall reached).
 */
final class CategoryMatcher {

  private static final int AREAS = AreaRange.values().length;
  private static final int IOUS = Thresholds.IOU_COUNT;
  private static final byte FALSE_POSITIVE = 0;
  private static final byte TRUE_POSITIVE = 1;
  private static final byte IGNORED = 2;
  private static final double MAX_IOU = 1 - 1e-10;

  private final EvalContext ctx;
  private final int category;
  private final int categoryId;

  /** Detection rows, sorted by image then descending score. */
  private final int[] dt;

  /** Ground-truth rows, sorted by image (file order within an image). */
  private final int[] gt;

  /** {@code [(area * IOUS + iou) * dt.length + position]}: the outcome of each detection. */
  private final byte[] outcome;

  private final int[] groundTruthInRange = new int[AREAS];

  private CategoryMatcher(EvalContext ctx, int category, int[] dtRows, int[] gtRows) {
    this.ctx = ctx;
    this.category = category;
    this.categoryId = ctx.gt.categoryIds[category];
    this.dt = dtRows;
    this.gt = gtRows;
    this.outcome = new byte[AREAS * IOUS * dtRows.length];
  }

  /**
   * Evaluates a category.
   *
   * @param dtRows its detections (after limits and filters), in file order; reordered in place
   * @param gtRows its ground truth (area above 0), in file order; reordered in place
   */
  static CategoryEval evaluate(EvalContext ctx, int category, int[] dtRows, int[] gtRows) {
    CategoryMatcher m = new CategoryMatcher(ctx, category, dtRows, gtRows);
    m.matchAllImages();
    return m.accumulate();
  }

  private void matchAllImages() {
    int[] dtImage = ctx.dtImage;
    double[] scores = ctx.dt.scores;
    int[] gtImage = ctx.gt.annImage;
    // Input is in file order, so a stable sort leaves equal scores in file order.
    IndexSort.sort(
        dt,
        (a, b) -> {
          int c = Integer.compare(dtImage[a], dtImage[b]);
          return c != 0 ? c : IndexSort.byScoreDescending(scores[a], scores[b]);
        });
    IndexSort.sort(gt, (a, b) -> Integer.compare(gtImage[a], gtImage[b]));

    int di = 0;
    int gi = 0;
    while (di < dt.length || gi < gt.length) {
      int image =
          Math.min(
              di < dt.length ? dtImage[dt[di]] : Integer.MAX_VALUE,
              gi < gt.length ? gtImage[gt[gi]] : Integer.MAX_VALUE);
      int de = di;
      while (de < dt.length && dtImage[dt[de]] == image) {
        de++;
      }
      int ge = gi;
      while (ge < gt.length && gtImage[gt[ge]] == image) {
        ge++;
      }
      matchImage(image, di, de, gi, ge);
      di = de;
      gi = ge;
    }
  }

  private void matchImage(int image, int dtFrom, int dtTo, int gtFrom, int gtTo) {
    int nd = dtTo - dtFrom;
    int ng = gtTo - gtFrom;
    double[][] iou =
        nd > 0 && ng > 0 ? ctx.geometry.iou(image, dt, dtFrom, dtTo, gt, gtFrom, gtTo) : null;
    boolean notExhaustive = nd > 0 && ctx.gt.isNotExhaustive(image, categoryId);
    int[] order = new int[ng];
    boolean[] orderedIgnore = new boolean[ng];
    boolean[] taken = new boolean[ng];
    for (AreaRange area : AreaRange.values()) {
      int a = area.ordinal();
      // Ground truth in range first, then the rest, each in file order (numpy's stable argsort).
      int k = 0;
      for (int g = 0; g < ng; g++) {
        if (!area.excludes(ctx.gt.annArea[gt[gtFrom + g]])) {
          order[k++] = g;
        }
      }
      int inRange = k;
      groundTruthInRange[a] += inRange;
      for (int g = 0; g < ng; g++) {
        if (area.excludes(ctx.gt.annArea[gt[gtFrom + g]])) {
          order[k++] = g;
        }
      }
      for (int j = 0; j < ng; j++) {
        orderedIgnore[j] = j >= inRange;
      }
      for (int t = 0; t < IOUS; t++) {
        Arrays.fill(taken, false);
        double threshold = Math.min(Thresholds.iou(t), MAX_IOU);
        int base = (a * IOUS + t) * dt.length;
        for (int d = 0; d < nd; d++) {
          int match = -1;
          if (iou != null) {
            double best = threshold;
            double[] row = iou[d];
            for (int j = 0; j < ng; j++) {
              if (taken[j]) {
                continue;
              }
              if (match > -1 && !orderedIgnore[match] && orderedIgnore[j]) {
                break;
              }
              double v = row[order[j]];
              if (v < best) {
                continue;
              }
              best = v;
              match = j;
            }
          }
          boolean ignored;
          boolean matched;
          if (match == -1) {
            ignored = false;
            matched = false;
          } else {
            taken[match] = true;
            ignored = orderedIgnore[match];
            // lvis-api stores the gt id as the match; an id of 0 reads as "unmatched".
            matched = ctx.gt.annIds[gt[gtFrom + order[match]]] != 0;
          }
          if (!matched && (notExhaustive || area.excludes(ctx.dtArea[dt[dtFrom + d]]))) {
            ignored = true;
          }
          outcome[base + dtFrom + d] = ignored ? IGNORED : matched ? TRUE_POSITIVE : FALSE_POSITIVE;
        }
      }
    }
  }

  private CategoryEval accumulate() {
    int n = dt.length;
    CategoryEval result = new CategoryEval(category, n);
    double[] scores = ctx.dt.scores;
    // Positions are in (image, descending score) order; a stable sort by score gives lvis-api's
    // order over the dataset (equal scores: ascending image id, then the per-image order).
    int[] ranked = new int[n];
    for (int i = 0; i < n; i++) {
      ranked[i] = i;
    }
    IndexSort.sort(ranked, (p, q) -> IndexSort.byScoreDescending(scores[dt[p]], scores[dt[q]]));
    double[] rc = new double[n];
    double[] pr = new double[n];
    for (int a = 0; a < AREAS; a++) {
      int numGt = groundTruthInRange[a];
      result.groundTruthCount[a] = numGt;
      if (numGt == 0) {
        continue;
      }
      for (int t = 0; t < IOUS; t++) {
        int base = (a * IOUS + t) * n;
        double tp = 0;
        double fp = 0;
        for (int i = 0; i < n; i++) {
          byte o = outcome[base + ranked[i]];
          if (o == TRUE_POSITIVE) {
            tp++;
          } else if (o == FALSE_POSITIVE) {
            fp++;
          }
          rc[i] = tp / numGt;
          pr[i] = tp / (fp + tp + Thresholds.EPS);
        }
        result.recall[a][t] = n > 0 ? rc[n - 1] : 0;
        for (int i = n - 1; i > 0; i--) {
          if (pr[i] > pr[i - 1]) {
            pr[i - 1] = pr[i];
          }
        }
        double sum = 0;
        int idx = 0;
        for (int r = 0; r < Thresholds.RECALL_COUNT; r++) {
          double point = Thresholds.recall(r);
          while (idx < n && rc[idx] < point) {
            idx++;
          }
          if (idx == n) {
            break; // lvis-api leaves 0 for this and all higher recall points
          }
          sum += pr[idx];
        }
        result.precisionSum[a][t] = sum;
      }
    }
    return result;
  }
}
