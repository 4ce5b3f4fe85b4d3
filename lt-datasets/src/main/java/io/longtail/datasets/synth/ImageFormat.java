package io.longtail.datasets.synth;

/** The file format of generated images. */
public enum ImageFormat {
  /** JPEG, quality 95: about 15 KB per 256x256 image; the default. */
  JPG("jpg"),
  /** Lossless PNG: exact colours, but about 8 times larger because of the background noise. */
  PNG("png");

  private final String extension;

  ImageFormat(String extension) {
    this.extension = extension;
  }

  /** The file extension, without the dot. */
  public String extension() {
    return extension;
  }
}
