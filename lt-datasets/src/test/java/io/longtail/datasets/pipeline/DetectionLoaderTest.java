package io.longtail.datasets.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.BatchSampler;
import ai.djl.training.dataset.Record;
import io.longtail.datasets.lvis.LvisDataset;
import io.longtail.datasets.lvis.LvisReader;
import io.longtail.datasets.sampling.EpochBatchSampler;
import io.longtail.datasets.sampling.ImageCategories;
import io.longtail.datasets.sampling.RandomSampler;
import io.longtail.datasets.sampling.RepeatFactorSampler;
import io.longtail.datasets.synth.LtShapesConfig;
import io.longtail.datasets.synth.LtShapesGenerator;
import io.longtail.datasets.synth.SynthSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetectionLoaderTest {

  @TempDir static Path dir;
  static SynthSummary summary;
  static LvisDataset train;

  @BeforeAll
  static void generate() throws IOException {
    LtShapesConfig config =
        LtShapesConfig.builder()
            .optCategories(6)
            .optTrainImages(20)
            .optValImages(0)
            .optImageSize(64)
            .optSeed(3)
            .build();
    summary = LtShapesGenerator.builder().optConfig(config).build().generate(dir.resolve("ds"));
    train = LvisReader.builder().build().read(summary.trainAnnotations());
  }

  private static DetectionDataset dataset(Path imagesRoot, boolean skip) {
    return DetectionDataset.builder()
        .setAnnotations(train)
        .setImagesRoot(imagesRoot)
        .optTransform(DetectionTransform.builder().optMinSize(64).optMaxSize(128).build())
        .optSkipBadImages(skip)
        .build();
  }

  private static DetectionLoader loader(DetectionDataset ds, NDManager manager, long seed) {
    return DetectionLoader.builder()
        .setDataset(ds)
        .setSampler(new BatchSampler(new RandomSampler(1), 4, false))
        .setManager(manager)
        .setSeed(seed)
        .optWorkers(2)
        .build();
  }

  @Test
  void anEpochYieldsPaddedTypedBatchesCoveringEveryImage() {
    DetectionDataset ds = dataset(summary.imagesRoot(), false);
    try (NDManager manager = NDManager.newBaseManager();
        DetectionLoader loader = loader(ds, manager, 5)) {
      Set<Long> seen = new HashSet<>();
      int batches = 0;
      for (DetectionBatch batch : loader) {
        try (batch) {
          assertThat(batch.images().getShape()).isEqualTo(new Shape(batch.size(), 3, 64, 64));
          for (ImageTargets t : batch.targets()) {
            seen.add(t.imageId());
            assertThat(t.size()).isEqualTo(train.annotationsOfImage(t.imageId()).size());
            for (int label : t.labels()) {
              assertThat(label).isBetween(0, 5);
            }
          }
          batches++;
        }
      }
      assertThat(batches).isEqualTo(5);
      assertThat(seen).hasSize(20);
    }
  }

  @Test
  void flipsDependOnlyOnTheSeed() {
    DetectionDataset ds = dataset(summary.imagesRoot(), false);
    try (NDManager manager = NDManager.newBaseManager()) {
      List<Boolean> a = flips(loader(ds, manager, 9));
      List<Boolean> b = flips(loader(ds, manager, 9));
      List<Boolean> c = flips(loader(ds, manager, 10));
      assertThat(a).isEqualTo(b).isNotEqualTo(c).contains(true, false);
    }
  }

  private static List<Boolean> flips(DetectionLoader loader) {
    List<Boolean> out = new ArrayList<>();
    try (loader) {
      for (DetectionBatch batch : loader) {
        try (batch) {
          batch.targets().forEach(t -> out.add(t.flipped()));
        }
      }
    }
    return out;
  }

  @Test
  void aMissingImageIsAnErrorNamingTheFileOrIsSkippedAndCounted() throws IOException {
    Path root = dir.resolve("broken");
    Files.createDirectories(root.resolve("train"));
    for (var image : train.images()) {
      Files.copy(summary.imagesRoot().resolve(image.fileName()), root.resolve(image.fileName()));
    }
    String missing = train.images().get(3).fileName();
    Files.delete(root.resolve(missing));
    String corrupt = train.images().get(4).fileName();
    Files.write(root.resolve(corrupt), new byte[] {1, 2, 3});

    try (NDManager manager = NDManager.newBaseManager()) {
      DetectionDataset strict = dataset(root, false);
      assertThatThrownBy(
              () -> {
                try (DetectionLoader l = loader(strict, manager, 1)) {
                  l.forEach(DetectionBatch::close);
                }
              })
          .isInstanceOf(UncheckedIOException.class)
          .hasCauseInstanceOf(BadImageException.class)
          .hasMessageContaining("train/00000");

      DetectionDataset lenient = dataset(root, true);
      int images = 0;
      try (DetectionLoader l = loader(lenient, manager, 1)) {
        for (DetectionBatch batch : l) {
          try (batch) {
            images += batch.size();
          }
        }
      }
      assertThat(images).isEqualTo(18);
      assertThat(lenient.skippedImages()).isEqualTo(2);
    }
  }

  @Test
  void djlRecordsHoldTheImageBoxesAndClasses() throws IOException {
    DetectionDataset ds = dataset(summary.imagesRoot(), false);
    try (NDManager manager = NDManager.newBaseManager()) {
      Record r = ds.get(manager, 0);
      int n = train.annotationsOfImage(train.images().get(0).id()).size();
      assertThat(r.getData().head().getShape()).isEqualTo(new Shape(3, 64, 64));
      assertThat(r.getLabels().get(0).getShape()).isEqualTo(new Shape(n, 4));
      assertThat(r.getLabels().get(1).getShape()).isEqualTo(new Shape(n));
      assertThat(ds.size()).isEqualTo(20);
    }
  }

  @Test
  void repeatFactorSamplingPlugsIntoTheLoader() {
    DetectionDataset ds = dataset(summary.imagesRoot(), false);
    RepeatFactorSampler rfs =
        RepeatFactorSampler.builder()
            .setImages(ImageCategories.of(train))
            .setSeed(2)
            .optThreshold(0.5)
            .build();
    int expected = rfs.epochIndices(0).length;
    try (NDManager manager = NDManager.newBaseManager();
        DetectionLoader loader =
            DetectionLoader.builder()
                .setDataset(ds)
                .setSampler(new EpochBatchSampler(rfs, 3, false))
                .setManager(manager)
                .setSeed(0)
                .build()) {
      int images = 0;
      for (DetectionBatch batch : loader) {
        try (batch) {
          images += batch.size();
        }
      }
      assertThat(images).isEqualTo(expected).isGreaterThan(20);
    }
  }
}
