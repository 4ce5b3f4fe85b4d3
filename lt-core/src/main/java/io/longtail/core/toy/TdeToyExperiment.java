package io.longtail.core.toy;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.longtail.core.classifier.CausalNormClassifier;
import io.longtail.core.toy.GaussianClusters.Samples;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * Trains a small network with a causal-norm head on generated long-tailed data and compares plain
 * and TDE logits on a balanced test set.
 *
 * <p>Data: {@code K} Gaussian clusters in {@code inputDim} dimensions whose centres are drawn in
 * pairs close to each other, so that every tail class has a similar head class to be confused with;
 * class {@code i} has {@code maxPerClass * imbalance^(-i/(K-1))} training examples. Training: SGD
 * with momentum 0.9 and softmax cross-entropy, instance-balanced sampling, as in the paper.
 */
public final class TdeToyExperiment {

  private TdeToyExperiment() {}

  /**
   * Runs the experiment.
   *
   * @param config the settings
   * @param alphas TDE strengths to evaluate; the suggested alpha is always added
   * @param onEpoch called with the epoch index after every epoch (progress reporting)
   * @return losses and accuracies
   */
  public static ToyResult run(ToyConfig config, List<Float> alphas, IntConsumer onEpoch) {
    long start = System.nanoTime();
    Random random = new Random(config.seed());
    int k = config.numClasses();
    float[][] centres = centres(config, random);
    List<Integer> counts = new ArrayList<>();
    for (int c = 0; c < k; c++) {
      counts.add(config.trainCount(c));
    }
    Samples train = sample(config, centres, counts, random);
    List<Integer> testCounts = new ArrayList<>();
    for (int c = 0; c < k; c++) {
      testCounts.add(config.testPerClass());
    }
    Samples test = sample(config, centres, testCounts, random);

    // DJL seeds the engine's initialisers globally; this is the only engine-level randomness.
    Engine.getInstance().setRandomSeed((int) config.seed());
    ToyNetwork net = new ToyNetwork(config);
    DefaultTrainingConfig trainingConfig =
        new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
            .optOptimizer(
                Optimizer.sgd()
                    .setLearningRateTracker(Tracker.fixed(config.learningRate()))
                    .optMomentum(0.9f)
                    .optWeightDecays(5e-4f)
                    .build());
    List<Double> epochLosses = new ArrayList<>();
    try (Model model = Model.newInstance("tde-toy");
        NDManager data = NDManager.newBaseManager()) {
      model.setBlock(net);
      try (Trainer trainer = model.newTrainer(trainingConfig)) {
        trainer.initialize(new Shape(config.batchSize(), config.inputDim()));
        int[] order = new int[train.size()];
        for (int i = 0; i < order.length; i++) {
          order[i] = i;
        }
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
          shuffle(order, random);
          double lossSum = 0;
          int batches = 0;
          for (int from = 0; from < order.length; from += config.batchSize()) {
            int to = Math.min(order.length, from + config.batchSize());
            try (NDManager batch = data.newSubManager()) {
              NDArray x = batch.create(train.rows(order, from, to));
              NDArray y = batch.create(train.labels(order, from, to));
              NDList labels = new NDList(y);
              try (GradientCollector gc = trainer.newGradientCollector()) {
                NDList logits = trainer.forward(new NDList(x), labels);
                NDArray loss = trainer.getLoss().evaluate(labels, logits);
                gc.backward(loss);
                lossSum += loss.getFloat();
              }
              trainer.step();
            }
            batches++;
          }
          double meanLoss = lossSum / batches;
          if (!Double.isFinite(meanLoss)) {
            throw new IllegalStateException(
                "toy training loss is " + meanLoss + " at epoch " + epoch);
          }
          epochLosses.add(meanLoss);
          onEpoch.accept(epoch);
        }
        return evaluate(config, net, trainer.getManager(), train, test, counts, alphas)
            .finish(config, counts, epochLosses, (System.nanoTime() - start) / 1e9);
      }
    }
  }

  private record Evaluation(GroupAccuracy plain, Map<Float, GroupAccuracy> tde, float suggested) {
    ToyResult finish(ToyConfig config, List<Integer> counts, List<Double> losses, double seconds) {
      return new ToyResult(config, counts, losses, plain, tde, suggested, seconds);
    }
  }

  private static Evaluation evaluate(
      ToyConfig config,
      ToyNetwork net,
      NDManager parent,
      Samples train,
      Samples test,
      List<Integer> counts,
      List<Float> alphas) {
    try (NDManager m = parent.newSubManager()) {
      ParameterStore ps = new ParameterStore(m, false);
      CausalNormClassifier head = net.head();
      NDArray trainFeatures =
          net.features(ps, new NDList(m.create(train.x())), false).singletonOrThrow();
      float suggested = head.suggestAlpha(trainFeatures);
      NDArray testFeatures =
          net.features(ps, new NDList(m.create(test.x())), false).singletonOrThrow();
      GroupAccuracy plain =
          GaussianClusters.accuracy(
              head.logits(testFeatures)
                  .argMax(1)
                  .toType(ai.djl.ndarray.types.DataType.INT32, false)
                  .toIntArray(),
              test.labels(),
              counts);
      Map<Float, GroupAccuracy> tde = new LinkedHashMap<>();
      List<Float> all = new ArrayList<>(alphas);
      all.add(suggested);
      for (float alpha : all) {
        int[] predicted =
            head.tdeLogits(testFeatures, alpha)
                .argMax(1)
                .toType(ai.djl.ndarray.types.DataType.INT32, false)
                .toIntArray();
        tde.put(alpha, GaussianClusters.accuracy(predicted, test.labels(), counts));
      }
      return new Evaluation(plain, tde, suggested);
    }
  }

  /** Class centres in pairs: centre 2j+1 is a small perturbation of centre 2j. */
  private static float[][] centres(ToyConfig config, Random random) {
    int k = config.numClasses();
    float[][] centres = new float[k][config.inputDim()];
    double spread = 2.5 * config.noise();
    for (int c = 0; c < k; c++) {
      for (int d = 0; d < config.inputDim(); d++) {
        centres[c][d] =
            c % 2 == 1
                ? centres[c - 1][d] + (float) (random.nextGaussian() * 0.9 * config.noise())
                : (float) (random.nextGaussian() * spread);
      }
    }
    return centres;
  }

  private static Samples sample(
      ToyConfig config, float[][] centres, List<Integer> counts, Random random) {
    // Pair members alternate between the head and tail ends of the frequency order, so that
    // each rare class has a frequent look-alike.
    int k = centres.length;
    return GaussianClusters.draw(centres, counts, c -> pairedCentre(c, k), config.noise(), random);
  }

  /** Class c (by frequency rank) uses centre pairs (0,1),(2,3).. split between head and tail. */
  static int pairedCentre(int classIndex, int numClasses) {
    int half = (numClasses + 1) / 2;
    return classIndex < half ? 2 * classIndex : 2 * (numClasses - 1 - classIndex) + 1;
  }

  private static void shuffle(int[] order, Random random) {
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  }
}
