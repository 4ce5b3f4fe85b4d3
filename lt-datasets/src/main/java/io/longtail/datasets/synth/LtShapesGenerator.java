package io.longtail.datasets.synth;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_PNG_COMPRESSION;

import io.longtail.core.concurrent.Tasks;
import io.longtail.datasets.sampling.Seeds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Generates an LT-Shapes dataset: {@code images/train/*}, {@code images/val/*}, {@code
 * lvis_v1_train.json} and {@code lvis_v1_val.json} in an output folder.
 *
 * <p>Steps: the {@link CategoryCatalog} picks the categories and their ranks; the train image count
 * of rank {@code i} is {@code n_i = max(1, round(n_max * profile.fraction(i, K, imbalance)))}; val
 * counts are the train counts scaled to the val split, at least {@code minValImages}; {@link
 * SplitAssignment} assigns categories to images; each image is planned ({@link ScenePlanner}),
 * drawn ({@link SceneRenderer}) and written on a worker thread from its own seed {@code
 * derive(seed, IMAGES, imageId)}; the JSON files are written last, in id order. The output
 * therefore does not depend on the number of threads.
 *
 * <p>Layout: image ids {@code 1 .. trainImages} are the train split, the val ids follow; files are
 * {@code images/<split>/<id, 6 digits>.<ext>} and {@code coco_url} holds that path relative to the
 * output folder, so an LVIS reader's file name ({@code <split>/<file>}) resolves against {@code
 * <out>/images}.
 */
public final class LtShapesGenerator {

  /** Name of the train annotation file. */
  public static final String TRAIN_FILE = "lvis_v1_train.json";

  /** Name of the val annotation file. */
  public static final String VAL_FILE = "lvis_v1_val.json";

  /** Folder of the images, relative to the output folder. */
  public static final String IMAGES_DIR = "images";

  private final LtShapesConfig config;
  private final int threads;
  private final boolean progress;

  private LtShapesGenerator(Builder builder) {
    this.config = builder.config;
    this.threads = builder.threads;
    this.progress = builder.progress;
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The categories of this configuration, in id order. */
  public List<ShapeCategory> categories() {
    return CategoryCatalog.create(config.categories(), config.seed());
  }

  /**
   * The target train image count of every rank ({@code 0} = most frequent).
   *
   * @return {@code K} counts, non-increasing
   */
  public int[] trainCountsByRank() {
    int k = config.categories();
    double sum = 0;
    for (int i = 0; i < k; i++) {
      sum += config.profile().fraction(i, k, config.imbalance());
    }
    double max =
        Math.min(config.trainImages(), config.trainImages() * config.categoriesPerImage() / sum);
    int[] counts = new int[k];
    for (int i = 0; i < k; i++) {
      double n = max * config.profile().fraction(i, k, config.imbalance());
      counts[i] = (int) Math.max(1, Math.min(config.trainImages(), Math.round(n)));
    }
    return counts;
  }

  /**
   * The target val image count of every rank: the train count scaled to the val split, at least
   * {@code minValImages} (lowered, down to 1, when the val split has too few image slots for it).
   */
  public int[] valCountsByRank() {
    int[] train = trainCountsByRank();
    int[] counts = new int[train.length];
    if (config.valImages() == 0) {
      return counts;
    }
    double ratio = (double) config.valImages() / config.trainImages();
    long capacity = (long) config.valImages() * config.maxCategoriesPerImage();
    for (int min = Math.max(1, config.minValImages()); min >= 1; min--) {
      long total = 0;
      for (int i = 0; i < train.length; i++) {
        long n = Math.max(min, Math.round(train[i] * ratio));
        counts[i] = (int) Math.min(config.valImages(), Math.max(1, n));
        total += counts[i];
      }
      if (total <= capacity) {
        break;
      }
    }
    return counts;
  }

  /**
   * Writes the dataset into {@code out} (created if needed; existing files of the same names are
   * replaced).
   *
   * @return the counts and paths
   * @throws IOException if a file cannot be written
   */
  public SynthSummary generate(Path out) throws IOException {
    long start = System.nanoTime();
    List<ShapeCategory> categories = categories();
    ShapeCategory[] byRank = new ShapeCategory[categories.size()];
    for (ShapeCategory c : categories) {
      byRank[c.rank()] = c;
    }
    int[][] train =
        SplitAssignment.assign(
            trainCountsByRank(),
            config.trainImages(),
            config.maxCategoriesPerImage(),
            Seeds.derive(config.seed(), Streams.TRAIN_ASSIGNMENT));
    int[][] val =
        config.valImages() == 0
            ? new int[0][]
            : SplitAssignment.assign(
                valCountsByRank(),
                config.valImages(),
                config.maxCategoriesPerImage(),
                Seeds.derive(config.seed(), Streams.VAL_ASSIGNMENT));

    Path imagesRoot = out.resolve(IMAGES_DIR);
    Files.createDirectories(imagesRoot.resolve("train"));
    Files.createDirectories(imagesRoot.resolve("val"));
    ScenePlanner planner =
        new ScenePlanner(
            config.imageSize(),
            config.maxInstancesPerImage(),
            config.negativesPerImage(),
            config.notExhaustiveProbability(),
            categories);

    int total = train.length + val.length;
    List<LvisJsonWriter.ImageEntry> entries = new ArrayList<>(total);
    ExecutorService pool = Executors.newFixedThreadPool(threads, daemonThreads());
    try (ProgressBar bar = progressBar(total)) {
      List<Future<LvisJsonWriter.ImageEntry>> futures = new ArrayList<>(total);
      for (int i = 0; i < total; i++) {
        boolean isTrain = i < train.length;
        int[] assigned = isTrain ? train[i] : val[i - train.length];
        long imageId = i + 1L;
        String split = isTrain ? "train" : "val";
        List<ShapeCategory> cats = new ArrayList<>(assigned.length);
        for (int rank : assigned) {
          cats.add(byRank[rank]);
        }
        futures.add(
            pool.submit(
                () -> {
                  LvisJsonWriter.ImageEntry e =
                      drawImage(planner, imageId, split, cats, imagesRoot);
                  if (bar != null) {
                    bar.step();
                  }
                  return e;
                }));
      }
      for (Future<LvisJsonWriter.ImageEntry> f : futures) {
        entries.add(Tasks.join(f, "generating LT-Shapes images"));
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } finally {
      pool.shutdownNow();
    }

    List<LvisJsonWriter.ImageEntry> trainEntries = entries.subList(0, train.length);
    List<LvisJsonWriter.ImageEntry> valEntries = entries.subList(train.length, total);
    int[][] trainCounts = counts(trainEntries, categories.size());
    int[][] valCounts = counts(valEntries, categories.size());
    List<CategoryStats> stats = new ArrayList<>(categories.size());
    for (ShapeCategory c : categories) {
      int i = c.id() - 1;
      stats.add(
          new CategoryStats(
              c,
              CategoryStats.frequencyOf(trainCounts[0][i]),
              trainCounts[0][i],
              trainCounts[1][i],
              valCounts[0][i],
              valCounts[1][i]));
    }
    stats.sort(Comparator.comparingInt(s -> s.category().id()));
    Path trainFile = out.resolve(TRAIN_FILE);
    Path valFile = out.resolve(VAL_FILE);
    LvisJsonWriter.write(trainFile, config, "train", stats, trainEntries, 1);
    int trainAnnotations = sum(trainCounts[1]);
    LvisJsonWriter.write(valFile, config, "val", stats, valEntries, trainAnnotations + 1L);
    return new SynthSummary(
        config,
        trainFile,
        valFile,
        imagesRoot,
        stats,
        trainAnnotations,
        sum(valCounts[1]),
        (System.nanoTime() - start) / 1e9);
  }

  @SuppressWarnings("try") // the PointerScope frees the native objects made inside
  private LvisJsonWriter.ImageEntry drawImage(
      ScenePlanner planner, long imageId, String split, List<ShapeCategory> cats, Path imagesRoot) {
    Scene scene = planner.plan(imageId, cats, Seeds.derive(config.seed(), Streams.IMAGES, imageId));
    String file =
        String.format(java.util.Locale.ROOT, "%06d.%s", imageId, config.format().extension());
    Path path = imagesRoot.resolve(split).resolve(file);
    try (PointerScope scope = new PointerScope()) {
      Mat img = SceneRenderer.render(scene);
      int[] params =
          config.format() == ImageFormat.JPG
              ? new int[] {IMWRITE_JPEG_QUALITY, 95}
              : new int[] {IMWRITE_PNG_COMPRESSION, 6};
      if (!opencv_imgcodecs.imwrite(path.toString(), img, params)) {
        throw new UncheckedIOException(new IOException("cannot write image " + path));
      }
    }
    // Keep only what the JSON needs.
    Scene light =
        new Scene(
            scene.imageId(),
            scene.width(),
            scene.height(),
            scene.background(),
            List.of(),
            scene.instances(),
            scene.negCategoryIds(),
            scene.notExhaustiveCategoryIds());
    return new LvisJsonWriter.ImageEntry(light, IMAGES_DIR + "/" + split + "/" + file);
  }

  /** {@code [0]}: images per category index (id - 1), {@code [1]}: annotated instances. */
  private static int[][] counts(List<LvisJsonWriter.ImageEntry> entries, int k) {
    int[][] out = new int[2][k];
    for (LvisJsonWriter.ImageEntry e : entries) {
      boolean[] seen = new boolean[k];
      for (Scene.Instance inst : e.scene().instances()) {
        if (inst.annotated()) {
          int i = inst.shape().category().id() - 1;
          out[1][i]++;
          if (!seen[i]) {
            seen[i] = true;
            out[0][i]++;
          }
        }
      }
    }
    return out;
  }

  private static int sum(int[] a) {
    int s = 0;
    for (int v : a) {
      s += v;
    }
    return s;
  }

  private ProgressBar progressBar(int total) {
    if (!progress) {
      return null;
    }
    return new ProgressBarBuilder()
        .setTaskName("LT-Shapes")
        .setInitialMax(total)
        .setStyle(ProgressBarStyle.ASCII)
        .setUnit(" img", 1)
        .build();
  }

  private static java.util.concurrent.ThreadFactory daemonThreads() {
    return r -> {
      Thread t = new Thread(r, "lt-shapes");
      t.setDaemon(true);
      return t;
    };
  }

  /** Builds an {@link LtShapesGenerator}. */
  public static final class Builder {
    private LtShapesConfig config = LtShapesConfig.builder().build();
    private int threads = Runtime.getRuntime().availableProcessors();
    private boolean progress;

    private Builder() {}

    /** What to generate; default {@code LtShapesConfig.builder().build()}. */
    public Builder optConfig(LtShapesConfig config) {
      if (config == null) {
        throw new IllegalArgumentException("config must not be null");
      }
      this.config = config;
      return this;
    }

    /** Worker threads, default the number of processors; does not change the output. */
    public Builder optThreads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be >= 1, got " + threads);
      }
      this.threads = threads;
      return this;
    }

    /** Shows a progress bar on the console; default {@code false}. */
    public Builder optProgressBar(boolean progress) {
      this.progress = progress;
      return this;
    }

    /** The generator. */
    public LtShapesGenerator build() {
      return new LtShapesGenerator(this);
    }
  }
}
