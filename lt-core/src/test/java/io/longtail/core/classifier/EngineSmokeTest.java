package io.longtail.core.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class EngineSmokeTest {
  @Test
  void mxnetLoadsFromJar() {
    System.out.println("engine " + Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
    try (NDManager m = NDManager.newBaseManager()) {
      assertThat(m.create(new float[] {1, 2, 3}).sum().getFloat()).isEqualTo(6f);
    }
  }
}
