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
 *
 * <p>Two shortcuts give the same numbers with less work: only pairs with IoU of at least 0.5 (the
 * lowest threshold) are visited when matching, as no other pair can match and skipping them changes
 * neither the chosen ground truth nor where the search stops; and precision is only kept at true
 * positives, since the interpolated precision at a recall point is the largest precision at or
 * after the first true positive that reaches it.
 */
final class CategoryMatcher {

  private static final int AREAS = AreaRange.values().length;
  private static final int IOUS = Thresholds.IOU_COUNT;

  /** Outcomes per detection: one byte for each (area, threshold) pair. */
  private static final int SLOTS = AREAS * IOUS;

  private static final byte FALSE_POSITIVE = 0;
  private static final byte TRUE_POSITIVE = 1;
  private static final byte IGNORED = 2;
  private static final double MAX_IOU = 1 - 1e-10;
  private static final double MIN_IOU = Math.min(Thresholds.iou(0), MAX_IOU);

  private final EvalContext ctx;
  private final int category;
  private final int categoryId;

  /** Detection rows, sorted by image then descending score. */
  private final int[] dt;

  /** Ground-truth rows, sorted by image (file order within an image). */
  private final int[] gt;

  /** {@code [position * SLOTS + area * IOUS + iou]}: the outcome of each detection. */
  private final byte[] outcome;

  private final int[] groundTruthInRange = new int[AREAS];

  /** Detections left out for area 0 once their masks were decoded. */
  private int droppedCount;

  private CategoryMatcher(EvalContext ctx, int category, int[] dtRows, int[] gtRows) {
    this.ctx = ctx;
    this.category = category;
    this.categoryId = ctx.gt.categoryIds[category];
    this.dt = dtRows;
    this.gt = gtRows;
    this.outcome = new byte[SLOTS * dtRows.length];
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
    IndexSort.sort(dt, dtImage, scores);
    IndexSort.sort(gt, gtImage, null);

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
    double[] gtArea = ctx.gt.annArea;
    for (int g = 0; g < ng; g++) {
      double area = gtArea[gt[gtFrom + g]];
      for (AreaRange range : AreaRange.values()) {
        if (!range.excludes(area)) {
          groundTruthInRange[range.ordinal()]++;
        }
      }
    }
    if (nd == 0) {
      return;
    }
    boolean notExhaustive = ctx.gt.isNotExhaustive(image, categoryId);
    Geometry.ImageDetections detections = ctx.geometry.detections(image, dt, dtFrom, dtTo);

    // Detections with area 0 (known only now for mask areas) are left out, as lvis-api's
    // get_ann_ids does: marked ignored everywhere, which changes no count, and never matched.
    double[] dtArea = ctx.dtArea;
    boolean[] dropped = new boolean[nd];
    for (int d = 0; d < nd; d++) {
      double area = dtArea[dt[dtFrom + d]];
      if (!(area > 0 && area < Double.POSITIVE_INFINITY)) {
        dropped[d] = true;
        droppedCount++;
        int base = (dtFrom + d) * SLOTS;
        Arrays.fill(outcome, base, base + SLOTS, IGNORED);
      }
    }

    // Per detection, the ground truth it can match at some threshold (IoU >= 0.5), file order.
    int[][] candidates = new int[nd][];
    if (ng > 0) {
      double[][] iou = detections.iou(gt, gtFrom, gtTo);
      int[] buffer = new int[ng];
      for (int d = 0; d < nd; d++) {
        if (dropped[d]) {
          continue;
        }
        int k = 0;
        for (int g = 0; g < ng; g++) {
          if (iou[d][g] >= MIN_IOU) {
            buffer[k++] = g;
          }
        }
        if (k > 0) {
          candidates[d] = Arrays.copyOf(buffer, k);
        }
      }
      matchWithCandidates(iou, candidates, dtFrom, nd, gtFrom, ng, notExhaustive);
    }
    // Detections that can match nothing: the same outcome at every threshold.
    for (int d = 0; d < nd; d++) {
      if (candidates[d] != null || dropped[d]) {
        continue;
      }
      double area = dtArea[dt[dtFrom + d]];
      int base = (dtFrom + d) * SLOTS;
      for (AreaRange range : AreaRange.values()) {
        byte o = notExhaustive || range.excludes(area) ? IGNORED : FALSE_POSITIVE;
        Arrays.fill(outcome, base + range.ordinal() * IOUS, base + (range.ordinal() + 1) * IOUS, o);
      }
    }
  }

  private void matchWithCandidates(
      double[][] iou,
      int[][] candidates,
      int dtFrom,
      int nd,
      int gtFrom,
      int ng,
      boolean notExhaustive) {
    double[] gtArea = ctx.gt.annArea;
    long[] gtIds = ctx.gt.annIds;
    double[] dtArea = ctx.dtArea;
    boolean[] ignoredGt = new boolean[ng];
    boolean[] taken = new boolean[ng];
    int[][] ordered = new int[nd][];
    for (AreaRange range : AreaRange.values()) {
      int a = range.ordinal();
      boolean anyIgnored = false;
      for (int g = 0; g < ng; g++) {
        ignoredGt[g] = range.excludes(gtArea[gt[gtFrom + g]]);
        anyIgnored |= ignoredGt[g];
      }
      // lvis-api's order: in-range ground truth first, then out-of-range, each in file order.
      for (int d = 0; d < nd; d++) {
        ordered[d] = anyIgnored ? inRangeFirst(candidates[d], ignoredGt) : candidates[d];
      }
      for (int t = 0; t < IOUS; t++) {
        Arrays.fill(taken, false);
        double threshold = Math.min(Thresholds.iou(t), MAX_IOU);
        for (int d = 0; d < nd; d++) {
          int[] cand = ordered[d];
          if (cand == null) {
            continue;
          }
          double best = threshold;
          int match = -1;
          double[] row = iou[d];
          for (int g : cand) {
            if (taken[g]) {
              continue;
            }
            if (match > -1 && !ignoredGt[match] && ignoredGt[g]) {
              break;
            }
            if (row[g] < best) {
              continue;
            }
            best = row[g];
            match = g;
          }
          boolean ignored = false;
          boolean matched = false;
          if (match != -1) {
            taken[match] = true;
            ignored = ignoredGt[match];
            // lvis-api stores the gt id as the match; an id of 0 reads as "unmatched".
            matched = gtIds[gt[gtFrom + match]] != 0;
          }
          if (!matched && (notExhaustive || range.excludes(dtArea[dt[dtFrom + d]]))) {
            ignored = true;
          }
          outcome[(dtFrom + d) * SLOTS + a * IOUS + t] =
              ignored ? IGNORED : matched ? TRUE_POSITIVE : FALSE_POSITIVE;
        }
      }
    }
  }

  /** The candidates with the in-range ones first (stable), or null for none. */
  private static int[] inRangeFirst(int[] candidates, boolean[] ignoredGt) {
    if (candidates == null) {
      return null;
    }
    int[] out = new int[candidates.length];
    int k = 0;
    for (int g : candidates) {
      if (!ignoredGt[g]) {
        out[k++] = g;
      }
    }
    for (int g : candidates) {
      if (ignoredGt[g]) {
        out[k++] = g;
      }
    }
    return out;
  }

  private CategoryEval accumulate() {
    int n = dt.length;
    CategoryEval result = new CategoryEval(category, n - droppedCount);
    double[] scores = ctx.dt.scores;
    // Positions are in (image, descending score) order; a stable sort by score gives lvis-api's
    // order over the dataset (equal scores: ascending image id, then the per-image order).
    int[] ranked = new int[n];
    double[] positionScores = new double[n];
    for (int i = 0; i < n; i++) {
      ranked[i] = i;
      positionScores[i] = scores[dt[i]];
    }
    IndexSort.sort(ranked, null, positionScores);

    // One pass in ranked order for all (area, threshold) slots: count true and false positives
    // and keep the precision at each true positive.
    int[] tp = new int[SLOTS];
    int[] fp = new int[SLOTS];
    double[][] precisionAtTp = new double[SLOTS][];
    for (int s = 0; s < SLOTS; s++) {
      int numGt = groundTruthInRange[s / IOUS];
      precisionAtTp[s] = new double[numGt];
    }
    for (int i = 0; i < n; i++) {
      int base = ranked[i] * SLOTS;
      for (int s = 0; s < SLOTS; s++) {
        byte o = outcome[base + s];
        if (o == TRUE_POSITIVE) {
          double t = ++tp[s];
          precisionAtTp[s][tp[s] - 1] = t / (fp[s] + t + Thresholds.EPS);
        } else if (o == FALSE_POSITIVE) {
          fp[s]++;
        }
      }
    }

    for (int a = 0; a < AREAS; a++) {
      int numGt = groundTruthInRange[a];
      result.groundTruthCount[a] = numGt;
      if (numGt == 0) {
        continue;
      }
      for (int t = 0; t < IOUS; t++) {
        int s = a * IOUS + t;
        int count = tp[s];
        double[] pr = precisionAtTp[s];
        // lvis-api: rc[-1] (cumulative tp / numGt at the last detection), 0 without detections.
        result.recall[a][t] = n > 0 ? (double) count / numGt : 0;
        for (int j = count - 1; j > 0; j--) {
          if (pr[j] > pr[j - 1]) {
            pr[j - 1] = pr[j];
          }
        }
        // The first detection with recall >= point is the j-th true positive with
        // (j + 1) / numGt >= point; past the last one lvis-api leaves 0.
        double sum = 0;
        int j = 0;
        for (int r = 0; r < Thresholds.RECALL_COUNT; r++) {
          double point = Thresholds.recall(r);
          while (j < count && (double) (j + 1) / numGt < point) {
            j++;
          }
          if (j == count) {
            break;
          }
          sum += pr[j];
        }
        result.precisionSum[a][t] = sum;
      }
    }
    return result;
  }
}
