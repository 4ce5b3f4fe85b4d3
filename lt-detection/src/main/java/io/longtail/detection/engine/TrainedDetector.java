package io.longtail.detection.engine;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.longtail.core.classifier.InferenceMode;
import io.longtail.datasets.lvis.Detection;
import io.longtail.datasets.pipeline.DetectionBatch;
import io.longtail.datasets.pipeline.DetectionDataset;
import io.longtail.datasets.pipeline.DetectionTransform;
import io.longtail.datasets.pipeline.ImageTargets;
import io.longtail.datasets.pipeline.PreparedImage;
import io.longtail.detection.backbone.Backbone;
import io.longtail.detection.config.CategoryRef;
import io.longtail.detection.config.ConfigIo;
import io.longtail.detection.config.DetectorConfig;
import io.longtail.detection.config.RoiHeadsConfig;
import io.longtail.detection.model.FasterRcnn;
import io.longtail.detection.roiheads.FastRcnnInference;
import io.longtail.detection.structures.ImageDetections;
import io.longtail.detection.train.Checkpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * A detector loaded from a checkpoint, ready for inference: it knows its label space (category ids
 * and names) and its test-time defaults, and maps detections back to dataset category ids.
 */
public final class TrainedDetector implements AutoCloseable {

  private final DetectorConfig config;
  private final FasterRcnn model;
  private final NDManager manager;
  private final Path source;

  private TrainedDetector(DetectorConfig config, FasterRcnn model, NDManager manager, Path source) {
    this.config = config;
    this.model = model;
    this.manager = manager;
    this.source = source;
  }

  /**
   * Loads a checkpoint written by {@link DetectorTraining}.
   *
   * @param file the checkpoint file
   * @return the detector (close it to free native memory)
   * @throws IOException if the file is missing, corrupt, or does not fit its own config
   */
  public static TrainedDetector load(Path file) throws IOException {
    Checkpoint checkpoint = Checkpoint.read(file);
    DetectorConfig config = ConfigIo.parse(checkpoint.info().config(), file + " (config)");
    if (config.categories().isEmpty()) {
      throw new IOException(file + ": the checkpoint's config has no categories");
    }
    FasterRcnn model = new FasterRcnn(config.model(), config.categories().size());
    NDManager manager = NDManager.newBaseManager();
    try {
      model.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 64, 64));
      model.loadParameters(manager, checkpoint.parameterStream());
    } catch (MalformedModelException | RuntimeException e) {
      manager.close();
      throw new IOException(
          file + ": parameters do not fit the saved config: " + e.getMessage(), e);
    }
    return new TrainedDetector(config, model, manager, file);
  }

  /** The configuration the model was trained with (categories included). */
  public DetectorConfig config() {
    return config;
  }

  /** The model. */
  public FasterRcnn model() {
    return model;
  }

  /** The checkpoint it was loaded from. */
  public Path source() {
    return source;
  }

  /** The test-time transform: shortest side {@code minSizeTest}, no flip. */
  public DetectionTransform testTransform() {
    return DetectionTransform.builder()
        .optMinSize(config.input().minSizeTest())
        .optMaxSize(config.input().maxSize())
        .optFlipProbability(0)
        .build();
  }

  /** Inference settings from the config (score threshold, NMS, cap). */
  public FastRcnnInference.Settings settings() {
    RoiHeadsConfig r = config.model().roiHeads();
    return new FastRcnnInference.Settings(
        r.scoreThreshold(), r.nmsThreshold(), r.detectionsPerImage());
  }

  /**
   * Detections of prepared images (contiguous classes, original-image pixels).
   *
   * @param images prepared with {@link #testTransform()}
   * @param mode plain, TDE or background-exempted
   * @param alpha TDE strength
   * @return one result per image
   */
  public List<ImageDetections> detect(List<PreparedImage> images, InferenceMode mode, float alpha) {
    try (DetectionBatch batch = BatchFeeder.toBatch(images, manager, Backbone.SIZE_DIVISIBILITY)) {
      List<FastRcnnInference.ImageGeometry> geometries = new ArrayList<>();
      for (ImageTargets t : batch.targets()) {
        geometries.add(
            new FastRcnnInference.ImageGeometry(
                t.imageId(), t.height(), t.width(), t.scaleX(), t.scaleY()));
      }
      return model.detect(
          new ParameterStore(manager, false), batch.images(), geometries, mode, alpha, settings());
    }
  }

  /**
   * Detections of every image of a dataset, in the LVIS results model (dataset category ids, {@code
   * [x, y, w, h]} boxes).
   *
   * @param dataset images to run on (its transform should be {@link #testTransform()})
   * @param mode plain, TDE or background-exempted
   * @param alpha TDE strength
   * @param batchSize images per forward pass
   * @param workers decoding threads
   * @param onImages called with the number of images done after each batch
   * @return all detections
   */
  public List<Detection> detectAll(
      DetectionDataset dataset,
      InferenceMode mode,
      float alpha,
      int batchSize,
      int workers,
      IntConsumer onImages) {
    List<Detection> out = new ArrayList<>();
    DatasetBatches.forEach(
        dataset,
        batchSize,
        workers,
        images -> {
          for (ImageDetections d : detect(images, mode, alpha)) {
            out.addAll(toResults(d));
          }
        },
        onImages);
    return out;
  }

  /** Converts one image's detections to results with dataset category ids. */
  public List<Detection> toResults(ImageDetections d) {
    List<CategoryRef> categories = config.categories();
    float[] b = d.boxes();
    float[] s = d.scores();
    int[] c = d.classes();
    List<Detection> out = new ArrayList<>(s.length);
    for (int j = 0; j < s.length; j++) {
      double[] xywh = {
        b[4 * j], b[4 * j + 1], b[4 * j + 2] - b[4 * j], b[4 * j + 3] - b[4 * j + 1]
      };
      out.add(new Detection(d.imageId(), categories.get(c[j]).id(), xywh, s[j], null));
    }
    return out;
  }

  @Override
  public void close() {
    manager.close();
  }
}
