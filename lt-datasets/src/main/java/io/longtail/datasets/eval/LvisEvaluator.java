package io.longtail.datasets.eval;

import io.longtail.core.concurrent.Tasks;
import io.longtail.datasets.lvis.Detection;
import io.longtail.datasets.lvis.Frequency;
import io.longtail.datasets.lvis.LvisDataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * LVIS evaluation equal to the official lvis-api ({@code lvis/eval.py} and {@code lvis/results.py}
 * of lvis-dataset/lvis-api): AP, AP50, AP75, APs/APm/APl, APr/APc/APf, AR@300 and ARs/ARm/ARl@300,
 * and the AP of each category.
 *
 * <p>What lvis-api does, and so what this does:
 *
 * <ol>
 *   <li>Limits: the 300 highest-scoring detections of each image, all categories together (or
 *       another {@link EvalProtocol}, such as AP-fixed).
 *   <li>Detection area: {@code w * h} of the box when the first result has a box, else the mask's
 *       pixel count; a detection without a box then gets the mask's box.
 *   <li>Ground truth and detections with area 0 are left out, and so are detections of unknown
 *       categories. A detection counts only if its category has ground truth in the image or is in
 *       the image's {@code neg_category_ids}.
 *   <li>Matching per image and category at IoU 0.50:0.05:0.95 for the area ranges all, small,
 *       medium and large (see {@link CategoryMatcher}); unmatched detections of a category in
 *       {@code not_exhaustive_category_ids} are ignored.
 *   <li>101-point interpolated precision per category; a summary is the mean over the valid entries
 *       (categories with ground truth in the area range), -1 when there is none.
 * </ol>
 *
 * <p>Unlike lvis-api, which builds a table of images x categories x area ranges (about 95 million
 * entries and 15 GB on LVIS v1 val), it evaluates one category at a time on its own detections and
 * ground truth, in parallel, and keeps only a few hundred bytes per category: memory is the
 * detections themselves plus the matching state of the categories being evaluated.
 *
 * <p>Differences to lvis-api: a detection of an image that is not in the ground truth is an error
 * (lvis-api asserts as well); an empty result list gives AP 0 for every category with ground truth
 * (lvis-api fails); ground truth is never crowd (lvis-api passes {@code iscrowd = 0} too) and an
 * {@code ignore} field of the annotation file is not read.
 */
public final class LvisEvaluator {

  private final IouType iouType;
  private final EvalProtocol protocol;
  private final int parallelism;
  private final ProgressListener progress;

  private LvisEvaluator(Builder b) {
    this.iouType = b.iouType;
    this.protocol = b.protocol;
    this.parallelism = b.parallelism;
    this.progress = b.progress;
  }

  /** A builder; {@link Builder#setIouType} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Box or mask evaluation. */
  public IouType iouType() {
    return iouType;
  }

  /** The detection limits. */
  public EvalProtocol protocol() {
    return protocol;
  }

  /**
   * Evaluates detections against an LVIS dataset.
   *
   * @param groundTruth the annotations (categories need their {@code frequency})
   * @param detections the results, in file order
   * @throws IllegalArgumentException if a detection refers to an image not in the ground truth, or
   *     the results mix box and mask-only detections in a way lvis-api cannot read
   */
  public LvisEvalResult evaluate(LvisDataset groundTruth, List<Detection> detections) {
    return evaluate(EvalGroundTruth.from(groundTruth), EvalDetections.from(detections));
  }

  /**
   * Evaluates detections against ground truth given as flat arrays.
   *
   * @throws IllegalArgumentException as {@link #evaluate(LvisDataset, List)}
   */
  public LvisEvalResult evaluate(EvalGroundTruth gt, EvalDetections dt) {
    ForkJoinPool pool = new ForkJoinPool(parallelism);
    try {
      return run(gt, dt, pool);
    } finally {
      pool.shutdownNow();
    }
  }

  private LvisEvalResult run(EvalGroundTruth gt, EvalDetections dt, ForkJoinPool pool) {
    int n = dt.size;
    int[] dtImage = new int[n];
    for (int r = 0; r < n; r++) {
      int image = gt.imageIndex(dt.imageIds[r]);
      if (image < 0) {
        throw new IllegalArgumentException(
            "detection "
                + r
                + " refers to image "
                + dt.imageIds[r]
                + ", which is not in the ground truth");
      }
      dtImage[r] = image;
    }

    boolean[] keep = new boolean[n];
    Arrays.fill(keep, true);
    int first = applyLimits(gt, dt, dtImage, keep);

    double[] dtArea = new double[n];
    // True when areas (and missing boxes) come from the masks: they are filled when each
    // category decodes its masks, so every mask is decoded once.
    boolean maskAreas = computeAreas(dt, keep, first, dtArea);

    int categories = gt.categoryCount();
    // Ground truth that takes part: area in (0, inf), as lvis-api's get_ann_ids filters.
    int[] gtCount = new int[categories + 1];
    boolean[] gtTakesPart = new boolean[gt.annotationCount()];
    for (int a = 0; a < gt.annotationCount(); a++) {
      if (takesPart(gt.annArea[a])) {
        gtTakesPart[a] = true;
        gtCount[gt.annCategory[a] + 1]++;
      }
    }
    ImageCategories counted = ImageCategories.of(gt, gtTakesPart);

    // Detections that take part, grouped by category (file order within a category).
    int[] dtCategory = new int[n];
    int[] categoryOfRow = dtCategory;
    // In pieces on the pool: one lookup per detection (0.2 to 0.3 s for 6M on one thread).
    int pieces = Math.max(1, Math.min(4 * parallelism, n / 100_000));
    forEachInParallel(
        pool,
        pieces,
        k -> {
          for (int r = (int) ((long) n * k / pieces); r < (long) n * (k + 1) / pieces; r++) {
            // With mask areas, area-0 detections are dropped by the category task that decodes
            // them.
            int c =
                keep[r] && (maskAreas || takesPart(dtArea[r]))
                    ? gt.categoryIndex(dt.categoryIds[r])
                    : -1;
            if (c >= 0 && !counted.counts(dtImage[r], c)) {
              c = -1;
            }
            categoryOfRow[r] = c;
          }
        });
    int[] dtCount = new int[categories + 1];
    for (int r = 0; r < n; r++) {
      dtCount[dtCategory[r] + 1]++;
    }
    int[] dtStart = prefixSums(dtCount);
    int[] dtByCategory = new int[dtStart[categories] - dtStart[0]];
    int[] fill = Arrays.copyOf(dtStart, categories);
    int offset = dtStart[0];
    for (int r = 0; r < n; r++) {
      if (dtCategory[r] >= 0) {
        dtByCategory[fill[dtCategory[r]]++ - offset] = r;
      }
    }
    dtCategory = null;
    int[] gtStart = prefixSums(gtCount);
    int[] gtByCategory = new int[gtStart[categories] - gtStart[0]];
    int[] gtFill = Arrays.copyOf(gtStart, categories);
    int gtOffset = gtStart[0];
    for (int a = 0; a < gt.annotationCount(); a++) {
      if (gtTakesPart[a]) {
        gtByCategory[gtFill[gt.annCategory[a]]++ - gtOffset] = a;
      }
    }

    Geometry geometry =
        iouType == IouType.BBOX
            ? new BoxGeometry(
                maskAreas ? maskBoxes(dt) : dt.boxes, gt.annBoxes, maskAreas ? dt : null, dtArea)
            : new MaskGeometry(gt, dt, maskAreas ? dtArea : null);
    EvalContext ctx = new EvalContext(gt, dt, dtImage, dtArea, geometry);

    // Only categories with ground truth have valid entries; the largest go first to balance.
    List<Integer> work = new ArrayList<>();
    for (int c = 0; c < categories; c++) {
      if (gtStart[c + 1] > gtStart[c]) {
        work.add(c);
      }
    }
    work.sort((a, b) -> Integer.compare(dtStart[b + 1] - dtStart[b], dtStart[a + 1] - dtStart[a]));
    CategoryEval[] evals = new CategoryEval[categories];
    progress.started(work.size());
    forEachInParallel(
        pool,
        work.size(),
        i -> {
          int c = work.get(i);
          int[] dtRows =
              Arrays.copyOfRange(dtByCategory, dtStart[c] - offset, dtStart[c + 1] - offset);
          int[] gtRows =
              Arrays.copyOfRange(gtByCategory, gtStart[c] - gtOffset, gtStart[c + 1] - gtOffset);
          evals[c] = CategoryMatcher.evaluate(ctx, c, dtRows, gtRows);
          progress.categoryDone();
        });
    return summarize(gt, evals);
  }

  /** Boxes to fill from the masks: a copy of the given ones (NaN where missing). */
  private static double[] maskBoxes(EvalDetections dt) {
    return dt.boxes != null ? dt.boxes.clone() : new double[4 * dt.size];
  }

  private static boolean takesPart(double area) {
    return area > 0 && area < Double.POSITIVE_INFINITY;
  }

  /** {@code out[i + 1] = counts[0] + ... + counts[i]} over the categories, skipping slot 0. */
  private static int[] prefixSums(int[] countsShifted) {
    // countsShifted[0] counts dropped rows (category -1); categories start at index 1.
    int categories = countsShifted.length - 1;
    int[] start = new int[categories + 1];
    start[0] = countsShifted[0];
    for (int c = 0; c < categories; c++) {
      start[c + 1] = start[c] + countsShifted[c + 1];
    }
    return start;
  }

  /**
   * Applies the protocol's limits (per category over the dataset first, then per image), clearing
   * {@code keep} for dropped rows, and returns the row lvis-api would list first afterwards.
   */
  private int applyLimits(EvalGroundTruth gt, EvalDetections dt, int[] dtImage, boolean[] keep) {
    int n = dt.size;
    if (n == 0) {
      return -1;
    }
    int first = 0;
    if (protocol.maxDetsPerCategory() > 0) {
      Map<Integer, Integer> dense = new HashMap<>();
      int[] group = new int[n];
      for (int r = 0; r < n; r++) {
        group[r] = dense.computeIfAbsent(dt.categoryIds[r], k -> dense.size());
      }
      // The AP-fixed script lists the categories in order of appearance, each sorted by score.
      first =
          limitGroups(group, dense.size(), protocol.maxDetsPerCategory(), dt.scores, keep, 0)[0];
    }
    if (protocol.maxDetsPerImage() > 0) {
      int[] top =
          limitGroups(dtImage, gt.imageCount(), protocol.maxDetsPerImage(), dt.scores, keep, first);
      // lvis-api re-sorts an image only when it has more detections than the limit.
      if (top[1] > protocol.maxDetsPerImage()) {
        first = top[0];
      }
    }
    return first;
  }

  /**
   * Keeps the {@code limit} highest-scoring kept rows of every group (stable: earlier rows win
   * ties). Returns the highest-scoring kept row of the group of {@code probe} and the number of
   * kept rows that group had.
   */
  private static int[] limitGroups(
      int[] group, int groups, int limit, double[] scores, boolean[] keep, int probe) {
    int n = group.length;
    int[] start = new int[groups + 1];
    for (int r = 0; r < n; r++) {
      if (keep[r]) {
        start[group[r] + 1]++;
      }
    }
    for (int g = 0; g < groups; g++) {
      start[g + 1] += start[g];
    }
    int[] rows = new int[start[groups]];
    int[] fill = Arrays.copyOf(start, groups);
    for (int r = 0; r < n; r++) {
      if (keep[r]) {
        rows[fill[group[r]]++] = r;
      }
    }
    int probeGroup = group[probe];
    int[] probeResult = {probe, start[probeGroup + 1] - start[probeGroup]};
    for (int g = 0; g < groups; g++) {
      int from = start[g];
      int to = start[g + 1];
      if (to - from > limit || g == probeGroup) {
        IndexSort.sort(rows, from, to, null, scores);
        for (int i = from + limit; i < to; i++) {
          keep[rows[i]] = false;
        }
        if (g == probeGroup) {
          probeResult[0] = rows[from];
        }
      }
    }
    return probeResult;
  }

  /**
   * Decides where detection areas come from, as lvis-api's LVISResults does: {@code w * h} of the
   * box if the first result has a box (filled here), else the mask's pixel count (filled when the
   * masks are decoded; returns true). Checks that every kept detection has what that needs.
   */
  private static boolean computeAreas(EvalDetections dt, boolean[] keep, int first, double[] area) {
    int n = dt.size;
    if (n == 0) {
      return false;
    }
    boolean boxArea = dt.hasBox(first);
    for (int r = 0; r < n; r++) {
      if (!keep[r]) {
        continue;
      }
      if (boxArea && !dt.hasBox(r)) {
        throw new IllegalArgumentException(
            "detection "
                + r
                + " has no bbox, but the first detection has one; lvis-api reads all results as"
                + " box results then");
      }
      if (!boxArea && !dt.hasMask(r)) {
        throw new IllegalArgumentException(
            "detection " + r + " has no segmentation, but the first detection is a mask result");
      }
    }
    if (!boxArea) {
      return true;
    }
    double[] b = dt.boxes;
    for (int r = 0; r < n; r++) {
      if (keep[r]) {
        area[r] = b[4 * r + 2] * b[4 * r + 3];
      }
    }
    return false;
  }

  /** Runs {@code task(0) .. task(count - 1)} on the pool, in order of index as far as possible. */
  private void forEachInParallel(ForkJoinPool pool, int count, IntConsumer task) {
    AtomicInteger next = new AtomicInteger();
    Runnable worker =
        () -> {
          for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
            task.accept(i);
          }
        };
    List<Future<?>> futures = new ArrayList<>();
    for (int w = 0; w < Math.min(parallelism, Math.max(1, count)); w++) {
      futures.add(pool.submit(worker));
    }
    try {
      for (Future<?> f : futures) {
        Tasks.joinUnchecked(f, "evaluating categories");
      }
    } catch (RuntimeException | Error e) {
      next.set(count); // the other workers take no new task
      throw e;
    }
  }

  private LvisEvalResult summarize(EvalGroundTruth gt, CategoryEval[] evals) {
    Map<Metric, Double> summary = new EnumMap<>(Metric.class);
    for (Metric m : Metric.values()) {
      summary.put(m, summarize(gt, evals, m));
    }
    List<CategoryResult> categories = new ArrayList<>();
    int all = AreaRange.ALL.ordinal();
    for (CategoryEval e : evals) {
      if (e == null || !e.valid(AreaRange.ALL)) {
        continue;
      }
      double p = 0;
      double r = 0;
      for (int t = 0; t < Thresholds.IOU_COUNT; t++) {
        p += e.precisionSum[all][t];
        r += e.recall[all][t];
      }
      categories.add(
          new CategoryResult(
              gt.categoryIds[e.category],
              gt.frequencies[e.category],
              e.groundTruthCount[all],
              e.detectionCount,
              p / (Thresholds.IOU_COUNT * Thresholds.RECALL_COUNT),
              r / Thresholds.IOU_COUNT));
    }
    return new LvisEvalResult(iouType, protocol, summary, categories);
  }

  /** lvis-api's {@code _summarize}: the mean of the entries above -1, or -1 if there is none. */
  private static double summarize(EvalGroundTruth gt, CategoryEval[] evals, Metric m) {
    int a = m.areaRange().ordinal();
    int tFrom = 0;
    int tTo = Thresholds.IOU_COUNT;
    if (m.iouThreshold() != null) {
      tFrom = Thresholds.iouIndex(m.iouThreshold());
      tTo = tFrom + 1;
      if (tFrom < 0) {
        return -1;
      }
    }
    Frequency group = m.frequency();
    double sum = 0;
    long count = 0;
    for (CategoryEval e : evals) {
      if (e == null || !e.valid(m.areaRange())) {
        continue;
      }
      if (group != null && gt.frequencies[e.category] != group) {
        continue;
      }
      for (int t = tFrom; t < tTo; t++) {
        if (m.isPrecision()) {
          sum += e.precisionSum[a][t];
          count += Thresholds.RECALL_COUNT;
        } else {
          sum += e.recall[a][t];
          count++;
        }
      }
    }
    return count == 0 ? -1 : sum / count;
  }

  /** Builds an {@link LvisEvaluator}. */
  public static final class Builder {
    private IouType iouType;
    private EvalProtocol protocol = EvalProtocol.STANDARD;
    private int parallelism = Runtime.getRuntime().availableProcessors();
    private ProgressListener progress = ProgressListener.NONE;

    private Builder() {}

    /** Box or mask evaluation (required). */
    public Builder setIouType(IouType iouType) {
      this.iouType = iouType;
      return this;
    }

    /** The detection limits; default {@link EvalProtocol#STANDARD} (300 per image). */
    public Builder optProtocol(EvalProtocol protocol) {
      this.protocol = protocol;
      return this;
    }

    /** Worker threads; default the number of processors. */
    public Builder optParallelism(int parallelism) {
      this.parallelism = parallelism;
      return this;
    }

    /** Hears each finished category (from worker threads); default none. */
    public Builder optProgress(ProgressListener progress) {
      this.progress = progress;
      return this;
    }

    /**
     * The evaluator.
     *
     * @throws IllegalArgumentException if the IoU type or protocol is missing, or parallelism is
     *     below 1
     */
    public LvisEvaluator build() {
      if (iouType == null) {
        throw new IllegalArgumentException("iouType must be set (bbox or segm), got null");
      }
      if (protocol == null) {
        throw new IllegalArgumentException("protocol must not be null");
      }
      if (parallelism < 1) {
        throw new IllegalArgumentException("parallelism must be >= 1, got " + parallelism);
      }
      if (progress == null) {
        throw new IllegalArgumentException("progress must not be null (use ProgressListener.NONE)");
      }
      return new LvisEvaluator(this);
    }
  }
}
