package io.longtail.detection.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A training checkpoint read back from disk, and the file format's writer and reader.
 *
 * <p>Format {@code lt-checkpoint} version 1: one zip file (any zip tool can list it) with the
 * entries
 *
 * <ul>
 *   <li>{@code checkpoint.json}: {@code {"format": "lt-checkpoint", "version": 1, "iteration": n,
 *       "sampler": {"seed", "epoch", "position"}, "provenance": {"toolkitVersion", "djlVersion",
 *       "engine", "engineVersion", "javaVersion", "seed", "dataset", "createdAt" (ISO-8601),
 *       "host"}}};
 *   <li>{@code config.yaml}: the run's configuration text, UTF-8, verbatim;
 *   <li>{@code params.bin}: the model parameters as written by the caller (DJL's {@code
 *       Block.saveParameters}), stored uncompressed;
 *   <li>{@code optimizer.bin}: the optimizer state ({@link SgdOptimizer#saveState}), uncompressed.
 * </ul>
 *
 * <p>Writing is atomic: the zip is written to a temporary file in the target's folder, forced to
 * disk, then renamed over the target with {@link StandardCopyOption#ATOMIC_MOVE}, and the folder is
 * forced too. A crash at any point leaves either the old file or the complete new one, plus at
 * worst a stray {@code .<name>.*.tmp} file. Reading checks every entry's CRC-32, so a truncated or
 * damaged file is reported with its name instead of loading garbage.
 *
 * @param file the file it was read from
 * @param info iteration, sampler state, config and provenance
 * @param parameterBytes the model parameters blob (not copied)
 * @param optimizerBytes the optimizer state blob (not copied)
 */
public record Checkpoint(
    Path file, CheckpointInfo info, byte[] parameterBytes, byte[] optimizerBytes) {
  /** The format name in {@code checkpoint.json}. */
  public static final String FORMAT = "lt-checkpoint";

  /** The format version this code writes and reads. */
  public static final int VERSION = 1;

  static final String INFO_ENTRY = "checkpoint.json";
  static final String CONFIG_ENTRY = "config.yaml";
  static final String PARAMS_ENTRY = "params.bin";
  static final String OPTIMIZER_ENTRY = "optimizer.bin";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Rejects nulls. */
  public Checkpoint {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(info, "info");
    Objects.requireNonNull(parameterBytes, "parameterBytes");
    Objects.requireNonNull(optimizerBytes, "optimizerBytes");
  }

  /** The model parameters, for {@code block.loadParameters(manager, stream)}. */
  public DataInputStream parameterStream() {
    return new DataInputStream(new ByteArrayInputStream(parameterBytes));
  }

  /** The optimizer state, for {@link SgdOptimizer#loadState(DataInputStream)}. */
  public DataInputStream optimizerStream() {
    return new DataInputStream(new ByteArrayInputStream(optimizerBytes));
  }

  /**
   * Writes a checkpoint file atomically (see the class comment).
   *
   * @param target the file to create or replace
   * @param info the small parts
   * @param parameters writes the model parameters
   * @param optimizer writes the optimizer state
   * @throws IOException if anything fails; the target is then untouched and the temporary file
   *     deleted
   */
  public static void write(
      Path target, CheckpointInfo info, BlobWriter parameters, BlobWriter optimizer)
      throws IOException {
    Objects.requireNonNull(info, "info");
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = temporarySibling(target);
    boolean moved = false;
    try {
      try (FileChannel channel =
          FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ZipOutputStream zip =
            new ZipOutputStream(
                new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16));
        zip.setLevel(Deflater.DEFAULT_COMPRESSION);
        putText(zip, INFO_ENTRY, infoJson(info));
        putText(zip, CONFIG_ENTRY, info.config());
        // Float parameters hardly compress; storing them keeps saving at disk speed.
        zip.setLevel(Deflater.NO_COMPRESSION);
        putBlob(zip, PARAMS_ENTRY, parameters);
        putBlob(zip, OPTIMIZER_ENTRY, optimizer);
        zip.finish();
        zip.flush();
        channel.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      moved = true;
      forceDirectory(dir);
    } finally {
      if (!moved) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /**
   * Reads and validates a checkpoint file.
   *
   * @param file the file
   * @return the checkpoint
   * @throws CheckpointException naming the file if it is missing, not a zip (truncated), lacks an
   *     entry, fails a CRC check, or has another format or version
   * @throws IOException on other read errors
   */
  public static Checkpoint read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new CheckpointException(file, "no such file", null);
    }
    try (ZipFile zip = new ZipFile(file.toFile())) {
      String json = new String(entry(file, zip, INFO_ENTRY), StandardCharsets.UTF_8);
      String config = new String(entry(file, zip, CONFIG_ENTRY), StandardCharsets.UTF_8);
      byte[] params = entry(file, zip, PARAMS_ENTRY);
      byte[] optimizer = entry(file, zip, OPTIMIZER_ENTRY);
      return new Checkpoint(file, parseInfo(file, json, config), params, optimizer);
    } catch (ZipException e) {
      throw new CheckpointException(
          file, "not a readable checkpoint zip (truncated or corrupt): " + e.getMessage(), e);
    }
  }

  private static void putText(ZipOutputStream zip, String name, String text) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(text.getBytes(StandardCharsets.UTF_8));
    zip.closeEntry();
  }

  private static void putBlob(ZipOutputStream zip, String name, BlobWriter writer)
      throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    DataOutputStream out = new DataOutputStream(new NonClosing(zip));
    writer.writeTo(out);
    out.flush();
    zip.closeEntry();
  }

  /** Keeps a writer that closes its stream from closing the whole zip. */
  private static final class NonClosing extends FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }

  /**
   * A fresh name {@code .<target name>.<pid>-<hex nanos>.tmp} next to the target (same file system,
   * so the final rename is atomic); unlike {@code Files.createTempFile} the file gets the default
   * permissions, which the renamed checkpoint keeps.
   */
  static Path temporarySibling(Path target) {
    return target
        .toAbsolutePath()
        .resolveSibling(
            "."
                + target.getFileName()
                + "."
                + ProcessHandle.current().pid()
                + "-"
                + Long.toHexString(System.nanoTime())
                + ".tmp");
  }

  static void forceDirectory(Path dir) {
    // Makes the rename itself durable on Linux; other systems may not open folders: best effort.
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // not supported here
    }
  }

  private static byte[] entry(Path file, ZipFile zip, String name) throws IOException {
    ZipEntry e = zip.getEntry(name);
    if (e == null) {
      throw new CheckpointException(file, "missing entry " + name, null);
    }
    byte[] bytes;
    try (InputStream in = zip.getInputStream(e)) {
      bytes = in.readAllBytes();
    } catch (ZipException | java.io.EOFException ex) {
      throw new CheckpointException(file, "entry " + name + " is corrupt: " + ex.getMessage(), ex);
    }
    CRC32 crc = new CRC32();
    crc.update(bytes);
    if ((e.getSize() >= 0 && bytes.length != e.getSize()) || crc.getValue() != e.getCrc()) {
      throw new CheckpointException(
          file, "entry " + name + " is corrupt (size or CRC-32 does not match)", null);
    }
    return bytes;
  }

  private static String infoJson(CheckpointInfo info) throws JsonProcessingException {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", VERSION);
    root.put("iteration", info.iteration());
    ObjectNode sampler = root.putObject("sampler");
    sampler.put("seed", info.sampler().seed());
    sampler.put("epoch", info.sampler().epoch());
    sampler.put("position", info.sampler().position());
    Provenance p = info.provenance();
    ObjectNode prov = root.putObject("provenance");
    prov.put("toolkitVersion", p.toolkitVersion());
    prov.put("djlVersion", p.djlVersion());
    prov.put("engine", p.engine());
    prov.put("engineVersion", p.engineVersion());
    prov.put("javaVersion", p.javaVersion());
    prov.put("seed", p.seed());
    prov.put("dataset", p.dataset());
    prov.put("createdAt", p.createdAt().toString());
    prov.put("host", p.host());
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
  }

  private static CheckpointInfo parseInfo(Path file, String json, String config)
      throws CheckpointException {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new CheckpointException(
          file, INFO_ENTRY + " is not JSON: " + e.getOriginalMessage(), e);
    }
    String format = text(file, root, "format");
    if (!FORMAT.equals(format)) {
      throw new CheckpointException(file, "format is " + format + ", expected " + FORMAT, null);
    }
    long version = number(file, root, "version");
    if (version != VERSION) {
      throw new CheckpointException(
          file,
          "format version " + version + " is not supported (this build reads " + VERSION + ")",
          null);
    }
    JsonNode s = object(file, root, "sampler");
    JsonNode p = object(file, root, "provenance");
    try {
      long epoch = number(file, s, "epoch");
      if (epoch > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("sampler.epoch out of range, got " + epoch);
      }
      SamplerState sampler =
          new SamplerState(number(file, s, "seed"), (int) epoch, number(file, s, "position"));
      Provenance provenance =
          new Provenance(
              text(file, p, "toolkitVersion"),
              text(file, p, "djlVersion"),
              text(file, p, "engine"),
              text(file, p, "engineVersion"),
              text(file, p, "javaVersion"),
              number(file, p, "seed"),
              text(file, p, "dataset"),
              Instant.parse(text(file, p, "createdAt")),
              text(file, p, "host"));
      return new CheckpointInfo(number(file, root, "iteration"), sampler, config, provenance);
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new CheckpointException(file, INFO_ENTRY + " is invalid: " + e.getMessage(), e);
    }
  }

  private static JsonNode object(Path file, JsonNode node, String field)
      throws CheckpointException {
    JsonNode v = node.get(field);
    if (v == null || !v.isObject()) {
      throw new CheckpointException(file, INFO_ENTRY + " lacks the object " + field, null);
    }
    return v;
  }

  private static String text(Path file, JsonNode node, String field) throws CheckpointException {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw new CheckpointException(file, INFO_ENTRY + " lacks the text field " + field, null);
    }
    return v.asText();
  }

  private static long number(Path file, JsonNode node, String field) throws CheckpointException {
    JsonNode v = node.get(field);
    if (v == null || !v.canConvertToLong() || !v.isIntegralNumber()) {
      throw new CheckpointException(file, INFO_ENTRY + " lacks the integer field " + field, null);
    }
    return v.asLong();
  }
}
