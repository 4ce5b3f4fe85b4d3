package io.longtail.core.bbn;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.longtail.core.toy.GaussianClusters;
import io.longtail.core.toy.GaussianClusters.Samples;
import io.longtail.core.toy.GroupAccuracy;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * BBN on a generated long-tailed problem: {@code K} Gaussian clusters (centres with spread 1,
 * cluster noise {@link BbnToyConfig#noise()}) with the CIFAR-LT count profile, a balanced test set,
 * and the same {@link BbnNetwork} (MLP trunk, one-layer branches) trained twice from the same
 * initial weights: conventionally (uniform sampler, {@code alpha = 1}: the re-balancing branch
 * never contributes) and with BBN's uniform and reversed samplers and the cumulative-learning
 * adaptor. The uniform sampler's epoch sets the number of iterations; each is paired with as many
 * reversed draws.
 */
public final class BbnToyExperiment {

  private BbnToyExperiment() {}

  /**
   * Runs both trainings.
   *
   * @param config the settings
   * @return accuracies and the BBN training curve
   */
  public static BbnToyResult run(BbnToyConfig config) {
    long start = System.nanoTime();
    Random random = new Random(config.seed());
    int k = config.numClasses();
    float[][] centres = new float[k][config.inputDim()];
    for (float[] c : centres) {
      for (int d = 0; d < c.length; d++) {
        c[d] = (float) random.nextGaussian();
      }
    }
    List<Integer> counts = new ArrayList<>();
    for (int c = 0; c < k; c++) {
      counts.add(config.trainCount(c));
    }
    Samples train = GaussianClusters.draw(centres, counts, c -> c, config.noise(), random);
    List<Integer> testCounts = new ArrayList<>();
    for (int c = 0; c < k; c++) {
      testCounts.add(config.testPerClass());
    }
    Samples test = GaussianClusters.draw(centres, testCounts, c -> c, config.noise(), random);
    BbnSamplers samplers = new BbnSamplers(train.labels(), k, config.seed());

    List<Double> alphas = new ArrayList<>();
    List<Double> losses = new ArrayList<>();
    GroupAccuracy baseline = train(config, train, test, counts, samplers, false, alphas, losses);
    alphas.clear();
    losses.clear();
    GroupAccuracy bbn = train(config, train, test, counts, samplers, true, alphas, losses);
    return new BbnToyResult(
        config, counts, baseline, bbn, alphas, losses, (System.nanoTime() - start) / 1e9);
  }

  private static BbnNetwork network(BbnToyConfig config) {
    return BbnNetwork.builder()
        .setTrunk(
            new SequentialBlock()
                .add(Linear.builder().setUnits(config.hiddenDim()).build())
                .add(Activation::relu))
        .setBranches(branch(config), branch(config))
        .setNumClasses(config.numClasses())
        .build();
  }

  private static SequentialBlock branch(BbnToyConfig config) {
    return new SequentialBlock()
        .add(Linear.builder().setUnits(config.featureDim()).build())
        .add(Activation::relu);
  }

  private static GroupAccuracy train(
      BbnToyConfig config,
      Samples train,
      Samples test,
      List<Integer> counts,
      BbnSamplers samplers,
      boolean bilateral,
      List<Double> alphas,
      List<Double> losses) {
    // DJL seeds its initialisers through the engine: both trainings start from the same weights.
    Engine.getInstance().setRandomSeed((int) config.seed());
    BbnNetwork net = network(config);
    DefaultTrainingConfig trainingConfig =
        new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
            .optOptimizer(
                Optimizer.sgd()
                    .setLearningRateTracker(Tracker.fixed(config.learningRate()))
                    .optMomentum(0.9f)
                    .optWeightDecays(2e-4f)
                    .build());
    try (Model model = Model.newInstance(bilateral ? "bbn" : "bbn-baseline");
        NDManager data = NDManager.newBaseManager()) {
      model.setBlock(net);
      try (Trainer trainer = model.newTrainer(trainingConfig)) {
        trainer.initialize(new Shape(config.batchSize(), config.inputDim()));
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
          double alpha = bilateral ? CumulativeLearning.alpha(epoch, config.epochs()) : 1.0;
          int[] uniform = samplers.uniform(epoch);
          int[] reversed = bilateral ? samplers.reversed(epoch, uniform.length) : uniform;
          double lossSum = 0;
          int batches = 0;
          for (int from = 0; from < uniform.length; from += config.batchSize()) {
            int to = Math.min(uniform.length, from + config.batchSize());
            try (NDManager batch = data.newSubManager()) {
              NDArray xc = batch.create(train.rows(uniform, from, to));
              NDArray xr = batch.create(train.rows(reversed, from, to));
              NDArray yc = batch.create(train.labels(uniform, from, to));
              NDArray yr = batch.create(train.labels(reversed, from, to));
              NDArray a = batch.create((float) alpha);
              try (GradientCollector gc = trainer.newGradientCollector()) {
                NDArray logits = trainer.forward(new NDList(xc, xr, a)).singletonOrThrow();
                NDArray loss = BbnNetwork.loss(logits, yc, yr, alpha);
                gc.backward(loss);
                lossSum += loss.getFloat();
              }
              trainer.step();
            }
            batches++;
          }
          double mean = lossSum / batches;
          if (!Double.isFinite(mean)) {
            throw new IllegalStateException("BBN toy loss is " + mean + " at epoch " + epoch);
          }
          alphas.add(alpha);
          losses.add(mean);
        }
        try (NDManager m = data.newSubManager()) {
          NDArray logits = trainer.evaluate(new NDList(m.create(test.x()))).singletonOrThrow();
          int[] predicted = logits.argMax(1).toType(DataType.INT32, false).toIntArray();
          return GaussianClusters.accuracy(predicted, test.labels(), counts);
        }
      }
    }
  }
}
