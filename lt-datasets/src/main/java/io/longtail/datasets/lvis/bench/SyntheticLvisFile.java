package io.longtail.datasets.lvis.bench;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * Writes a synthetic annotation file in the LVIS v1 format, by default at the scale of the LVIS v1
 * train file: 100,170 images, 1203 categories, 1,270,141 annotations with one polygon each (a
 * second, smaller part for 10% of them) of 12 to 76 points, coordinates with two decimals, which
 * gives a file of about 1 GB like the real one. Category use follows a Zipf law (exponent 1.1), so
 * that the file is long-tailed; frequencies are assigned from the resulting image counts as in LVIS
 * (rare up to 10 images, common up to 100). Deterministic for a seed.
 *
 * <p>The values are synthetic; only sizes and structure mimic LVIS.
 */
public final class SyntheticLvisFile {

  private final int images;
  private final int categories;
  private final int annotations;
  private final int minPoints;
  private final int maxPoints;
  private final long seed;

  private SyntheticLvisFile(Builder b) {
    this.images = b.images;
    this.categories = b.categories;
    this.annotations = b.annotations;
    this.minPoints = b.minPoints;
    this.maxPoints = b.maxPoints;
    this.seed = b.seed;
  }

  /** A builder with the LVIS v1 train sizes. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Writes the file.
   *
   * @param file the output (created or truncated)
   * @throws IOException if it cannot be written
   */
  public void write(Path file) throws IOException {
    Random random = new Random(seed);
    // Category of every annotation, drawn first so that categories can carry their counts.
    double[] cumulative = new double[categories];
    double sum = 0;
    for (int c = 0; c < categories; c++) {
      sum += 1.0 / Math.pow(c + 1, 1.1);
      cumulative[c] = sum;
    }
    int[] categoryOf = new int[annotations];
    int[] imageOf = new int[annotations];
    int[] instanceCount = new int[categories];
    for (int i = 0; i < annotations; i++) {
      int k = Arrays.binarySearch(cumulative, random.nextDouble() * sum);
      int c = k >= 0 ? k : Math.min(-k - 1, categories - 1);
      categoryOf[i] = c;
      imageOf[i] = random.nextInt(images);
      instanceCount[c]++;
    }
    // Annotations are grouped by image as in LVIS; image counts are approximated by instances
    // spread over distinct images (exact enough for a benchmark).
    int[] order = sortByImage(imageOf);

    OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20);
    try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeObjectFieldStart("info");
      g.writeStringField("description", "synthetic file at LVIS v1 train scale, seed " + seed);
      g.writeEndObject();

      g.writeArrayFieldStart("categories");
      for (int c = 0; c < categories; c++) {
        int imageCount = Math.min(instanceCount[c], images);
        g.writeStartObject();
        g.writeNumberField("id", c + 1);
        g.writeStringField("name", String.format("category_%04d", c + 1));
        g.writeStringField("synset", String.format("category_%04d.n.01", c + 1));
        g.writeStringField("def", "a synthetic category");
        g.writeStringField("frequency", imageCount <= 10 ? "r" : imageCount <= 100 ? "c" : "f");
        g.writeNumberField("image_count", imageCount);
        g.writeNumberField("instance_count", instanceCount[c]);
        g.writeArrayFieldStart("synonyms");
        g.writeString(String.format("category_%04d", c + 1));
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();

      int[] width = new int[images];
      int[] height = new int[images];
      g.writeArrayFieldStart("images");
      for (int i = 0; i < images; i++) {
        width[i] = 320 + random.nextInt(321);
        height[i] = 240 + random.nextInt(241);
        g.writeStartObject();
        g.writeNumberField("id", i + 1);
        g.writeNumberField("width", width[i]);
        g.writeNumberField("height", height[i]);
        g.writeNumberField("license", 1 + random.nextInt(8));
        g.writeStringField(
            "coco_url", String.format("http://images.cocodataset.org/train2017/%012d.jpg", i + 1));
        g.writeArrayFieldStart("neg_category_ids");
        for (int n = random.nextInt(8); n > 0; n--) {
          g.writeNumber(1 + random.nextInt(categories));
        }
        g.writeEndArray();
        g.writeArrayFieldStart("not_exhaustive_category_ids");
        if (random.nextInt(4) == 0) {
          g.writeNumber(1 + random.nextInt(categories));
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();

      g.writeArrayFieldStart("annotations");
      for (int k = 0; k < annotations; k++) {
        int a = order[k];
        int img = imageOf[a];
        writeAnnotation(g, random, k + 1, img + 1, categoryOf[a] + 1, width[img], height[img]);
      }
      g.writeEndArray();
      g.writeEndObject();
    }
  }

  private void writeAnnotation(
      JsonGenerator g, Random random, long id, long imageId, int categoryId, int w, int h)
      throws IOException {
    double cx = w * (0.1 + 0.8 * random.nextDouble());
    double cy = h * (0.1 + 0.8 * random.nextDouble());
    double radius = 4 + random.nextDouble() * Math.min(w, h) * 0.3;
    int parts = random.nextInt(10) == 0 ? 2 : 1;
    double[][] polygons = new double[parts][];
    polygons[0] =
        starPolygon(
            random, cx, cy, radius, minPoints + random.nextInt(maxPoints - minPoints + 1), w, h);
    if (parts == 2) {
      polygons[1] = starPolygon(random, cx + radius, cy, radius / 3, 6 + random.nextInt(25), w, h);
    }
    double x0 = Double.MAX_VALUE;
    double y0 = Double.MAX_VALUE;
    double x1 = -Double.MAX_VALUE;
    double y1 = -Double.MAX_VALUE;
    double area = 0;
    for (double[] p : polygons) {
      for (int i = 0; i < p.length; i += 2) {
        x0 = Math.min(x0, p[i]);
        x1 = Math.max(x1, p[i]);
        y0 = Math.min(y0, p[i + 1]);
        y1 = Math.max(y1, p[i + 1]);
        int j = (i + 2) % p.length;
        area += (p[i] * p[j + 1] - p[j] * p[i + 1]) / 2;
      }
    }
    g.writeStartObject();
    g.writeNumberField("id", id);
    g.writeNumberField("image_id", imageId);
    g.writeNumberField("category_id", categoryId);
    g.writeFieldName("segmentation");
    g.writeStartArray();
    for (double[] p : polygons) {
      g.writeArray(p, 0, p.length);
    }
    g.writeEndArray();
    g.writeNumberField("area", round2(Math.abs(area)));
    g.writeFieldName("bbox");
    g.writeArray(new double[] {x0, y0, round2(x1 - x0), round2(y1 - y0)}, 0, 4);
    g.writeEndObject();
  }

  /** A star-shaped polygon around a centre, clipped to the image, two decimals. */
  private static double[] starPolygon(
      Random random, double cx, double cy, double radius, int points, int w, int h) {
    double[] p = new double[2 * points];
    for (int i = 0; i < points; i++) {
      double angle = 2 * Math.PI * i / points;
      double r = radius * (0.5 + 0.5 * random.nextDouble());
      p[2 * i] = round2(Math.max(0, Math.min(w, cx + r * Math.cos(angle))));
      p[2 * i + 1] = round2(Math.max(0, Math.min(h, cy + r * Math.sin(angle))));
    }
    return p;
  }

  private static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }

  /** Indices of {@code keys} in increasing key order (counting sort). */
  private static int[] sortByImage(int[] keys) {
    int max = 0;
    for (int k : keys) {
      max = Math.max(max, k);
    }
    int[] start = new int[max + 2];
    for (int k : keys) {
      start[k + 1]++;
    }
    for (int i = 1; i < start.length; i++) {
      start[i] += start[i - 1];
    }
    int[] order = new int[keys.length];
    for (int i = 0; i < keys.length; i++) {
      order[start[keys[i]]++] = i;
    }
    return order;
  }

  /** Builds a {@link SyntheticLvisFile}; defaults are the LVIS v1 train sizes. */
  public static final class Builder {
    private int images = 100_170;
    private int categories = 1203;
    private int annotations = 1_270_141;
    private int minPoints = 12;
    private int maxPoints = 76;
    private long seed = 0;

    private Builder() {}

    /** Number of images, default 100,170. */
    public Builder optImages(int images) {
      this.images = images;
      return this;
    }

    /** Number of categories, default 1203. */
    public Builder optCategories(int categories) {
      this.categories = categories;
      return this;
    }

    /** Number of annotations, default 1,270,141. */
    public Builder optAnnotations(int annotations) {
      this.annotations = annotations;
      return this;
    }

    /** Points of the main polygon, uniform in {@code [min, max]}; default 12 to 76. */
    public Builder optPoints(int min, int max) {
      this.minPoints = min;
      this.maxPoints = max;
      return this;
    }

    /** Seed of the generator, default 0. */
    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * The generator.
     *
     * @throws IllegalArgumentException if a size is not positive or the points are not {@code 3 <=
     *     min <= max}
     */
    public SyntheticLvisFile build() {
      if (images <= 0) {
        throw new IllegalArgumentException("images must be > 0, got " + images);
      }
      if (categories <= 0) {
        throw new IllegalArgumentException("categories must be > 0, got " + categories);
      }
      if (annotations < 0) {
        throw new IllegalArgumentException("annotations must be >= 0, got " + annotations);
      }
      if (minPoints < 3 || maxPoints < minPoints) {
        throw new IllegalArgumentException(
            "points must satisfy 3 <= min <= max, got [" + minPoints + ", " + maxPoints + "]");
      }
      return new SyntheticLvisFile(this);
    }
  }
}
