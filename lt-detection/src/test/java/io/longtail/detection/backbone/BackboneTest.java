package io.longtail.detection.backbone;

import static io.longtail.detection.backbone.TestArrays.forward;
import static io.longtail.detection.backbone.TestArrays.gaussian;
import static io.longtail.detection.backbone.TestArrays.initialized;
import static io.longtail.detection.backbone.TestArrays.total;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BackboneTest {

  private static final Shape INPUT = new Shape(2, 3, 64, 64);

  @Test
  void producesP2ToP6WithTheConfiguredChannels() {
    try (NDManager m = NDManager.newBaseManager()) {
      Backbone backbone = new Backbone(new BackboneConfig(50, 8, NormKind.GN, 0, 16));
      initialized(backbone, m, INPUT);
      NDList p = forward(backbone, m, false, gaussian(m, INPUT, 1));
      assertThat(backbone.strides()).containsExactly(4, 8, 16, 32, 64);
      assertThat(backbone.outChannels()).isEqualTo(16);
      Shape[] expected = new Shape[5];
      for (int i = 0; i < 5; i++) {
        int size = 64 / backbone.strides()[i];
        expected[i] = new Shape(2, 16, size, size);
      }
      assertThat(p.getShapes()).containsExactly(expected);
      assertThat(backbone.getOutputShapes(new Shape[] {INPUT})).containsExactly(expected);
    }
  }

  @Test
  void rejectsImagesNotPaddedToMultiplesOf32() {
    try (NDManager m = NDManager.newBaseManager()) {
      Backbone backbone = new Backbone(new BackboneConfig(18, 8, NormKind.BN, 0, 8));
      initialized(backbone, m, INPUT);
      NDArray odd = m.zeros(new Shape(1, 3, 64, 80));
      assertThatThrownBy(() -> forward(backbone, m, false, odd))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "images must be (N, 3, H, W) with H and W multiples of 32, got (1, 3, 64, 80)");
    }
  }

  /** After training steps change batch-norm statistics, a reloaded copy computes the same. */
  @ParameterizedTest(name = "{0}")
  @EnumSource(NormKind.class)
  void savedParametersReloadIntoAFreshBlockWithIdenticalOutputs(NormKind norm)
      throws IOException, MalformedModelException {
    BackboneConfig config = new BackboneConfig(18, 8, norm, 1, 8);
    try (NDManager m = NDManager.newBaseManager()) {
      Backbone trained = initialized(new Backbone(config), m, INPUT);
      for (int step = 0; step < 2; step++) {
        try (GradientCollector gc = m.getEngine().newGradientCollector()) {
          gc.backward(total(forward(trained, m, true, gaussian(m, INPUT, 10 + step, 1f, 2f))));
        }
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      trained.saveParameters(new DataOutputStream(bytes));

      Backbone loaded = new Backbone(config);
      loaded.loadParameters(m, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
      NDArray x = gaussian(m, INPUT, 20);
      NDList expected = forward(trained, m, false, x);
      NDList actual = forward(loaded, m, false, x);
      for (int i = 0; i < 5; i++) {
        assertThat(actual.get(i).toFloatArray())
            .as("P%d", i + 2)
            .containsExactly(expected.get(i).toFloatArray());
      }
    }
  }

  /**
   * DJL's parameter loading leaves the loaded arrays without gradients; {@code initialize} after
   * loading (what a trainer does) gives them back to the trained parameters only.
   */
  @Test
  void reloadedBlockTrainsAgainAfterInitializeWithFrozenPartsStillFrozen()
      throws IOException, MalformedModelException {
    BackboneConfig config = new BackboneConfig(18, 8, NormKind.GN, 2, 8);
    try (NDManager m = NDManager.newBaseManager()) {
      Backbone original = initialized(new Backbone(config), m, INPUT);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      original.saveParameters(new DataOutputStream(bytes));
      Backbone loaded = new Backbone(config);
      loaded.loadParameters(m, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
      initialized(loaded, m, INPUT);
      try (GradientCollector gc = m.getEngine().newGradientCollector()) {
        gc.backward(total(forward(loaded, m, true, gaussian(m, INPUT, 30))));
      }
      assertThat(
              TestArrays.parameter(loaded, "bottomUp_stem_conv1_weight").getArray().hasGradient())
          .isFalse();
      NDArray trained =
          TestArrays.parameter(loaded, "bottomUp_res3_ResidualBlock_conv1_weight").getArray();
      assertThat(trained.getGradient().abs().sum().getFloat()).isGreaterThan(0f);
      assertThat(TestArrays.parameter(loaded, "fpn_output2_weight").getArray().hasGradient())
          .isTrue();
    }
  }

  /**
   * Not a benchmark: prints the time of a forward + backward pass of the small CPU configuration
   * (ResNet-18, width 16, 64 FPN channels) on two 256x256 images, for the module's notes.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = NormKind.class,
      names = {"BN", "GN"})
  void reportsForwardBackwardTimeOfTheSmallConfiguration(NormKind norm) {
    Shape input = new Shape(2, 3, 256, 256);
    try (NDManager m = NDManager.newBaseManager()) {
      Backbone backbone =
          initialized(new Backbone(new BackboneConfig(18, 16, norm, 0, 64)), m, input);
      NDArray x = gaussian(m, input, 3);
      int runs = 3;
      long bestWall = Long.MAX_VALUE;
      long bestCpu = Long.MAX_VALUE;
      for (int run = 0; run <= runs; run++) {
        try (NDManager step = m.newSubManager()) {
          NDArray xs = x.duplicate();
          xs.attach(step);
          long wall = System.nanoTime();
          long cpu = processCpuNanos();
          float loss;
          try (GradientCollector gc = m.getEngine().newGradientCollector()) {
            NDArray sum = total(forward(backbone, step, true, xs));
            gc.backward(sum);
            loss = sum.getFloat();
          }
          // Reading a gradient waits for the engine's asynchronous backward to finish.
          TestArrays.parameter(backbone, "bottomUp_stem_conv1_weight")
              .getArray()
              .getGradient()
              .sum()
              .getFloat();
          wall = System.nanoTime() - wall;
          cpu = processCpuNanos() - cpu;
          if (run > 0) {
            bestWall = Math.min(bestWall, wall);
            bestCpu = Math.min(bestCpu, cpu);
          }
          assertThat(loss).isFinite();
        }
      }
      // On a shared machine the wall time depends on the load; the process CPU time less so.
      System.out.printf(
          "backbone R18 w16 FPN64 %s, (2, 3, 256, 256), forward+backward, best of %d:"
              + " %.0f ms wall, %.0f ms process CPU (%d cores)%n",
          norm, runs, bestWall / 1e6, bestCpu / 1e6, Runtime.getRuntime().availableProcessors());
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
