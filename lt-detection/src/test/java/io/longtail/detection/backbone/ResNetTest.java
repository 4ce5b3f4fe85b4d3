package io.longtail.detection.backbone;

import static io.longtail.detection.backbone.TestArrays.forward;
import static io.longtail.detection.backbone.TestArrays.gaussian;
import static io.longtail.detection.backbone.TestArrays.initialized;
import static io.longtail.detection.backbone.TestArrays.total;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResNetTest {

  private static final Shape INPUT = new Shape(2, 3, 64, 96);

  @ParameterizedTest(name = "depth {0}")
  @CsvSource({"18, 1", "34, 1", "50, 4"})
  void producesC2ToC5AtStrides4To32(int depth, int expansion) {
    try (NDManager m = NDManager.newBaseManager()) {
      ResNet net = ResNet.builder().setDepth(depth).optBaseWidth(8).optNorm(NormKind.BN).build();
      initialized(net, m, INPUT);
      NDList c = forward(net, m, false, gaussian(m, INPUT, depth));
      assertThat(c).hasSize(4);
      assertThat(net.strides()).containsExactly(4, 8, 16, 32);
      Shape[] declared = net.getOutputShapes(new Shape[] {INPUT});
      for (int i = 0; i < 4; i++) {
        int stride = net.strides()[i];
        int channels = 8 * expansion << i;
        Shape expected = new Shape(2, channels, 64 / stride, 96 / stride);
        assertThat(c.get(i).getShape()).as("C%d", i + 2).isEqualTo(expected);
        assertThat(declared[i]).as("declared C%d", i + 2).isEqualTo(expected);
        assertThat(net.outChannels()[i]).isEqualTo(channels);
      }
    }
  }

  /**
   * The layout matches the paper's (and torchvision's) networks: the trained parameters (conv
   * weights, BN gamma and beta) of the full-width nets without the classifier number 11,176,512
   * (ResNet-18) and 23,508,032 (ResNet-50), torchvision's counts minus its 1000-way fc layer.
   */
  @ParameterizedTest(name = "depth {0}")
  @CsvSource({"18, 11176512", "50, 23508032"})
  void fullWidthParameterCountMatchesTheStandardNetwork(int depth, long expected) {
    try (NDManager m = NDManager.newBaseManager()) {
      ResNet net = ResNet.builder().setDepth(depth).optNorm(NormKind.BN).build();
      initialized(net, m, new Shape(1, 3, 32, 32));
      long count = 0;
      for (Parameter p : net.getParameters().values()) {
        if (p.getType() != Parameter.Type.RUNNING_MEAN
            && p.getType() != Parameter.Type.RUNNING_VAR) {
          count += p.getShape().size();
        }
      }
      assertThat(count).isEqualTo(expected);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(NormKind.class)
  void frozenStagesGetNoGradientWhileLaterStagesDo(NormKind norm) {
    try (NDManager m = NDManager.newBaseManager()) {
      ResNet net =
          ResNet.builder().setDepth(18).optBaseWidth(8).optNorm(norm).optFreezeAt(2).build();
      initialized(net, m, INPUT);
      try (GradientCollector gc = m.getEngine().newGradientCollector()) {
        gc.backward(total(forward(net, m, true, gaussian(m, INPUT, 5))));
      }
      for (String frozen : List.of("stem", "res2")) {
        for (Parameter p : child(net, frozen).getParameters().values()) {
          assertThat(p.requiresGradient()).as("%s %s", frozen, p.getName()).isFalse();
          assertThat(p.getArray().hasGradient()).as("%s %s", frozen, p.getName()).isFalse();
        }
      }
      for (String trained : List.of("res3", "res4", "res5")) {
        for (Parameter p : child(net, trained).getParameters().values()) {
          if (p.getType() == Parameter.Type.WEIGHT) {
            assertThat(p.getArray().getGradient().abs().sum().getFloat())
                .as("%s %s", trained, p.getName())
                .isGreaterThan(0f);
          }
        }
      }
    }
  }

  @ParameterizedTest(name = "freezeAt {0}")
  @ValueSource(ints = {1, 2})
  void batchNormOfFrozenPartsBecomesFrozenBatchNorm(int freezeAt) {
    ResNet net =
        ResNet.builder()
            .setDepth(18)
            .optBaseWidth(8)
            .optNorm(NormKind.BN)
            .optFreezeAt(freezeAt)
            .build();
    assertThat(parameterNames(child(net, "stem"))).contains("norm1_scale");
    assertThat(parameterNames(child(net, "res2")).stream().anyMatch(n -> n.endsWith("_gamma")))
        .isEqualTo(freezeAt < 2);
    assertThat(parameterNames(child(net, "res3")).stream().anyMatch(n -> n.endsWith("_gamma")))
        .isTrue();
  }

  @ParameterizedTest(name = "depth {0}")
  @ValueSource(ints = {0, 26, 101})
  void rejectsUnsupportedDepths(int depth) {
    assertThatThrownBy(() -> ResNet.builder().setDepth(depth).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("depth must be 18, 34 or 50, got " + depth);
  }

  private static Block child(ResNet net, String name) {
    return name.equals("stem") ? net.stem() : net.stage(Integer.parseInt(name.substring(3)));
  }

  private static List<String> parameterNames(Block block) {
    return block.getParameters().keys().stream()
        .map(TestArrays::plainName)
        .collect(Collectors.toList());
  }
}
