package io.longtail.datasets.lvis;

/**
 * LVIS frequency group of a category, from the {@code frequency} field of the annotation file: rare
 * (1-10 training images), common (11-100) and frequent (more than 100). APr/APc/APf are computed
 * over these groups.
 */
public enum Frequency {
  /** Code {@code "r"}: 1 to 10 training images. */
  RARE("r"),
  /** Code {@code "c"}: 11 to 100 training images. */
  COMMON("c"),
  /** Code {@code "f"}: more than 100 training images. */
  FREQUENT("f");

  private final String code;

  Frequency(String code) {
    this.code = code;
  }

  /** The one-letter code used in LVIS files: {@code "r"}, {@code "c"} or {@code "f"}. */
  public String code() {
    return code;
  }

  /**
   * The frequency of an LVIS code.
   *
   * @param code {@code "r"}, {@code "c"} or {@code "f"}
   * @throws IllegalArgumentException for any other code
   */
  public static Frequency fromCode(String code) {
    for (Frequency f : values()) {
      if (f.code.equals(code)) {
        return f;
      }
    }
    throw new IllegalArgumentException("frequency code must be one of r, c, f, got " + code);
  }
}
