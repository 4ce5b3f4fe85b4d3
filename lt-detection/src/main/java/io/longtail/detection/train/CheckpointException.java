package io.longtail.detection.train;

import java.io.IOException;
import java.nio.file.Path;

/** A checkpoint file that cannot be read: missing, truncated, corrupt or of another format. */
public final class CheckpointException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  /**
   * Creates the exception; the message starts with the file.
   *
   * @param file the checkpoint file
   * @param problem what is wrong with it
   * @param cause the underlying error, or {@code null}
   */
  public CheckpointException(Path file, String problem, Throwable cause) {
    super("checkpoint " + file + ": " + problem, cause);
    this.file = file;
  }

  /** The checkpoint file. */
  public Path file() {
    return file;
  }
}
