package io.longtail.datasets.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RepeatFactorSamplerTest {

  /** Image 0 has class 0, image 1 classes 0 and 1, image 2 nothing: f(0) = 2/3, f(1) = 1/3. */
  private static ImageCategories toy() {
    return ImageCategories.of(List.of(new int[] {0}, new int[] {0, 1}, new int[] {}), 2);
  }

  @Test
  void repeatFactorsOfTheToySetEqualTheClosedForm() {
    // t = 1: r(0) = sqrt(1 / (2/3)) = sqrt(3/2), r(1) = sqrt(3).
    assertThat(RepeatFactorSampler.categoryRepeatFactors(toy(), 1.0))
        .containsExactly(new double[] {Math.sqrt(1.5), Math.sqrt(3)}, within(1e-12));
    assertThat(RepeatFactorSampler.imageRepeatFactors(toy(), 1.0))
        .containsExactly(new double[] {Math.sqrt(1.5), Math.sqrt(3), 1.0}, within(1e-12));
  }

  @Test
  void defaultThresholdLeavesCommonClassesAtOne() {
    // With t = 0.001 a class needs f(c) < 0.001 to be repeated.
    assertThat(RepeatFactorSampler.imageRepeatFactors(toy(), RepeatFactorSampler.DEFAULT_THRESHOLD))
        .containsExactly(1.0, 1.0, 1.0);
    List<int[]> images = new ArrayList<>();
    images.add(new int[] {1});
    for (int i = 0; i < 3999; i++) {
      images.add(new int[] {0});
    }
    double[] r =
        RepeatFactorSampler.categoryRepeatFactors(
            ImageCategories.of(images, 2), RepeatFactorSampler.DEFAULT_THRESHOLD);
    assertThat(r[0]).isEqualTo(1.0);
    assertThat(r[1]).isCloseTo(Math.sqrt(0.001 / (1.0 / 4000)), within(1e-12)); // = 2
  }

  @Test
  void sameSeedGivesTheSameOrderAndAnotherSeedAnother() {
    ImageCategories images = manyImages();
    RepeatFactorSampler a = sampler(images, 7);
    RepeatFactorSampler b = sampler(images, 7);
    RepeatFactorSampler c = sampler(images, 8);
    assertThat(a.epochIndices(3)).containsExactly(b.epochIndices(3));
    assertThat(a.epochIndices(3)).isNotEqualTo(c.epochIndices(3));
    assertThat(a.epochIndices(3)).isNotEqualTo(a.epochIndices(4));
  }

  @Test
  void sampleWalksThroughSuccessiveEpochs() {
    RepeatFactorSampler s = sampler(manyImages(), 1);
    List<Long> first = new ArrayList<>();
    s.sample(null).forEachRemaining(first::add);
    List<Long> second = new ArrayList<>();
    s.sample(null).forEachRemaining(second::add);
    assertThat(first).containsExactly(boxed(s.epochIndices(0)));
    assertThat(second).containsExactly(boxed(s.epochIndices(1)));
  }

  @Test
  void expectedRepetitionsOverManyEpochsMatchTheImageFactors() {
    RepeatFactorSampler s =
        RepeatFactorSampler.builder().setImages(toy()).setSeed(3).optThreshold(1.0).build();
    int epochs = 20_000;
    double[] seen = new double[3];
    for (int e = 0; e < epochs; e++) {
      for (long i : s.epochIndices(e)) {
        seen[(int) i]++;
      }
    }
    double[] r = s.imageRepeatFactors();
    for (int i = 0; i < 3; i++) {
      // Bernoulli(frac r) over 20000 epochs: standard error <= 0.5 / sqrt(20000) = 0.0035.
      assertThat(seen[i] / epochs).isCloseTo(r[i], within(0.015));
    }
  }

  @Test
  void everyEpochRepeatsEachImageFloorOrCeilOfItsFactor() {
    RepeatFactorSampler s =
        RepeatFactorSampler.builder().setImages(toy()).setSeed(11).optThreshold(1.0).build();
    for (int e = 0; e < 50; e++) {
      int[] count = new int[3];
      for (long i : s.epochIndices(e)) {
        count[(int) i]++;
      }
      assertThat(count[0]).isBetween(1, 2);
      assertThat(count[1]).isBetween(1, 2);
      assertThat(count[2]).isEqualTo(1);
    }
  }

  @Test
  void badThresholdIsRejectedWithItsValue() {
    assertThatThrownBy(
            () ->
                RepeatFactorSampler.builder().setImages(toy()).setSeed(0).optThreshold(-2).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("threshold must be in (0, 1], got -2");
    assertThatThrownBy(() -> RepeatFactorSampler.builder().setImages(toy()).build())
        .hasMessageContaining("seed");
  }

  private static RepeatFactorSampler sampler(ImageCategories images, long seed) {
    return RepeatFactorSampler.builder().setImages(images).setSeed(seed).optThreshold(0.05).build();
  }

  private static ImageCategories manyImages() {
    List<int[]> images = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      images.add(i % 50 == 0 ? new int[] {1} : new int[] {0});
    }
    return ImageCategories.of(images, 2);
  }

  private static Long[] boxed(long[] a) {
    Long[] out = new Long[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i];
    }
    return out;
  }
}
