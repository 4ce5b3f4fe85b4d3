package io.longtail.datasets.synth;

/**
 * An 8-bit RGB colour.
 *
 * @param r red {@code 0..255}
 * @param g green {@code 0..255}
 * @param b blue {@code 0..255}
 */
public record Rgb(int r, int g, int b) {

  /** Validates the channels. */
  public Rgb {
    check("r", r);
    check("g", g);
    check("b", b);
  }

  private static void check(String name, int v) {
    if (v < 0 || v > 255) {
      throw new IllegalArgumentException(name + " must be in [0, 255], got " + v);
    }
  }

  /**
   * The colour of hue {@code h} (degrees, any value, taken modulo 360), saturation {@code s} and
   * value {@code v} in {@code [0, 1]} (the HSV cone).
   */
  public static Rgb hsv(double h, double s, double v) {
    double hh = ((h % 360) + 360) % 360 / 60.0;
    int sector = (int) Math.floor(hh);
    double f = hh - sector;
    double p = v * (1 - s);
    double q = v * (1 - s * f);
    double t = v * (1 - s * (1 - f));
    double[] rgb =
        switch (sector) {
          case 0 -> new double[] {v, t, p};
          case 1 -> new double[] {q, v, p};
          case 2 -> new double[] {p, v, t};
          case 3 -> new double[] {p, q, v};
          case 4 -> new double[] {t, p, v};
          default -> new double[] {v, p, q};
        };
    return new Rgb(channel(rgb[0]), channel(rgb[1]), channel(rgb[2]));
  }

  /** This colour with every channel multiplied by {@code factor} and clamped. */
  public Rgb scaled(double factor) {
    return new Rgb(channel(r * factor / 255), channel(g * factor / 255), channel(b * factor / 255));
  }

  private static int channel(double unit) {
    return (int) Math.max(0, Math.min(255, Math.round(unit * 255)));
  }
}
