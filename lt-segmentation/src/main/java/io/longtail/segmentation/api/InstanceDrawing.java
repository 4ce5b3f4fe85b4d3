package io.longtail.segmentation.api;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Draws instances on an image: each mask filled with a translucent colour of its own, its box
 * outlined in that colour, and a label {@code name score} above the box.
 */
public final class InstanceDrawing {

  /** Fill opacity of a mask. */
  public static final float MASK_OPACITY = 0.45f;

  private static final int[] PALETTE = {
    0xE6194B, 0x3CB44B, 0xFFE119, 0x4363D8, 0xF58231, 0x911EB4, 0x46F0F0, 0xF032E6, 0xBCF60C,
    0xFABEBE, 0x008080, 0xE6BEFF, 0x9A6324, 0xFFFAC8, 0x800000, 0xAAFFC3, 0x808000, 0xFFD8B1,
    0x000075, 0x808080
  };

  private InstanceDrawing() {}

  /** The colour (RGB) of instance {@code i}: a 20-colour palette, repeated. */
  public static int color(int i) {
    return PALETTE[Math.floorMod(i, PALETTE.length)];
  }

  /**
   * Draws instances on a copy of an image.
   *
   * @param image the image the instances were predicted on (same size as their masks)
   * @param instances the instances
   * @return a new RGB image with masks, boxes and labels
   * @throws IllegalArgumentException if a mask's size differs from the image's
   */
  public static BufferedImage draw(BufferedImage image, List<SegmentedInstance> instances) {
    int w = image.getWidth();
    int h = image.getHeight();
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] pixels = image.getRGB(0, 0, w, h, null, 0, w);
    for (int i = 0; i < instances.size(); i++) {
      SegmentedInstance s = instances.get(i);
      if (s.imageHeight() != h || s.imageWidth() != w) {
        throw new IllegalArgumentException(
            "instance "
                + i
                + " has a "
                + s.imageWidth()
                + "x"
                + s.imageHeight()
                + " mask, the image is "
                + w
                + "x"
                + h);
      }
      int c = color(i);
      byte[] bits = s.maskBitmap();
      for (int p = 0; p < bits.length; p++) {
        if (bits[p] != 0) {
          pixels[p] = blend(pixels[p], c, MASK_OPACITY);
        }
      }
    }
    out.setRGB(0, 0, w, h, pixels, 0, w);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      int fontSize = Math.max(10, Math.min(w, h) / 40);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, fontSize));
      g.setStroke(new BasicStroke(Math.max(1f, Math.min(w, h) / 300f)));
      FontMetrics fm = g.getFontMetrics();
      for (int i = 0; i < instances.size(); i++) {
        SegmentedInstance s = instances.get(i);
        float[] b = s.box();
        Color color = new Color(color(i));
        g.setColor(color);
        int x = Math.round(b[0]);
        int y = Math.round(b[1]);
        g.drawRect(x, y, Math.round(b[2] - b[0]), Math.round(b[3] - b[1]));
        String label = String.format("%s %.2f", s.categoryName(), s.score());
        int tw = fm.stringWidth(label) + 4;
        int th = fm.getHeight();
        int ty = y - th < 0 ? y : y - th;
        g.fillRect(x, ty, tw, th);
        g.setColor(luminance(color(i)) > 140 ? Color.BLACK : Color.WHITE);
        g.drawString(label, x + 2, ty + fm.getAscent());
      }
    } finally {
      g.dispose();
    }
    return out;
  }

  private static int blend(int base, int color, float alpha) {
    int r = Math.round(((base >> 16) & 0xFF) * (1 - alpha) + ((color >> 16) & 0xFF) * alpha);
    int gr = Math.round(((base >> 8) & 0xFF) * (1 - alpha) + ((color >> 8) & 0xFF) * alpha);
    int b = Math.round((base & 0xFF) * (1 - alpha) + (color & 0xFF) * alpha);
    return (r << 16) | (gr << 8) | b;
  }

  private static double luminance(int rgb) {
    return 0.299 * ((rgb >> 16) & 0xFF) + 0.587 * ((rgb >> 8) & 0xFF) + 0.114 * (rgb & 0xFF);
  }
}
