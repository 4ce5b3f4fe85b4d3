package io.longtail.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longtail.core.classifier.InferenceMode;
import io.longtail.detection.config.ClassifierKind;
import io.longtail.detection.config.SamplerKind;
import io.longtail.segmentation.config.MaskRcnnConfigIo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The methods {@code ./lt demo --methods} knows, and the configs they train with. */
class DemoMethodTest {

  @TempDir Path dir;

  @Test
  void theDefaultIsTheTable4ComparisonWithItsFourVariants() {
    List<DemoMethod> methods = DemoMethod.parse(DemoMethod.DEFAULT);
    assertThat(methods).containsExactly(DemoMethod.SOFTMAX, DemoMethod.CAUSAL_NORM);
    assertThat(DemoMethod.variantKeys(methods))
        .containsExactly("baseline", "causal-norm", "causal-norm-tde", "causal-norm-tde-bg-exempt");
    assertThat(DemoMethod.CAUSAL_NORM.variantLabel(InferenceMode.BACKGROUND_EXEMPT))
        .isEqualTo("Causal norm + TDE + bg-exempt");
  }

  @Test
  void listsAreParsedInOrderAndAllExpandsToEveryMethod() {
    assertThat(DemoMethod.parse(" Seesaw , softmax").stream().map(DemoMethod::name))
        .containsExactly("seesaw", "softmax");
    assertThat(DemoMethod.parse("all")).isEqualTo(DemoMethod.ALL);
    assertThat(DemoMethod.ALL.stream().map(DemoMethod::key).distinct()).hasSize(11);
  }

  @Test
  void theHelpListsEveryKnownMethod() throws Exception {
    String help =
        DemoCommand.class
            .getDeclaredField("methodList")
            .getAnnotation(picocli.CommandLine.Option.class)
            .description()[0];
    assertThat(help).contains("Known: " + DemoMethod.names() + ".");
  }

  @Test
  void unknownAndRepeatedMethodsAreRejectedWithTheKnownNames() {
    assertThatThrownBy(() -> DemoMethod.parse("softmax,seesawx"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'seesawx'")
        .hasMessageContaining("seesaw, distribution-balanced, rfs");
    assertThatThrownBy(() -> DemoMethod.parse("eql,EQL"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("eql is listed twice");
    assertThatThrownBy(() -> DemoMethod.parse(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--methods is empty");
  }

  @Test
  void everyMethodWritesAValidConfigForBothTasksThatSelectsIt() throws Exception {
    Path data = dir.resolve("data");
    for (DemoMethod m : DemoMethod.ALL) {
      Path copy = dir.resolve(DemoCommand.configFile(m, ""));
      DemoCommand.DemoConfig box =
          DemoCommand.demoConfig(m, DemoCommand.Task.BBOX, DemoCommand.fullPlan(), data, copy);
      assertThat(box.maskRcnn()).as(m.name()).isNull();
      var heads = box.detector().model().roiHeads();
      switch (m.name()) {
        case "softmax", "rfs" -> assertThat(heads.loss().kind()).isEqualTo("softmax");
        case "causal-norm" ->
            assertThat(heads.classifier().kind()).isEqualTo(ClassifierKind.CAUSAL_NORM);
        case "cosine" -> assertThat(heads.classifier().kind()).isEqualTo(ClassifierKind.COSINE);
        default -> assertThat(heads.loss().kind()).as(m.name()).isEqualTo(m.name());
      }
      assertThat(box.detector().solver().sampler())
          .as(m.name())
          .isEqualTo(m.name().equals("rfs") ? SamplerKind.REPEAT_FACTOR : SamplerKind.RANDOM);
      // The written file is the config ./lt train would read, data paths relative to it.
      assertThat(Files.readString(copy)).contains("trainAnnotations: data/");

      Path segmCopy = dir.resolve(DemoCommand.configFile(m, "-segm"));
      DemoCommand.DemoConfig segm =
          DemoCommand.demoConfig(m, DemoCommand.Task.SEGM, DemoCommand.fullPlan(), data, segmCopy);
      assertThat(segm.maskRcnn()).as(m.name()).isNotNull();
      assertThat(segm.maskRcnn().detector()).isEqualTo(segm.detector());
      assertThat(segm.detector().model()).isEqualTo(box.detector().model());
      assertThat(MaskRcnnConfigIo.isMaskRcnn(segmCopy)).isTrue();
    }
  }
}
