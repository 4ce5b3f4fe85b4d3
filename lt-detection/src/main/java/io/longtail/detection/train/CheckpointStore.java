package io.longtail.detection.train;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checkpoints of one run directory, laid out as detectron2's {@code Checkpointer}: files {@code
 * model_0001000.ckpt} (the number is {@link CheckpointInfo#iteration()}, zero-padded to 7 digits)
 * and a pointer file {@code last_checkpoint} holding the newest one's file name.
 *
 * <p>A save writes the checkpoint atomically ({@link Checkpoint#write}), then replaces the pointer
 * atomically the same way, then prunes. A run killed at any moment therefore leaves {@code
 * last_checkpoint} naming a complete, loadable file: the previous one until the new file is fully
 * on disk, the new one after. Stray temporary files of a killed writer ({@code .*.tmp}) are
 * ignored, and removed by the next successful save.
 */
public final class CheckpointStore {
  /** The pointer file's name. */
  public static final String POINTER = "last_checkpoint";

  private static final Pattern NAME = Pattern.compile("model_(\\d+)\\.ckpt");
  private static final Pattern TEMPORARY =
      Pattern.compile("\\.(model_\\d+\\.ckpt|" + POINTER + ")\\.[0-9]+-[0-9a-f]+\\.tmp");

  private final Path dir;
  private final int keepLast;

  /**
   * A store that keeps every checkpoint.
   *
   * @param dir the run directory (created on the first save)
   */
  public CheckpointStore(Path dir) {
    this(dir, 0);
  }

  /**
   * A store that keeps only the newest checkpoints.
   *
   * @param dir the run directory (created on the first save)
   * @param keepLast how many checkpoints to keep after each save, {@code >= 1}, or 0 for all
   */
  public CheckpointStore(Path dir, int keepLast) {
    if (keepLast < 0) {
      throw new IllegalArgumentException("keepLast must be >= 0 (0 keeps all), got " + keepLast);
    }
    this.dir = dir.toAbsolutePath();
    this.keepLast = keepLast;
  }

  /** The run directory. */
  public Path directory() {
    return dir;
  }

  /**
   * The file of the checkpoint at an iteration.
   *
   * @param iteration completed iterations
   * @return {@code dir/model_%07d.ckpt}
   */
  public Path pathFor(long iteration) {
    if (iteration < 0) {
      throw new IllegalArgumentException("iteration must be >= 0, got " + iteration);
    }
    return dir.resolve(String.format("model_%07d.ckpt", iteration));
  }

  /**
   * Saves a checkpoint, makes it the latest and prunes old ones.
   *
   * @param info the small parts; {@code info.iteration()} names the file
   * @param parameters writes the model parameters
   * @param optimizer writes the optimizer state
   * @return the checkpoint's file
   * @throws IOException if writing fails; the previous latest checkpoint is then unchanged
   */
  public Path save(CheckpointInfo info, BlobWriter parameters, BlobWriter optimizer)
      throws IOException {
    Path file = pathFor(info.iteration());
    Checkpoint.write(file, info, parameters, optimizer);
    writePointer(file.getFileName().toString());
    prune(file);
    return file;
  }

  /**
   * The latest checkpoint's file: the one {@code last_checkpoint} names or, without a pointer, the
   * highest-numbered {@code model_*.ckpt}.
   *
   * @return the file, or empty if the run has none
   * @throws CheckpointException if the pointer names a file that does not exist
   * @throws IOException if the directory cannot be read
   */
  public Optional<Path> latestFile() throws IOException {
    Path pointer = dir.resolve(POINTER);
    if (Files.isRegularFile(pointer)) {
      String name = Files.readString(pointer, StandardCharsets.UTF_8).strip();
      Path file = dir.resolve(name);
      if (name.isEmpty() || !file.getParent().equals(dir) || !Files.isRegularFile(file)) {
        throw new CheckpointException(
            file, "named by " + pointer + " as the latest checkpoint, but missing", null);
      }
      return Optional.of(file);
    }
    List<Path> all = list();
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /**
   * The latest checkpoint's file for messages ({@link LossGuard}): like {@link #latestFile()} but
   * never failing.
   *
   * @return the file, or empty if there is none or it cannot be determined
   */
  public Optional<Path> latestPath() {
    try {
      return latestFile();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Loads the latest checkpoint.
   *
   * @return it, or empty if the run has none
   * @throws CheckpointException naming the file if it is unreadable
   * @throws IOException on other read errors
   */
  public Optional<Checkpoint> latest() throws IOException {
    Optional<Path> file = latestFile();
    return file.isPresent() ? Optional.of(load(file.get())) : Optional.empty();
  }

  /**
   * Loads a checkpoint file (of this or any other store).
   *
   * @param file the file
   * @return the checkpoint
   * @throws CheckpointException naming the file if it is missing, truncated or corrupt
   * @throws IOException on other read errors
   */
  public Checkpoint load(Path file) throws IOException {
    return Checkpoint.read(file);
  }

  /**
   * The checkpoint files in the directory, oldest (lowest iteration) first.
   *
   * @return the files, empty if the directory does not exist
   * @throws IOException if the directory cannot be read
   */
  public List<Path> list() throws IOException {
    List<Path> files = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return files;
    }
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path p : stream) {
        if (NAME.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p)) {
          files.add(p);
        }
      }
    }
    files.sort(Comparator.comparingLong(CheckpointStore::iterationOf));
    return files;
  }

  private static long iterationOf(Path file) {
    Matcher m = NAME.matcher(file.getFileName().toString());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a checkpoint file name: " + file);
    }
    return Long.parseLong(m.group(1));
  }

  private void writePointer(String name) throws IOException {
    Path pointer = dir.resolve(POINTER);
    Path tmp = Checkpoint.temporarySibling(pointer);
    boolean moved = false;
    try {
      try (FileChannel channel =
          FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        channel.write(StandardCharsets.UTF_8.encode(name + "\n"));
        channel.force(true);
      }
      Files.move(tmp, pointer, StandardCopyOption.ATOMIC_MOVE);
      moved = true;
      Checkpoint.forceDirectory(dir);
    } finally {
      if (!moved) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  private void prune(Path current) throws IOException {
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path p : stream) {
        // One writer per run directory: any temporary file left now belongs to a dead writer.
        if (TEMPORARY.matcher(p.getFileName().toString()).matches()) {
          Files.deleteIfExists(p);
        }
      }
    }
    if (keepLast == 0) {
      return;
    }
    List<Path> all = list();
    for (int i = 0; i < all.size() - keepLast; i++) {
      if (!all.get(i).equals(current)) {
        Files.deleteIfExists(all.get(i));
      }
    }
  }
}
