package io.longtail.datasets.eval;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.longtail.datasets.lvis.Detection;
import io.longtail.datasets.lvis.ResultsWriter;
import io.longtail.datasets.lvis.RleSegmentation;
import io.longtail.datasets.mask.Masks;
import io.longtail.datasets.mask.Rle;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Writes an LVIS-v1-val-scale synthetic evaluation set for the {@code ./lt eval} benchmark ({@code
 * bench/eval-benchmark.sh}): ground truth in the LVIS v1 format (default 20,000 images, 1203
 * categories split 337 rare / 461 common / 405 frequent, about 12 polygon instances per image,
 * {@code neg_category_ids} and {@code not_exhaustive_category_ids}) and 300 detections per image,
 * once as box results and once as compressed-RLE mask results.
 *
 * <p>Detections mimic a detector: jittered copies of ground-truth objects (mostly the right
 * category, sometimes a confused one), detections of verified-absent categories, and background
 * detections spread over many categories (most of which the federated evaluation drops). Seeded:
 * the same arguments give the same files.
 *
 * <p>Usage: {@code EvalBenchmarkData OUT_DIR [IMAGES] [SEED]}; writes {@code gt.json}, {@code
 * results-bbox.json} and {@code results-segm.json}.
 */
public final class EvalBenchmarkData {

  private static final int CATEGORIES = 1203;
  private static final int RARE = 337;
  private static final int COMMON = 461;
  private static final int DETS_PER_IMAGE = 300;
  private static final int[][] SIZES = {
    {480, 640},
    {640, 480},
    {427, 640},
    {640, 427},
    {375, 500},
    {500, 375},
    {480, 640},
    {424, 640},
    {512, 512}
  };

  private EvalBenchmarkData() {}

  /** Writes the files; see the class comment for the arguments. */
  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: EvalBenchmarkData OUT_DIR [IMAGES=20000] [SEED=1]");
      System.exit(2);
    }
    Path out = Path.of(args[0]);
    int images = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
    Files.createDirectories(out);
    long t0 = System.nanoTime();
    write(out, images, seed);
    System.out.printf(Locale.ROOT, "wrote %s in %.1f s%n", out, (System.nanoTime() - t0) / 1e9);
  }

  /** A ground-truth object: category, polygon, box, area. */
  private record Obj(int category, double[] polygon, double[] box, double area) {}

  static void write(Path out, int imageCount, long seed) throws IOException {
    SplittableRandom rnd = new SplittableRandom(seed);
    char[] frequency = new char[CATEGORIES];
    for (int c = 0; c < CATEGORIES; c++) {
      frequency[c] = c < RARE ? 'r' : c < RARE + COMMON ? 'c' : 'f';
    }
    for (int c = CATEGORIES - 1; c > 0; c--) { // shuffle the groups over the ids
      int j = rnd.nextInt(c + 1);
      char t = frequency[c];
      frequency[c] = frequency[j];
      frequency[j] = t;
    }
    // Sampling weights: frequent categories much more common than rare ones (long tail).
    double[] cumulative = new double[CATEGORIES];
    double total = 0;
    for (int c = 0; c < CATEGORIES; c++) {
      double w =
          switch (frequency[c]) {
            case 'f' -> 20 + 200 * Math.pow(rnd.nextDouble(), 3);
            case 'c' -> 2 + 4 * rnd.nextDouble();
            default -> 0.3 * rnd.nextDouble();
          };
      total += w;
      cumulative[c] = total;
    }

    double totalWeight = total;
    JsonFactory factory = new JsonFactory();
    int annotationId = 1;
    try (OutputStream gtStream =
            new BufferedOutputStream(Files.newOutputStream(out.resolve("gt.json")), 1 << 16);
        JsonGenerator gt = factory.createGenerator(gtStream, JsonEncoding.UTF8);
        ResultsWriter boxes = ResultsWriter.open(out.resolve("results-bbox.json"));
        ResultsWriter masks = ResultsWriter.open(out.resolve("results-segm.json"))) {
      gt.writeStartObject();
      gt.writeObjectFieldStart("info");
      gt.writeStringField("description", "synthetic LVIS-v1-val-scale set for ./lt eval timing");
      gt.writeNumberField("seed", seed);
      gt.writeEndObject();
      gt.writeArrayFieldStart("categories");
      for (int c = 0; c < CATEGORIES; c++) {
        gt.writeStartObject();
        gt.writeNumberField("id", c + 1);
        gt.writeStringField("name", "category_" + (c + 1));
        gt.writeStringField("frequency", String.valueOf(frequency[c]));
        gt.writeNumberField(
            "image_count", frequency[c] == 'r' ? 5 : frequency[c] == 'c' ? 50 : 500);
        gt.writeEndObject();
      }
      gt.writeEndArray();

      // Annotations are written after the images; keep them as compact objects meanwhile.
      List<long[]> annotationRefs = new ArrayList<>();
      List<Obj> annotations = new ArrayList<>();
      gt.writeArrayFieldStart("images");
      int batch = 512;
      for (int from = 0; from < imageCount; from += batch) {
        int to = Math.min(imageCount, from + batch);
        // Each image has its own seeded generator, so batches run in parallel reproducibly.
        List<ImageData> generated =
            IntStream.range(from, to)
                .parallel()
                .mapToObj(
                    i ->
                        image(
                            i,
                            new SplittableRandom(seed * 1_000_003L + i),
                            cumulative,
                            totalWeight))
                .toList();
        for (ImageData im : generated) {
          gt.writeStartObject();
          gt.writeNumberField("id", im.id);
          gt.writeNumberField("width", im.width);
          gt.writeNumberField("height", im.height);
          gt.writeStringField(
              "coco_url", String.format("http://images.cocodataset.org/val2017/%012d.jpg", im.id));
          writeIds(gt, "neg_category_ids", im.neg);
          writeIds(gt, "not_exhaustive_category_ids", im.notExhaustive);
          gt.writeEndObject();
          for (Obj o : im.objects) {
            annotationRefs.add(new long[] {annotationId++, im.id});
            annotations.add(o);
          }
          for (Detection d : im.boxResults) {
            boxes.write(d);
          }
          for (Detection d : im.maskResults) {
            masks.write(d);
          }
        }
      }
      gt.writeEndArray();

      gt.writeArrayFieldStart("annotations");
      for (int a = 0; a < annotations.size(); a++) {
        Obj o = annotations.get(a);
        gt.writeStartObject();
        gt.writeNumberField("id", annotationRefs.get(a)[0]);
        gt.writeNumberField("image_id", annotationRefs.get(a)[1]);
        gt.writeNumberField("category_id", o.category + 1);
        gt.writeFieldName("bbox");
        gt.writeArray(o.box, 0, 4);
        gt.writeNumberField("area", o.area);
        gt.writeArrayFieldStart("segmentation");
        gt.writeArray(o.polygon, 0, o.polygon.length);
        gt.writeEndArray();
        gt.writeEndObject();
      }
      gt.writeEndArray();
      gt.writeEndObject();
      System.out.printf(
          Locale.ROOT,
          "%d images, %d annotations, %d detections%n",
          imageCount,
          annotations.size(),
          boxes.count());
    }
  }

  /** One generated image: its fields, objects and both result lists. */
  private record ImageData(
      long id,
      int height,
      int width,
      int[] neg,
      int[] notExhaustive,
      List<Obj> objects,
      List<Detection> boxResults,
      List<Detection> maskResults) {}

  private static ImageData image(int i, SplittableRandom rnd, double[] cumulative, double total) {
    long imageId = 100_000L + 7L * i;
    int[] size = SIZES[rnd.nextInt(SIZES.length)];
    int h = size[0];
    int w = size[1];
    // Categories present: 1 + about 3 on average, each with 1..~8 instances.
    int present = 1 + poisson(rnd, 3.0);
    int[] cats = new int[present];
    List<Obj> objects = new ArrayList<>();
    for (int k = 0; k < present; k++) {
      cats[k] = sample(cumulative, total, rnd);
      int instances = 1 + (int) Math.min(20, -Math.log(1 - rnd.nextDouble()) * 2.3);
      for (int n = 0; n < instances; n++) {
        Obj o = object(cats[k], h, w, rnd, null);
        if (o != null) {
          objects.add(o);
        }
      }
    }
    int[] neg = new int[4 + rnd.nextInt(12)];
    for (int k = 0; k < neg.length; k++) {
      neg[k] = sample(cumulative, total, rnd);
    }
    neg = Arrays.stream(neg).filter(c -> !contains(cats, c)).distinct().sorted().toArray();
    int[] notExhaustive =
        Arrays.stream(cats).distinct().filter(c -> rnd.nextDouble() < 0.1).sorted().toArray();
    List<Detection> boxResults = new ArrayList<>(DETS_PER_IMAGE);
    List<Detection> maskResults = new ArrayList<>(DETS_PER_IMAGE);
    detections(boxResults, maskResults, imageId, h, w, objects, neg, cumulative, total, rnd);
    return new ImageData(imageId, h, w, neg, notExhaustive, objects, boxResults, maskResults);
  }

  private static void detections(
      List<Detection> boxes,
      List<Detection> masks,
      long imageId,
      int h,
      int w,
      List<Obj> objects,
      int[] neg,
      double[] cumulative,
      double total,
      SplittableRandom rnd) {
    int written = 0;
    // Jittered copies of the objects: good ones score high.
    for (Obj o : objects) {
      int copies = 1 + rnd.nextInt(3);
      for (int k = 0; k < copies && written < DETS_PER_IMAGE; k++) {
        int category = rnd.nextDouble() < 0.8 ? o.category : sample(cumulative, total, rnd);
        double jitter = 0.03 + 0.25 * rnd.nextDouble();
        Obj d = object(category, h, w, rnd, new Obj(category, o.polygon, o.box, jitter));
        if (d != null) {
          double score =
              Math.min(0.999, Math.max(0.001, 1 - jitter * 2.5 + 0.3 * rnd.nextGaussian()));
          emit(boxes, masks, imageId, h, w, d, score);
          written++;
        }
      }
    }
    // Verified-absent categories: false positives.
    for (int c : neg) {
      if (written < DETS_PER_IMAGE && rnd.nextDouble() < 0.5) {
        Obj d = object(c, h, w, rnd, null);
        if (d != null) {
          emit(boxes, masks, imageId, h, w, d, 0.6 * rnd.nextDouble());
          written++;
        }
      }
    }
    // Background detections over many categories, low scores.
    while (written < DETS_PER_IMAGE) {
      Obj d = object(rnd.nextInt(CATEGORIES), h, w, rnd, null);
      if (d != null) {
        emit(boxes, masks, imageId, h, w, d, 0.3 * Math.pow(rnd.nextDouble(), 2));
        written++;
      }
    }
  }

  private static void emit(
      List<Detection> boxes,
      List<Detection> masks,
      long imageId,
      int h,
      int w,
      Obj d,
      double score) {
    double s = Math.round(score * 1e4) / 1e4;
    double[] box = new double[4];
    for (int i = 0; i < 4; i++) {
      box[i] = Math.round(d.box[i] * 100) / 100.0;
    }
    boxes.add(new Detection(imageId, d.category + 1, box, s, null));
    Rle rle = Masks.fromPolygon(d.polygon, h, w);
    masks.add(
        new Detection(
            imageId, d.category + 1, null, s, new RleSegmentation(h, w, rle.toCompressedString())));
  }

  /**
   * A star-shaped polygon object; with {@code around}, a jittered copy of {@code around}'s polygon
   * (its {@code area} field holding the jitter scale). Null when it degenerates.
   */
  private static Obj object(int category, int h, int w, SplittableRandom rnd, Obj around) {
    double[] poly;
    if (around == null) {
      // Sizes log-uniform from ~6 to ~60% of the image side: many small objects, as in LVIS.
      double side = Math.exp(Math.log(6) + rnd.nextDouble() * Math.log(0.6 * Math.min(h, w) / 6));
      double aspect = Math.exp(rnd.nextGaussian() * 0.4);
      double rx = side * Math.sqrt(aspect) / 2;
      double ry = side / Math.sqrt(aspect) / 2;
      double cx = rx + rnd.nextDouble() * Math.max(1, w - 2 * rx);
      double cy = ry + rnd.nextDouble() * Math.max(1, h - 2 * ry);
      int n = 8 + rnd.nextInt(9);
      poly = new double[2 * n];
      for (int k = 0; k < n; k++) {
        double angle = 2 * Math.PI * k / n;
        double r = 0.75 + 0.25 * rnd.nextDouble();
        poly[2 * k] = clamp(cx + r * rx * Math.cos(angle), w);
        poly[2 * k + 1] = clamp(cy + r * ry * Math.sin(angle), h);
      }
    } else {
      double j = around.area; // jitter scale
      double bw = around.box[2];
      double bh = around.box[3];
      double dx = rnd.nextGaussian() * j * bw * 0.5;
      double dy = rnd.nextGaussian() * j * bh * 0.5;
      double scale = Math.exp(rnd.nextGaussian() * j * 0.5);
      double cx = around.box[0] + bw / 2;
      double cy = around.box[1] + bh / 2;
      poly = new double[around.polygon.length];
      for (int k = 0; k < poly.length; k += 2) {
        poly[k] = clamp(cx + dx + (around.polygon[k] - cx) * scale, w);
        poly[k + 1] = clamp(cy + dy + (around.polygon[k + 1] - cy) * scale, h);
      }
    }
    for (int k = 0; k < poly.length; k++) {
      poly[k] = Math.round(poly[k] * 100) / 100.0;
    }
    double x0 = Double.MAX_VALUE;
    double y0 = Double.MAX_VALUE;
    double x1 = -Double.MAX_VALUE;
    double y1 = -Double.MAX_VALUE;
    for (int k = 0; k < poly.length; k += 2) {
      x0 = Math.min(x0, poly[k]);
      x1 = Math.max(x1, poly[k]);
      y0 = Math.min(y0, poly[k + 1]);
      y1 = Math.max(y1, poly[k + 1]);
    }
    double[] box = {x0, y0, x1 - x0, y1 - y0};
    if (box[2] < 1 || box[3] < 1) {
      return null;
    }
    double area = around == null ? Masks.fromPolygon(poly, h, w).area() : 0;
    if (around == null && area == 0) {
      return null;
    }
    return new Obj(category, poly, box, area);
  }

  private static double clamp(double v, int limit) {
    return Math.max(0, Math.min(limit - 1, v));
  }

  private static void writeIds(JsonGenerator g, String field, int[] zeroBased) throws IOException {
    g.writeArrayFieldStart(field);
    for (int c : zeroBased) {
      g.writeNumber(c + 1);
    }
    g.writeEndArray();
  }

  private static boolean contains(int[] a, int v) {
    for (int x : a) {
      if (x == v) {
        return true;
      }
    }
    return false;
  }

  private static int sample(double[] cumulative, double total, SplittableRandom rnd) {
    int i = Arrays.binarySearch(cumulative, rnd.nextDouble() * total);
    return i >= 0 ? i : Math.min(cumulative.length - 1, -i - 1);
  }

  private static int poisson(SplittableRandom rnd, double mean) {
    double l = Math.exp(-mean);
    int k = 0;
    double p = rnd.nextDouble();
    while (p > l) {
      k++;
      p *= rnd.nextDouble();
    }
    return k;
  }
}
