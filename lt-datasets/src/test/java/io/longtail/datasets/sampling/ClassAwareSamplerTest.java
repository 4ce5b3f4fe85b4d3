package io.longtail.datasets.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassAwareSamplerTest {

  /** 90 images of class 0, 10 of class 1, 5 without annotations (indices 100..104). */
  private static ImageCategories skewed() {
    List<int[]> images = new ArrayList<>();
    for (int i = 0; i < 90; i++) {
      images.add(new int[] {0});
    }
    for (int i = 0; i < 10; i++) {
      images.add(new int[] {1});
    }
    for (int i = 0; i < 5; i++) {
      images.add(new int[] {});
    }
    return ImageCategories.of(images, 2);
  }

  @Test
  void classesAreDrawnEquallyOftenWhateverTheirImageCount() {
    ClassAwareSampler s =
        ClassAwareSampler.builder().setImages(skewed()).setSeed(5).optSamplesPerEpoch(1000).build();
    long[] draws = s.epochIndices(0);
    long tail = java.util.Arrays.stream(draws).filter(i -> i >= 90 && i < 100).count();
    assertThat(draws).hasSize(1000);
    assertThat(tail).isEqualTo(500);
  }

  @Test
  void imagesOfAClassAreUsedEvenlyAndEmptyImagesNever() {
    ClassAwareSampler s =
        ClassAwareSampler.builder().setImages(skewed()).setSeed(5).optSamplesPerEpoch(1000).build();
    int[] count = new int[105];
    for (long i : s.epochIndices(2)) {
      count[(int) i]++;
    }
    for (int i = 90; i < 100; i++) {
      assertThat(count[i]).isEqualTo(50); // 500 draws of class 1 cycle through its 10 images
    }
    for (int i = 100; i < 105; i++) {
      assertThat(count[i]).isZero();
    }
  }

  @Test
  void sameSeedGivesTheSameOrder() {
    ClassAwareSampler a = ClassAwareSampler.builder().setImages(skewed()).setSeed(9).build();
    ClassAwareSampler b = ClassAwareSampler.builder().setImages(skewed()).setSeed(9).build();
    ClassAwareSampler c = ClassAwareSampler.builder().setImages(skewed()).setSeed(10).build();
    assertThat(a.epochIndices(1)).containsExactly(b.epochIndices(1));
    assertThat(a.epochIndices(1)).isNotEqualTo(c.epochIndices(1));
    assertThat(a.samplesPerEpoch()).isEqualTo(105);
  }
}
