package io.longtail.core.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.longtail.core.classifier.CausalNormClassifier;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Cost of TDE with background-exempted inference relative to plain causal-norm logits, at the
 * detection size of an LVIS ROI head: 1000 ROIs x 1204 classes (1203 + background) x 1024 features.
 * Each benchmark pulls the result to the host so that MXNet's asynchronous engine finishes the work
 * inside the measurement.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class TdeInferenceBenchmark {

  @Param({"1000"})
  int rows;

  @Param({"1204"})
  int classes;

  @Param({"1024"})
  int features;

  private NDManager manager;
  private CausalNormClassifier classifier;
  private NDArray x;

  @Setup(Level.Trial)
  public void setUp() {
    manager = NDManager.newBaseManager();
    Engine.getInstance().setRandomSeed(1);
    classifier =
        CausalNormClassifier.builder()
            .setNumClasses(classes)
            .setFeatureDim(features)
            .optNumHeads(2)
            .optBackgroundIndex(classes - 1)
            .build();
    classifier.initialize(manager, DataType.FLOAT32, new Shape(1, features));
    classifier.movingFeature().set(manager.randomUniform(0, 1, new Shape(features)).toByteBuffer());
    x = manager.randomUniform(0, 1, new Shape(rows, features));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    manager.close();
  }

  /** Plain causal-norm logits. */
  @Benchmark
  public float plainLogits() {
    try (NDArray y = classifier.logits(x)) {
      return y.toFloatArray()[0];
    }
  }

  /** Plain softmax scores (what a baseline detector computes at test time). */
  @Benchmark
  public float plainSoftmax() {
    try (NDArray y = classifier.logits(x);
        NDArray p = y.softmax(1)) {
      return p.toFloatArray()[0];
    }
  }

  /** TDE logits plus background-exempted scores (the De-confound-TDE detection output). */
  @Benchmark
  public float tdeBackgroundExempted() {
    try (NDArray s = classifier.backgroundExemptedScores(x, 1.5f)) {
      return s.toFloatArray()[0];
    }
  }
}
