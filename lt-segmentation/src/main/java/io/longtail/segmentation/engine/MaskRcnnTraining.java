package io.longtail.segmentation.engine;

import io.longtail.detection.config.DetectorConfig;
import io.longtail.detection.engine.DetectorTraining;
import io.longtail.detection.engine.TrainableModel;
import io.longtail.segmentation.api.DjlModelFiles;
import io.longtail.segmentation.config.MaskHeadConfig;
import io.longtail.segmentation.config.MaskRcnnConfig;
import io.longtail.segmentation.config.MaskRcnnConfigIo;
import io.longtail.segmentation.model.MaskRcnn;
import java.io.IOException;
import java.util.Objects;

/**
 * Trains Mask R-CNN with the detector's loop ({@link DetectorTraining}: SGD with momentum and
 * weight decay, warm-up + step/cosine schedule, optional gradient clipping, the configured image
 * sampler, progress bar, {@code metrics.jsonl}, atomic checkpoints, exact resume, NaN guard); the
 * mask loss is the fifth logged term ({@code loss_mask}).
 *
 * <p>This class is the loop's {@link TrainableModel.Factory} for Mask R-CNN: the loop hands it the
 * detector config with the training set's categories filled in, and it adds its mask head to build
 * the model and to write the config text. The run directory thus gets {@code config.yaml} (the full
 * Mask R-CNN config, {@code mask:} included) and checkpoints carrying the same text, so {@link
 * TrainedMaskRcnn#load} needs nothing else; {@link #run} also writes {@code serving.properties},
 * which makes the directory a model that DJL's {@code Criteria} loads ({@link DjlModelFiles}).
 */
public final class MaskRcnnTraining implements TrainableModel.Factory {

  private final MaskHeadConfig mask;

  /**
   * A factory adding a mask head to the detector configs it is given.
   *
   * @param mask the mask head of every model it builds
   */
  public MaskRcnnTraining(MaskHeadConfig mask) {
    this.mask = Objects.requireNonNull(mask, "mask");
  }

  /**
   * Trains.
   *
   * @param config the configuration (data paths already resolved)
   * @param options output directory, resume, progress bar, log, stop-at and listener (the same
   *     options as the detector's loop)
   * @return iterations done, last losses (five terms), final checkpoint, seconds per iteration
   * @throws IOException on unreadable data or unwritable output
   */
  public static DetectorTraining.Result run(MaskRcnnConfig config, DetectorTraining.Options options)
      throws IOException {
    DetectorTraining.Result result =
        DetectorTraining.run(config.detector(), options, new MaskRcnnTraining(config.mask()));
    DjlModelFiles.writeServingProperties(options.outputDir());
    return result;
  }

  /**
   * The full config of a run: the detector config the loop passes, with this factory's mask head.
   *
   * @param detector the detector config (categories filled in by the loop)
   * @return the Mask R-CNN config
   */
  public MaskRcnnConfig config(DetectorConfig detector) {
    return new MaskRcnnConfig(detector, mask);
  }

  /** A new, uninitialised Mask R-CNN over the config's categories. */
  @Override
  public MaskRcnn create(DetectorConfig detector) {
    return new MaskRcnn(config(detector), detector.categories().size());
  }

  /** The full Mask R-CNN config as YAML ({@code mask:} section included). */
  @Override
  public String configText(DetectorConfig detector) {
    return MaskRcnnConfigIo.toYaml(config(detector));
  }
}
