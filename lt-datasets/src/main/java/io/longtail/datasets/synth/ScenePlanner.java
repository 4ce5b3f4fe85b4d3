package io.longtail.datasets.synth;

import java.awt.geom.Area;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Lays out one image: backdrop, clutter and the instances of its assigned categories, with
 * occlusion, sizes and the federated labels. Everything is drawn from a generator seeded by the
 * image's own seed, so images can be planned in any order and on any thread.
 *
 * <p>Sizes follow the COCO area ranges: each instance picks small ({@code 12^2 .. 30^2} px, 30%),
 * medium ({@code 34^2 .. 90^2}, 50%) or large ({@code 100^2 .. 150^2}, 20%), then an area
 * log-uniformly in the range, reached by scaling the shape's unit area. Instances are drawn in
 * placement order; a placement is accepted only if every earlier instance keeps at least half of
 * its area visible (and 40 px). Annotations are the visible regions: the earlier instance's region
 * minus the later ones, computed exactly on polygons, so masks have holes where an occluder sits
 * inside an instance (written as keyhole polygons).
 */
final class ScenePlanner {

  static final double MIN_VISIBLE_FRACTION = 0.5;
  static final double MIN_VISIBLE_PIXELS = 40;
  private static final double[][] SIZE_BANDS = {{12, 30}, {34, 90}, {100, 150}};
  private static final double[] SIZE_PROBABILITIES = {0.3, 0.5, 0.2};
  private static final int ATTEMPTS = 24;
  private static final double MAX_ROTATION = Math.toRadians(15);

  private final int size;
  private final int maxInstances;
  private final int negativesPerImage;
  private final double notExhaustiveProbability;
  private final List<ShapeCategory> allCategories;

  ScenePlanner(
      int size,
      int maxInstances,
      int negativesPerImage,
      double notExhaustiveProbability,
      List<ShapeCategory> allCategories) {
    this.size = size;
    this.maxInstances = maxInstances;
    this.negativesPerImage = negativesPerImage;
    this.notExhaustiveProbability = notExhaustiveProbability;
    this.allCategories = allCategories;
  }

  /**
   * Plans an image.
   *
   * @param imageId its LVIS id
   * @param categories the categories that must appear (at least one annotated instance each)
   * @param seed the image's seed
   */
  Scene plan(long imageId, List<ShapeCategory> categories, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    Scene.Background background = background(rng);
    List<Scene.Clutter> clutter = clutter(rng);

    // First one instance of every category (in random order), then the extra ones.
    List<ShapeCategory> firsts = new ArrayList<>(categories);
    shuffle(firsts, rng);
    List<ShapeCategory> extras = new ArrayList<>();
    for (ShapeCategory c : firsts) {
      double u = rng.nextDouble();
      int count = u < 0.6 ? 1 : u < 0.85 ? 2 : 3;
      for (int i = 1; i < count; i++) {
        extras.add(c);
      }
    }
    shuffle(extras, rng);

    List<PlacedShape> placed = new ArrayList<>();
    List<Area> visible = new ArrayList<>();
    List<Double> fullAreas = new ArrayList<>();
    for (ShapeCategory c : firsts) {
      if (!place(c, rng, placed, visible, fullAreas, true)) {
        throw new IllegalStateException(
            "could not place category " + c.name() + " in image " + imageId);
      }
    }
    for (ShapeCategory c : extras) {
      if (placed.size() >= maxInstances) {
        break;
      }
      place(c, rng, placed, visible, fullAreas, false);
    }

    // Not exhaustive: in some images a category with several instances loses the annotations of
    // a random non-empty proper subset of them (at least one stays annotated).
    boolean[] annotated = new boolean[placed.size()];
    Arrays.fill(annotated, true);
    TreeSet<Integer> notExhaustive = new TreeSet<>();
    List<Integer> multi = new ArrayList<>();
    for (ShapeCategory c : firsts) {
      if (placed.stream().filter(p -> p.category().id() == c.id()).count() >= 2) {
        multi.add(c.id());
      }
    }
    if (!multi.isEmpty() && rng.nextDouble() < notExhaustiveProbability) {
      int id = multi.get(rng.nextInt(multi.size()));
      List<Integer> members = new ArrayList<>();
      for (int i = 0; i < placed.size(); i++) {
        if (placed.get(i).category().id() == id) {
          members.add(i);
        }
      }
      shuffle(members, rng);
      int leaveOut = 1 + rng.nextInt(members.size() - 1);
      for (int i = 0; i < leaveOut; i++) {
        annotated[members.get(i)] = false;
      }
      notExhaustive.add(id);
    }

    TreeSet<Integer> present = new TreeSet<>();
    for (PlacedShape p : placed) {
      present.add(p.category().id());
    }
    List<Integer> absent = new ArrayList<>();
    for (ShapeCategory c : allCategories) {
      if (!present.contains(c.id())) {
        absent.add(c.id());
      }
    }
    TreeSet<Integer> negatives = new TreeSet<>();
    int n = Math.min(negativesPerImage, absent.size());
    for (int i = 0; i < n; i++) {
      int j = i + rng.nextInt(absent.size() - i);
      Integer t = absent.get(i);
      absent.set(i, absent.get(j));
      absent.set(j, t);
      negatives.add(absent.get(i));
    }

    List<Scene.Instance> instances = new ArrayList<>(placed.size());
    for (int i = 0; i < placed.size(); i++) {
      double[][] parts = Polygons.toParts(visible.get(i));
      double area = Math.round(Polygons.partsArea(parts) * 100) / 100.0;
      instances.add(
          new Scene.Instance(placed.get(i), parts, area, Polygons.bbox(parts), annotated[i]));
    }
    return new Scene(
        imageId,
        size,
        size,
        background,
        List.copyOf(clutter),
        List.copyOf(instances),
        List.copyOf(negatives),
        List.copyOf(notExhaustive));
  }

  private boolean place(
      ShapeCategory c,
      SplittableRandom rng,
      List<PlacedShape> placed,
      List<Area> visible,
      List<Double> fullAreas,
      boolean required) {
    int band = pickBand(rng);
    int attempts = required ? 3 * ATTEMPTS : ATTEMPTS;
    double unitArea = c.shape().unitArea(c.texture());
    Rectangle2D.Double canvas = new Rectangle2D.Double(1, 1, size - 2, size - 2);
    for (int attempt = 0; attempt < attempts; attempt++) {
      if (required && attempt == ATTEMPTS) {
        band = 0; // fall back to small shapes, which fit almost anywhere
      }
      double side = sideLength(band, rng) * size / 256.0;
      double rotation = (rng.nextDouble() * 2 - 1) * MAX_ROTATION;
      double sx = 0.9 + 0.2 * rng.nextDouble();
      double sy = 0.9 + 0.2 * rng.nextDouble();
      double scale = Math.sqrt(side * side / (unitArea * sx * sy));
      PlacedShape probe = new PlacedShape(c, 0, 0, scale, rotation, sx, sy);
      double[] outer = probe.outer();
      double[] b = Polygons.bbox(new double[][] {outer});
      if (b[2] > canvas.width || b[3] > canvas.height) {
        continue;
      }
      double cx = canvas.x - b[0] + rng.nextDouble() * (canvas.width - b[2]);
      double cy = canvas.y - b[1] + rng.nextDouble() * (canvas.height - b[3]);
      PlacedShape shape = new PlacedShape(c, cx, cy, scale, rotation, sx, sy);
      Area region = shape.region();
      double area = Polygons.area(region);
      if (area < MIN_VISIBLE_PIXELS) {
        continue;
      }
      Rectangle2D bounds = region.getBounds2D();
      List<Area> updated = new ArrayList<>(visible.size());
      boolean ok = true;
      for (int i = 0; i < visible.size() && ok; i++) {
        Area v = visible.get(i);
        if (!v.getBounds2D().intersects(bounds)) {
          updated.add(v);
          continue;
        }
        Area w = (Area) v.clone();
        w.subtract(region);
        double left = Polygons.area(w);
        ok = left >= MIN_VISIBLE_FRACTION * fullAreas.get(i) && left >= MIN_VISIBLE_PIXELS;
        updated.add(w);
      }
      if (!ok) {
        continue;
      }
      for (int i = 0; i < updated.size(); i++) {
        visible.set(i, updated.get(i));
      }
      placed.add(shape);
      visible.add((Area) region.clone());
      fullAreas.add(area);
      return true;
    }
    return false;
  }

  private static int pickBand(SplittableRandom rng) {
    double u = rng.nextDouble();
    for (int b = 0; b < SIZE_PROBABILITIES.length - 1; b++) {
      u -= SIZE_PROBABILITIES[b];
      if (u < 0) {
        return b;
      }
    }
    return SIZE_PROBABILITIES.length - 1;
  }

  /** The square root of a log-uniform area in the band. */
  private static double sideLength(int band, SplittableRandom rng) {
    double lo = Math.log(SIZE_BANDS[band][0]);
    double hi = Math.log(SIZE_BANDS[band][1]);
    return StrictMath.exp(lo + rng.nextDouble() * (hi - lo));
  }

  private Scene.Background background(SplittableRandom rng) {
    double hue = rng.nextDouble() * 360;
    Rgb from = Rgb.hsv(hue, 0.3 * rng.nextDouble(), 0.35 + 0.5 * rng.nextDouble());
    Rgb to =
        Rgb.hsv(
            hue + 120 * (rng.nextDouble() - 0.5),
            0.3 * rng.nextDouble(),
            0.35 + 0.5 * rng.nextDouble());
    return new Scene.Background(
        from, to, rng.nextDouble() * 2 * Math.PI, 4 + rng.nextInt(9), rng.nextLong());
  }

  private List<Scene.Clutter> clutter(SplittableRandom rng) {
    List<Scene.Clutter> out = new ArrayList<>();
    double k = size / 256.0;
    int blobs = 2 + rng.nextInt(4);
    for (int i = 0; i < blobs; i++) {
      int n = 7 + rng.nextInt(6);
      double r = (8 + 30 * rng.nextDouble()) * k;
      double cx = rng.nextDouble() * size;
      double cy = rng.nextDouble() * size;
      double[] xy = new double[2 * n];
      for (int j = 0; j < n; j++) {
        double a = 2 * Math.PI * (j + 0.4 * rng.nextDouble()) / n;
        double rr = r * (0.45 + 0.55 * rng.nextDouble());
        xy[2 * j] = cx + rr * StrictMath.cos(a);
        xy[2 * j + 1] = cy + rr * StrictMath.sin(a);
      }
      out.add(new Scene.Blob(xy, dullColour(rng)));
    }
    int lines = 3 + rng.nextInt(6);
    for (int i = 0; i < lines; i++) {
      int n = 2 + rng.nextInt(4);
      double[] xy = new double[2 * n];
      double x = rng.nextDouble() * size;
      double y = rng.nextDouble() * size;
      double heading = rng.nextDouble() * 2 * Math.PI;
      for (int j = 0; j < n; j++) {
        xy[2 * j] = x;
        xy[2 * j + 1] = y;
        double step = (20 + 60 * rng.nextDouble()) * k;
        heading += (rng.nextDouble() - 0.5) * 1.5;
        x += step * StrictMath.cos(heading);
        y += step * StrictMath.sin(heading);
      }
      Rgb colour =
          rng.nextDouble() < 0.3 ? Rgb.hsv(rng.nextDouble() * 360, 0.8, 0.9) : dullColour(rng);
      out.add(new Scene.Line(xy, colour, 1 + rng.nextInt(3)));
    }
    return out;
  }

  private static Rgb dullColour(SplittableRandom rng) {
    return Rgb.hsv(rng.nextDouble() * 360, 0.55 * rng.nextDouble(), 0.25 + 0.7 * rng.nextDouble());
  }

  private static <T> void shuffle(List<T> list, SplittableRandom rng) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      T t = list.get(i);
      list.set(i, list.get(j));
      list.set(j, t);
    }
  }
}
