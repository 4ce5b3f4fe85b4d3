package io.longtail.datasets.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class EpochBatchSamplerTest {

  @Test
  void batchesHoldTheWholeEpochEvenWhenItIsLongerThanTheDataset() {
    RepeatFactorSampler rfs =
        RepeatFactorSampler.builder()
            .setImages(ImageCategories.of(List.of(new int[] {0}, new int[] {1}, new int[] {1}), 2))
            .setSeed(4)
            .optThreshold(1.0)
            .build();
    long[] epoch = rfs.epochIndices(0);
    assertThat(epoch.length).isGreaterThan(3);
    List<Long> flat = new ArrayList<>();
    Iterator<List<Long>> it = new EpochBatchSampler(rfs, 2, false).sample(null);
    while (it.hasNext()) {
      List<Long> batch = it.next();
      assertThat(batch.size()).isBetween(1, 2);
      flat.addAll(batch);
    }
    assertThat(flat).containsExactly(java.util.Arrays.stream(epoch).boxed().toArray(Long[]::new));
  }

  @Test
  void dropLastDropsTheShortBatch() {
    RandomSampler random = new RandomSampler(0);
    long[] seven = random.epochIndices(7, 0);
    EpochBatchSampler s =
        new EpochBatchSampler(d -> java.util.Arrays.stream(seven).boxed().iterator(), 3, true);
    int batches = 0;
    for (Iterator<List<Long>> it = s.sample(null); it.hasNext(); it.next()) {
      batches++;
    }
    assertThat(batches).isEqualTo(2);
    assertThatThrownBy(() -> new EpochBatchSampler(random, 0, false))
        .hasMessageContaining("batchSize must be >= 1, got 0");
  }
}
