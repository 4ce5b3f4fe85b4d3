package io.longtail.detection.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {

  @Test
  void sectionsAppearInOrderAndTextIsEscaped(@TempDir Path dir) throws Exception {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("Wall time", "12.5 min");
    facts.put("Command", "./lt demo --out <dir> & more");
    HtmlReport report =
        HtmlReport.builder()
            .setTitle("Demo \"report\"")
            .addParagraph("a < b")
            .addTable(
                List.of(new VariantResult("baseline", "Baseline", ReportFixtures.result(0.1))))
            .addImage("plot.png", "AP vs images")
            .addFacts(facts)
            .addPreformatted("./lt demo")
            .build();
    Path file = dir.resolve("sub/index.html");
    report.write(file);
    String html = Files.readString(file);
    assertThat(html)
        .startsWith("<!DOCTYPE html>")
        .contains("<title>Demo &quot;report&quot;</title>")
        .contains("<p>a &lt; b</p>")
        .contains("<img src=\"plot.png\" alt=\"AP vs images\">")
        .contains("<td>./lt demo --out &lt;dir&gt; &amp; more</td>")
        .containsSubsequence("<p>a &lt; b</p>", "<table class=\"results\">", "plot.png", "12.5 min")
        .endsWith("</html>\n");
  }

  @Test
  void titleIsRequired() {
    assertThatThrownBy(() -> HtmlReport.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("title");
  }

  @Test
  void escapeHandlesAllSpecialCharacters() {
    assertThat(HtmlReport.escape("<a href='x'>\"&\"</a>"))
        .isEqualTo("&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;");
  }
}
