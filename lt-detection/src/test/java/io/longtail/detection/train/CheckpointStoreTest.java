package io.longtail.detection.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
  @TempDir Path dir;

  private static final Provenance PROVENANCE =
      new Provenance(
          "0.1.0",
          "0.36.0",
          "MXNet",
          "1.9.1",
          "17.0.2",
          42,
          "data/lt-shapes/train.json",
          Instant.parse("2025-01-31T10:15:30Z"),
          "host-a");

  private static CheckpointInfo info(long iteration) {
    return new CheckpointInfo(
        iteration, new SamplerState(42, 3, 17), "solver:\n  baseLr: 0.02\n", PROVENANCE);
  }

  private static byte[] blob(long seed, int size) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static Path save(CheckpointStore store, long iteration) throws IOException {
    return store.save(
        info(iteration),
        out -> out.write(blob(iteration, 10_000)),
        out -> out.write(blob(-iteration, 500)));
  }

  @Test
  void roundTripKeepsEveryPart() throws IOException {
    CheckpointStore store = new CheckpointStore(dir);
    Path file = save(store, 1000);
    assertThat(file).isEqualTo(dir.resolve("model_0001000.ckpt"));
    Checkpoint c = store.load(file);
    assertThat(c.file()).isEqualTo(file);
    assertThat(c.info()).isEqualTo(info(1000));
    assertThat(c.parameterBytes()).isEqualTo(blob(1000, 10_000));
    assertThat(c.optimizerBytes()).isEqualTo(blob(-1000, 500));
    assertThat(c.parameterStream().readAllBytes()).isEqualTo(blob(1000, 10_000));
    // The documented layout: a zip with four named entries, and the pointer file.
    try (ZipFile zip = new ZipFile(file.toFile())) {
      assertThat(zip.stream().map(ZipEntry::getName))
          .containsExactly("checkpoint.json", "config.yaml", "params.bin", "optimizer.bin");
      String json = new String(zip.getInputStream(zip.getEntry("checkpoint.json")).readAllBytes());
      assertThat(json).contains("\"format\" : \"lt-checkpoint\"").contains("\"iteration\" : 1000");
    }
    assertThat(Files.readString(dir.resolve(CheckpointStore.POINTER)))
        .isEqualTo("model_0001000.ckpt\n");
  }

  @Test
  void latestFollowsTheLastSave() throws IOException {
    CheckpointStore store = new CheckpointStore(dir);
    assertThat(store.latest()).isEmpty();
    assertThat(store.latestPath()).isEmpty();
    save(store, 100);
    save(store, 200);
    assertThat(store.latest().orElseThrow().info().iteration()).isEqualTo(200);
    assertThat(store.list())
        .containsExactly(dir.resolve("model_0000100.ckpt"), dir.resolve("model_0000200.ckpt"));
  }

  @Test
  void aWriterFailingHalfwayLeavesThePreviousLatestIntact() throws IOException {
    CheckpointStore store = new CheckpointStore(dir);
    save(store, 100);
    BlobWriter failing =
        out -> {
          out.write(blob(7, 50_000)); // half of the parameters are out...
          throw new IOException("disk full");
        };
    assertThatThrownBy(() -> store.save(info(200), failing, out -> out.write(1)))
        .isInstanceOf(IOException.class)
        .hasMessage("disk full");
    assertThat(store.list()).containsExactly(dir.resolve("model_0000100.ckpt"));
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("no temporary file left behind")
          .containsExactlyInAnyOrder("model_0000100.ckpt", CheckpointStore.POINTER);
    }
    Checkpoint latest = store.latest().orElseThrow();
    assertThat(latest.info().iteration()).isEqualTo(100);
    assertThat(latest.parameterBytes()).isEqualTo(blob(100, 10_000));
  }

  @Test
  void aKilledWritersLeftoversAreIgnoredThenCleanedUp() throws IOException {
    CheckpointStore store = new CheckpointStore(dir);
    Path good = save(store, 100);
    // What a kill -9 during the next save leaves: a partial temporary file, old pointer.
    byte[] full = Files.readAllBytes(good);
    Path stray = dir.resolve(".model_0000200.ckpt.4242-1f3a.tmp");
    Files.write(stray, Arrays.copyOf(full, full.length / 2));
    assertThat(store.latestFile()).contains(good);
    assertThat(store.latest().orElseThrow().info().iteration()).isEqualTo(100);
    save(store, 200);
    assertThat(stray).doesNotExist();
  }

  @Test
  void aTruncatedCheckpointIsReportedWithItsName() throws IOException {
    CheckpointStore store = new CheckpointStore(dir);
    Path file = save(store, 100);
    byte[] full = Files.readAllBytes(file);
    Path truncated = dir.resolve("model_0000300.ckpt");
    Files.write(truncated, Arrays.copyOf(full, full.length - 100));
    assertThatThrownBy(() -> store.load(truncated))
        .isInstanceOf(CheckpointException.class)
        .hasMessageStartingWith("checkpoint " + truncated + ": ")
        .hasMessageContaining("truncated or corrupt");
    Files.write(truncated, new byte[0]);
    assertThatThrownBy(() -> store.load(truncated))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining(truncated.toString());
  }

  @Test
  void aDamagedParameterBlobFailsItsChecksum() throws IOException {
    CheckpointStore store = new CheckpointStore(dir);
    Path file = save(store, 100);
    byte[] bytes = Files.readAllBytes(file);
    byte[] marker = Arrays.copyOfRange(blob(100, 10_000), 5000, 5032);
    int at = indexOf(bytes, marker);
    assertThat(at).as("parameters are stored uncompressed").isPositive();
    bytes[at + 3] ^= 0x5a;
    Files.write(file, bytes);
    assertThatThrownBy(() -> store.load(file))
        .isInstanceOf(CheckpointException.class)
        .hasMessage(
            "checkpoint " + file + ": entry params.bin is corrupt (size or CRC-32 does not match)");
  }

  @Test
  void aPointerToAMissingFileIsAnError() throws IOException {
    CheckpointStore store = new CheckpointStore(dir);
    Path file = save(store, 100);
    Files.delete(file);
    assertThatThrownBy(store::latest)
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("missing");
    assertThat(store.latestPath()).isEmpty();
  }

  @Test
  void withoutAPointerTheHighestIterationIsLatest() throws IOException {
    CheckpointStore store = new CheckpointStore(dir);
    save(store, 900);
    save(store, 1000);
    Files.delete(dir.resolve(CheckpointStore.POINTER));
    assertThat(store.latestFile()).contains(dir.resolve("model_0001000.ckpt"));
  }

  @Test
  void keepsOnlyTheLastN() throws IOException {
    CheckpointStore store = new CheckpointStore(dir, 2);
    for (long it = 100; it <= 500; it += 100) {
      save(store, it);
    }
    assertThat(store.list())
        .containsExactly(dir.resolve("model_0000400.ckpt"), dir.resolve("model_0000500.ckpt"));
    assertThat(store.latest().orElseThrow().info().iteration()).isEqualTo(500);
  }

  @Test
  void aForeignZipIsRejectedByName() throws IOException {
    Path file = dir.resolve("model_0000001.ckpt");
    try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(file))) {
      zip.putNextEntry(new ZipEntry("something.txt"));
      zip.write("hello".getBytes(StandardCharsets.UTF_8));
    }
    assertThatThrownBy(() -> Checkpoint.read(file))
        .isInstanceOf(CheckpointException.class)
        .hasMessage("checkpoint " + file + ": missing entry checkpoint.json");
    assertThatThrownBy(() -> Checkpoint.read(dir.resolve("nope.ckpt")))
        .isInstanceOf(CheckpointException.class)
        .hasMessageEndingWith("nope.ckpt: no such file");
  }

  @Test
  void provenanceCaptureDescribesThisProcess() {
    Provenance p =
        Provenance.capture(
            7, "train.json", java.time.Clock.fixed(Instant.EPOCH, java.time.ZoneOffset.UTC));
    assertThat(p.engine()).isEqualTo("MXNet");
    assertThat(p.djlVersion()).isNotBlank();
    assertThat(p.engineVersion()).isNotBlank();
    assertThat(p.javaVersion()).isEqualTo(System.getProperty("java.version"));
    assertThat(p.seed()).isEqualTo(7);
    assertThat(p.createdAt()).isEqualTo(Instant.EPOCH);
    assertThat(p.host()).isNotBlank();
    assertThat(p.at(Instant.MAX).createdAt()).isEqualTo(Instant.MAX);
  }

  @Test
  void rejectsBadArgumentsByName() {
    assertThatThrownBy(() -> new CheckpointStore(dir, -1))
        .hasMessage("keepLast must be >= 0 (0 keeps all), got -1");
    assertThatThrownBy(() -> new SamplerState(1, -1, 0)).hasMessage("epoch must be >= 0, got -1");
    assertThatThrownBy(() -> info(-5)).hasMessage("iteration must be >= 0, got -5");
    assertThat(SamplerState.start(9)).isEqualTo(new SamplerState(9, 0, 0));
    assertThat(List.of(new CheckpointStore(dir).pathFor(12_345_678L).getFileName().toString()))
        .containsExactly("model_12345678.ckpt");
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
