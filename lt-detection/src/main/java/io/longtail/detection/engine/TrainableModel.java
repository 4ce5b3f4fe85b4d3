package io.longtail.detection.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.longtail.datasets.pipeline.DetectionBatch;
import io.longtail.detection.config.DetectorConfig;
import io.longtail.detection.model.FasterRcnn;
import io.longtail.detection.roiheads.LabelStatistics;
import io.longtail.detection.train.LossTerms;
import java.util.Random;

/**
 * A model that {@link DetectorTraining} can train: a block holding every parameter (saved in
 * checkpoints) and the losses of a batch. Faster R-CNN is one; Mask R-CNN (lt-segmentation)
 * another, so that both share one training loop, checkpoint format and resume logic.
 */
public interface TrainableModel {

  /** The block whose parameters are trained, saved and loaded. */
  Block block();

  /**
   * Losses of a batch; called inside a {@code GradientCollector}.
   *
   * @param ps parameter store
   * @param batch images and targets (arrays made here may live in the batch's manager)
   * @param random generator of this iteration (derived from the seed and the iteration)
   * @return the named terms and their sum
   */
  StepLosses losses(ParameterStore ps, DetectionBatch batch, Random random);

  /** The losses of one step: the differentiated total and the logged terms. */
  interface StepLosses {
    /** Sum of the terms, a scalar to differentiate. */
    NDArray total();

    /** The terms' values under their log names. */
    LossTerms values();
  }

  /**
   * Builds the model of a run.
   *
   * <p>{@link #create} receives the run's config with its label space filled in; {@link
   * #configText} gives the text saved in checkpoints (it must let the model be rebuilt).
   */
  interface Factory {
    /** A new, uninitialised model for the config (categories filled in). */
    TrainableModel create(DetectorConfig config);

    /**
     * A new model for training, with the class statistics of the training annotations that some
     * box-head losses need (EQL, class-balanced, logit-adjusted, distribution-balanced); by default
     * the statistics are not used.
     */
    default TrainableModel create(DetectorConfig config, LabelStatistics statistics) {
      return create(config);
    }

    /** The config as saved in checkpoints; YAML of the detector config by default. */
    default String configText(DetectorConfig config) {
      return io.longtail.detection.config.ConfigIo.toYaml(config);
    }
  }

  /** The Faster R-CNN factory. */
  static Factory fasterRcnn() {
    return new Factory() {
      @Override
      public TrainableModel create(DetectorConfig config) {
        return create(config, null);
      }

      @Override
      public TrainableModel create(DetectorConfig config, LabelStatistics statistics) {
        return wrap(new FasterRcnn(config.model(), config.categories().size(), statistics));
      }
    };
  }

  private static TrainableModel wrap(FasterRcnn model) {
    return new TrainableModel() {
      @Override
      public Block block() {
        return model;
      }

      @Override
      public StepLosses losses(ParameterStore ps, DetectionBatch batch, Random random) {
        return model.losses(ps, batch, random);
      }
    };
  }
}
