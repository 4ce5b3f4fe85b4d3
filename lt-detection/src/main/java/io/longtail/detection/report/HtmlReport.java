package io.longtail.detection.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A self-contained HTML page (inline CSS, images referenced by relative path) built from sections
 * in the order they are added: headings, paragraphs, the {@link ComparisonTable}, images with
 * captions, key/value fact lists and preformatted text. All text is escaped.
 */
public final class HtmlReport {

  private final String title;
  private final List<String> sections;

  private HtmlReport(Builder b) {
    this.title = b.title;
    this.sections = List.copyOf(b.sections);
  }

  /**
   * Starts a report.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** The page as HTML text. */
  public String html() {
    StringBuilder sb = new StringBuilder();
    sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>")
        .append(escape(title))
        .append("</title>\n<style>\n")
        .append("body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;")
        .append("max-width:1180px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}\n")
        .append("table.results{border-collapse:collapse;margin:1em 0}\n")
        .append("table.results th,table.results td{padding:.35em .8em;text-align:right;")
        .append("border-bottom:1px solid #ddd}\n")
        .append("table.results th:first-child,table.results td:first-child{text-align:left}\n")
        .append("table.results thead th{border-bottom:2px solid #444}\n")
        .append("table.facts td{padding:.15em .8em .15em 0;vertical-align:top}\n")
        .append("table.facts td:first-child{color:#555;white-space:nowrap}\n")
        .append("figure{margin:1.5em 0}img{max-width:100%;border:1px solid #ccc}\n")
        .append("figcaption{color:#555;font-size:.92em}\n")
        .append("pre{background:#f6f6f6;padding:.8em;overflow-x:auto}\n")
        .append("</style>\n</head>\n<body>\n<h1>")
        .append(escape(title))
        .append("</h1>\n");
    for (String s : sections) {
      sb.append(s);
    }
    sb.append("</body>\n</html>\n");
    return sb.toString();
  }

  /**
   * Writes the page.
   *
   * @param file output file (its folder is created)
   * @throws IOException if it cannot be written
   */
  public void write(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, html(), StandardCharsets.UTF_8);
  }

  /** Escapes {@code & < > " '} for HTML text and attributes. */
  public static String escape(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      switch (ch) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(ch);
      }
    }
    return sb.toString();
  }

  /** Builds an {@link HtmlReport}; sections appear in the order they are added. */
  public static final class Builder {
    private String title;
    private final List<String> sections = new ArrayList<>();

    private Builder() {}

    /** The page title (required). */
    public Builder setTitle(String title) {
      this.title = title;
      return this;
    }

    /** A second-level heading. */
    public Builder addHeading(String text) {
      sections.add("<h2>" + escape(text) + "</h2>\n");
      return this;
    }

    /** A paragraph of plain text. */
    public Builder addParagraph(String text) {
      sections.add("<p>" + escape(text) + "</p>\n");
      return this;
    }

    /** The comparison table of the variants. */
    public Builder addTable(List<VariantResult> variants) {
      sections.add(ComparisonTable.html(variants));
      return this;
    }

    /**
     * An image with a caption.
     *
     * @param relativePath path of the image relative to the page
     * @param caption plain-text caption
     */
    public Builder addImage(String relativePath, String caption) {
      String src = escape(relativePath.replace('\\', '/'));
      sections.add(
          "<figure><a href=\""
              + src
              + "\"><img src=\""
              + src
              + "\" alt=\""
              + escape(caption)
              + "\"></a><figcaption>"
              + escape(caption)
              + "</figcaption></figure>\n");
      return this;
    }

    /** A two-column list of facts, in the map's iteration order. */
    public Builder addFacts(Map<String, String> facts) {
      StringBuilder sb = new StringBuilder("<table class=\"facts\">\n");
      for (Map.Entry<String, String> e : facts.entrySet()) {
        sb.append("<tr><td>")
            .append(escape(e.getKey()))
            .append("</td><td>")
            .append(escape(e.getValue()))
            .append("</td></tr>\n");
      }
      sections.add(sb.append("</table>\n").toString());
      return this;
    }

    /** Preformatted text (e.g. a command line). */
    public Builder addPreformatted(String text) {
      sections.add("<pre>" + escape(text) + "</pre>\n");
      return this;
    }

    /**
     * Builds the report.
     *
     * @throws IllegalArgumentException if the title is missing
     */
    public HtmlReport build() {
      if (title == null || title.isBlank()) {
        throw new IllegalArgumentException("title must be set, got " + title);
      }
      return new HtmlReport(this);
    }
  }
}
