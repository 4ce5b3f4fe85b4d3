package io.longtail.datasets.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.longtail.datasets.eval.IouType;
import io.longtail.datasets.eval.LvisEvalResult;
import io.longtail.datasets.eval.LvisEvaluator;
import io.longtail.datasets.eval.Metric;
import io.longtail.datasets.lvis.Annotation;
import io.longtail.datasets.lvis.Category;
import io.longtail.datasets.lvis.Frequency;
import io.longtail.datasets.lvis.ImageInfo;
import io.longtail.datasets.lvis.LvisDataset;
import io.longtail.datasets.lvis.LvisReader;
import io.longtail.datasets.sampling.LongTailProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LtShapesGeneratorTest {

  /** Small but long-tailed: 16 categories, 120 train and 48 val images of 128 px. */
  static LtShapesConfig small() {
    return LtShapesConfig.builder()
        .optCategories(16)
        .optTrainImages(120)
        .optValImages(48)
        .optImbalance(20)
        .optImageSize(128)
        .optSeed(7)
        .optNotExhaustiveProbability(0.5)
        .optMinValImages(3)
        .build();
  }

  @TempDir static Path dir;
  static SynthSummary summary;
  static LvisDataset train;
  static LvisDataset val;

  @BeforeAll
  static void generate() throws IOException {
    summary =
        LtShapesGenerator.builder()
            .optConfig(small())
            .optThreads(2)
            .build()
            .generate(dir.resolve("a"));
    train = LvisReader.builder().build().read(summary.trainAnnotations());
    val = LvisReader.builder().build().read(summary.valAnnotations());
  }

  @Test
  void sameArgumentsAndSeedGiveByteIdenticalFilesWhateverTheThreads() throws IOException {
    LtShapesGenerator.builder().optConfig(small()).optThreads(1).build().generate(dir.resolve("b"));
    Map<Path, byte[]> a = contents(dir.resolve("a"));
    Map<Path, byte[]> b = contents(dir.resolve("b"));
    assertThat(b.keySet()).isEqualTo(a.keySet());
    assertThat(a).hasSize(120 + 48 + 2);
    for (Path p : a.keySet()) {
      assertThat(b.get(p)).as(p.toString()).isEqualTo(a.get(p));
    }
  }

  @Test
  void anotherSeedGivesOtherImages() throws IOException {
    LtShapesConfig other =
        LtShapesConfig.builder()
            .optCategories(16)
            .optTrainImages(120)
            .optValImages(48)
            .optImbalance(20)
            .optImageSize(128)
            .optSeed(8)
            .optMinValImages(3)
            .build();
    Path c = dir.resolve("c");
    LtShapesGenerator.builder().optConfig(other).build().generate(c);
    assertThat(Files.readAllBytes(c.resolve("images/train/000001.jpg")))
        .isNotEqualTo(Files.readAllBytes(dir.resolve("a/images/train/000001.jpg")));
  }

  @Test
  void filesLoadWithTheLvisReaderAndEveryImageResolves() {
    assertThat(train.images()).hasSize(120);
    assertThat(val.images()).hasSize(48);
    assertThat(train.categories()).hasSize(16);
    for (ImageInfo image : train.images()) {
      assertThat(image.fileName()).startsWith("train/");
      assertThat(summary.imagesRoot().resolve(image.fileName())).isRegularFile();
    }
    for (ImageInfo image : val.images()) {
      assertThat(image.fileName()).startsWith("val/");
      assertThat(summary.imagesRoot().resolve(image.fileName())).isRegularFile();
    }
  }

  @Test
  void categoryCountsAndFrequenciesComeFromTheTrainSplit() {
    Map<Integer, Set<Long>> images = new HashMap<>();
    Map<Integer, Integer> instances = new HashMap<>();
    for (Annotation a : train.annotations()) {
      images.computeIfAbsent(a.categoryId(), k -> new HashSet<>()).add(a.imageId());
      instances.merge(a.categoryId(), 1, Integer::sum);
    }
    for (Category c : train.categories()) {
      int n = images.get(c.id()).size();
      assertThat(c.imageCount()).as(c.name()).isEqualTo(n);
      assertThat(c.instanceCount()).as(c.name()).isEqualTo(instances.get(c.id()));
      assertThat(c.frequency()).isEqualTo(CategoryStats.frequencyOf(n));
      assertThat(val.category(c.id())).isEqualTo(c);
    }
    // The realised image counts are exactly the long-tailed targets.
    LtShapesGenerator g = LtShapesGenerator.builder().optConfig(small()).build();
    int[] targets = g.trainCountsByRank();
    for (CategoryStats s : summary.categories()) {
      assertThat(s.trainImages()).isEqualTo(targets[s.category().rank()]);
    }
    assertThat(targets[0] / (double) targets[15]).isBetween(15.0, 25.0);
  }

  @Test
  void everyCategoryHasValInstances() {
    for (Category c : val.categories()) {
      assertThat(val.imagesWithCategory(c.id())).as(c.name()).hasSizeGreaterThanOrEqualTo(3);
    }
    assertThat(summary.minValInstances(Frequency.RARE)).isGreaterThanOrEqualTo(3);
  }

  @Test
  void negativeCategoriesAreAbsentAndNotExhaustiveOnesPresent() {
    int notExhaustive = 0;
    for (LvisDataset d : List.of(train, val)) {
      for (ImageInfo image : d.images()) {
        Set<Integer> present =
            Arrays.stream(d.categoryIdsOfImage(image.id())).boxed().collect(Collectors.toSet());
        assertThat(image.negCategoryIds()).hasSize(6).doesNotContainAnyElementsOf(present);
        assertThat(present).containsAll(image.notExhaustiveCategoryIds());
        notExhaustive += image.notExhaustiveCategoryIds().size();
      }
    }
    assertThat(notExhaustive).isPositive();
  }

  @Test
  void notExhaustiveImagesReallyHaveUnannotatedInstances() {
    // Plan an image the way the generator does and compare drawn and annotated instances.
    ScenePlanner planner = new ScenePlanner(128, 8, 6, 1.0, CategoryCatalog.create(16, 7));
    List<ShapeCategory> cats = CategoryCatalog.create(16, 7);
    int checked = 0;
    for (long seed = 0; seed < 40; seed++) {
      Scene s = planner.plan(seed, List.of(cats.get(0), cats.get(1)), seed);
      for (int id : s.notExhaustiveCategoryIds()) {
        long drawn = s.instances().stream().filter(i -> i.shape().category().id() == id).count();
        long annotated =
            s.instances().stream()
                .filter(i -> i.shape().category().id() == id && i.annotated())
                .count();
        assertThat(annotated).isBetween(1L, drawn - 1);
        checked++;
      }
    }
    assertThat(checked).isPositive();
  }

  @Test
  void valGroundTruthEvaluatedAgainstItselfGivesApOne() {
    var detections = GroundTruthResults.of(val);
    for (IouType type : IouType.values()) {
      LvisEvalResult r = LvisEvaluator.builder().setIouType(type).build().evaluate(val, detections);
      assertThat(r.get(Metric.AP)).as(type.key()).isCloseTo(1.0, within(1e-12));
      assertThat(r.get(Metric.APR)).as(type.key()).isCloseTo(1.0, within(1e-12));
    }
  }

  @Test
  void defaultSizePopulatesRareCommonAndFrequentForBothProfiles() {
    for (LongTailProfile profile : LongTailProfile.values()) {
      LtShapesGenerator g =
          LtShapesGenerator.builder()
              .optConfig(LtShapesConfig.builder().optProfile(profile).build())
              .build();
      int[] counts = g.trainCountsByRank();
      Map<Frequency, Long> groups =
          Arrays.stream(counts)
              .mapToObj(CategoryStats::frequencyOf)
              .collect(Collectors.groupingBy(f -> f, Collectors.counting()));
      assertThat(groups).as(profile.name()).containsKeys(Frequency.values());
      assertThat(counts[0] / (double) counts[59]).as(profile.name()).isBetween(80.0, 125.0);
    }
    int[] exp = LtShapesGenerator.builder().build().trainCountsByRank();
    assertThat(Arrays.stream(exp).filter(n -> n <= 10).count()).isEqualTo(20);
    assertThat(Arrays.stream(exp).filter(n -> n > 100).count()).isEqualTo(11);
  }

  @Test
  void threeHundredCategoriesFitWithEnoughImages() {
    LtShapesGenerator g =
        LtShapesGenerator.builder()
            .optConfig(
                LtShapesConfig.builder()
                    .optCategories(300)
                    .optTrainImages(20_000)
                    .optValImages(3000)
                    .build())
            .build();
    int[] counts = g.trainCountsByRank();
    assertThat(counts).hasSize(300);
    assertThat(Arrays.stream(counts).filter(n -> n > 100).count()).isPositive();
    assertThat(Arrays.stream(counts).filter(n -> n <= 10).count()).isPositive();
    assertThat(Arrays.stream(g.valCountsByRank()).min().getAsInt()).isGreaterThanOrEqualTo(8);
  }

  private static Map<Path, byte[]> contents(Path root) throws IOException {
    Map<Path, byte[]> out = new HashMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        out.put(root.relativize(p), Files.readAllBytes(p));
      }
    }
    return out;
  }
}
