package io.longtail.datasets.pipeline;

import java.io.IOException;
import java.nio.file.Path;

/** An image file that is missing or cannot be decoded; the message names the file. */
public final class BadImageException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  /**
   * @param file the image file
   * @param detail what is wrong
   */
  public BadImageException(Path file, String detail) {
    super("bad image " + file + ": " + detail);
    this.file = file;
  }

  /** The image file. */
  public Path file() {
    return file;
  }
}
