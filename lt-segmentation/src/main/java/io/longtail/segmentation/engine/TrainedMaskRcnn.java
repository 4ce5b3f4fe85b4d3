package io.longtail.segmentation.engine;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.longtail.datasets.lvis.Detection;
import io.longtail.datasets.lvis.RleSegmentation;
import io.longtail.datasets.mask.Rle;
import io.longtail.datasets.pipeline.DetectionBatch;
import io.longtail.datasets.pipeline.DetectionDataset;
import io.longtail.datasets.pipeline.DetectionTransform;
import io.longtail.datasets.pipeline.ImageTargets;
import io.longtail.datasets.pipeline.PreparedImage;
import io.longtail.detection.backbone.Backbone;
import io.longtail.detection.config.CategoryRef;
import io.longtail.detection.engine.BatchFeeder;
import io.longtail.detection.engine.DatasetBatches;
import io.longtail.detection.engine.DetectorTraining;
import io.longtail.detection.roiheads.FastRcnnInference;
import io.longtail.detection.structures.ImageDetections;
import io.longtail.detection.train.Checkpoint;
import io.longtail.detection.train.CheckpointStore;
import io.longtail.segmentation.config.MaskRcnnConfig;
import io.longtail.segmentation.config.MaskRcnnConfigIo;
import io.longtail.segmentation.model.InferenceOptions;
import io.longtail.segmentation.model.MaskRcnn;
import io.longtail.segmentation.model.MaskedDetections;
import io.longtail.segmentation.model.SegmentedDetections;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * A Mask R-CNN loaded from a checkpoint, ready for inference: it knows its label space (category
 * ids and names) and its test-time defaults, pastes masks into the original images and writes LVIS
 * results (box and compressed-RLE mask in one entry, so the same list evaluates as {@code bbox} and
 * {@code segm}).
 */
public final class TrainedMaskRcnn implements AutoCloseable {

  private final MaskRcnnConfig config;
  private final MaskRcnn model;
  private final NDManager manager;
  private final Path source;
  private final boolean ownsManager;

  private TrainedMaskRcnn(
      MaskRcnnConfig config, MaskRcnn model, NDManager manager, Path source, boolean ownsManager) {
    this.config = config;
    this.model = model;
    this.manager = manager;
    this.source = source;
    this.ownsManager = ownsManager;
  }

  /**
   * Loads a model written by {@link MaskRcnnTraining}.
   *
   * @param location a checkpoint file ({@code model_0090000.ckpt}), a checkpoints folder (its
   *     latest checkpoint) or a run directory (the latest checkpoint of its {@code checkpoints/})
   * @return the model (close it to free native memory)
   * @throws IOException if nothing loadable is there, the file is corrupt, it is not a Mask R-CNN
   *     checkpoint, or its parameters do not fit its own config
   */
  public static TrainedMaskRcnn load(Path location) throws IOException {
    NDManager manager = NDManager.newBaseManager();
    try {
      return load(location, manager, true);
    } catch (IOException | RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /**
   * Loads a model into a manager the caller owns (DJL's {@code Model} manager, for example);
   * closing the result then leaves the manager open.
   *
   * @param location see {@link #load(Path)}
   * @param manager where the parameters live
   * @return the model
   * @throws IOException see {@link #load(Path)}
   */
  public static TrainedMaskRcnn load(Path location, NDManager manager) throws IOException {
    return load(location, manager, false);
  }

  private static TrainedMaskRcnn load(Path location, NDManager manager, boolean owns)
      throws IOException {
    Path file = resolveCheckpoint(location);
    Checkpoint checkpoint = Checkpoint.read(file);
    String yaml = checkpoint.info().config();
    if (!MaskRcnnConfigIo.isMaskRcnn(yaml)) {
      throw new IOException(
          file
              + ": not a Mask R-CNN checkpoint (its config has no mask section); load detector"
              + " checkpoints with TrainedDetector");
    }
    MaskRcnnConfig config = MaskRcnnConfigIo.parse(yaml, file + " (config)");
    if (config.categories().isEmpty()) {
      throw new IOException(file + ": the checkpoint's config has no categories");
    }
    MaskRcnn model = new MaskRcnn(config, config.categories().size());
    try {
      model.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 64, 64));
      model.loadParameters(manager, checkpoint.parameterStream());
    } catch (MalformedModelException | RuntimeException e) {
      throw new IOException(
          file + ": parameters do not fit the saved config: " + e.getMessage(), e);
    }
    return new TrainedMaskRcnn(config, model, manager, file, owns);
  }

  /**
   * Whether a location holds a Mask R-CNN checkpoint (its config has a {@code mask:} section), for
   * commands that accept detector and Mask R-CNN checkpoints alike.
   *
   * @param location a checkpoint file, checkpoints folder or run directory
   * @return {@code true} for a Mask R-CNN checkpoint, {@code false} for a detector's
   * @throws IOException if there is no readable checkpoint there
   */
  public static boolean isMaskRcnnCheckpoint(Path location) throws IOException {
    return MaskRcnnConfigIo.isMaskRcnn(
        Checkpoint.read(resolveCheckpoint(location)).info().config());
  }

  /**
   * The checkpoint file a location names: the file itself, the latest checkpoint of a checkpoints
   * folder, or that of a run directory's {@code checkpoints/}.
   *
   * @param location file or directory
   * @return the checkpoint file
   * @throws IOException if there is none
   */
  public static Path resolveCheckpoint(Path location) throws IOException {
    if (Files.isRegularFile(location)) {
      return location;
    }
    if (!Files.isDirectory(location)) {
      throw new IOException("no checkpoint file or run directory at " + location);
    }
    Path nested = location.resolve(DetectorTraining.CHECKPOINTS);
    Path dir = Files.isDirectory(nested) ? nested : location;
    Optional<Path> latest = new CheckpointStore(dir).latestFile();
    if (latest.isEmpty()) {
      throw new IOException("no checkpoint in " + dir);
    }
    return latest.get();
  }

  /** The configuration the model was trained with (categories included). */
  public MaskRcnnConfig config() {
    return config;
  }

  /** The model. */
  public MaskRcnn model() {
    return model;
  }

  /** The manager holding the parameters. */
  public NDManager manager() {
    return manager;
  }

  /** The checkpoint it was loaded from. */
  public Path source() {
    return source;
  }

  /** The label space: contiguous class {@code k} is {@code categories().get(k)}. */
  public List<CategoryRef> categories() {
    return config.categories();
  }

  /** The test-time transform: shortest side {@code minSizeTest}, no flip. */
  public DetectionTransform testTransform() {
    return DetectionTransform.builder()
        .optMinSize(config.detector().input().minSizeTest())
        .optMaxSize(config.detector().input().maxSize())
        .optFlipProbability(0)
        .build();
  }

  /** The config's test-time options (mode, alpha, score threshold, detections per image). */
  public InferenceOptions defaultOptions() {
    return MaskRcnn.defaultOptions(config);
  }

  /**
   * Detections with their {@code M x M} mask probabilities, before pasting.
   *
   * @param images prepared with {@link #testTransform()}
   * @param options mode, alpha, threshold, cap
   * @return one result per image
   */
  public List<MaskedDetections> detect(List<PreparedImage> images, InferenceOptions options) {
    try (DetectionBatch batch = BatchFeeder.toBatch(images, manager, Backbone.SIZE_DIVISIBILITY)) {
      List<FastRcnnInference.ImageGeometry> geometries = new ArrayList<>();
      for (ImageTargets t : batch.targets()) {
        geometries.add(
            new FastRcnnInference.ImageGeometry(
                t.imageId(), t.height(), t.width(), t.scaleX(), t.scaleY()));
      }
      return model.detect(new ParameterStore(manager, false), batch.images(), geometries, options);
    }
  }

  /**
   * Detections with masks pasted into the original images (threshold {@code mask.threshold}).
   *
   * @param images prepared with {@link #testTransform()}
   * @param options mode, alpha, threshold, cap
   * @return one result per image
   */
  public List<SegmentedDetections> predict(List<PreparedImage> images, InferenceOptions options) {
    List<MaskedDetections> detected = detect(images, options);
    List<SegmentedDetections> out = new ArrayList<>(images.size());
    for (int i = 0; i < images.size(); i++) {
      ImageTargets t = images.get(i).targets();
      out.add(paste(detected.get(i), t.originalHeight(), t.originalWidth()));
    }
    return out;
  }

  /**
   * Pastes every mask of an image's detections and thresholds it.
   *
   * @param detections detections with mask probabilities
   * @param imageHeight the original image's height
   * @param imageWidth the original image's width
   * @return the detections with binary masks
   */
  public SegmentedDetections paste(MaskedDetections detections, int imageHeight, int imageWidth) {
    float threshold = config.mask().threshold();
    List<Rle> masks = new ArrayList<>(detections.size());
    for (int j = 0; j < detections.size(); j++) {
      masks.add(detections.paste(j, imageHeight, imageWidth).toRle(threshold));
    }
    return new SegmentedDetections(imageHeight, imageWidth, detections.detections(), masks);
  }

  /**
   * Results of every image of a dataset in the LVIS results model: dataset category ids, {@code [x,
   * y, w, h]} boxes and compressed-RLE masks.
   *
   * @param dataset images to run on (its transform should be {@link #testTransform()})
   * @param options mode, alpha, threshold, cap
   * @param batchSize images per forward pass
   * @param workers decoding threads
   * @param onImages called with the number of images done after each batch
   * @return all results
   */
  public List<Detection> detectAll(
      DetectionDataset dataset,
      InferenceOptions options,
      int batchSize,
      int workers,
      IntConsumer onImages) {
    List<Detection> out = new ArrayList<>();
    DatasetBatches.forEach(
        dataset,
        batchSize,
        workers,
        images -> {
          for (SegmentedDetections d : predict(images, options)) {
            out.addAll(toResults(d));
          }
        },
        onImages);
    return out;
  }

  /** Converts one image's detections to LVIS results (box and mask in each entry). */
  public List<Detection> toResults(SegmentedDetections d) {
    List<CategoryRef> categories = config.categories();
    ImageDetections det = d.detections();
    float[] b = det.boxes();
    float[] s = det.scores();
    int[] c = det.classes();
    List<Detection> out = new ArrayList<>(s.length);
    for (int j = 0; j < s.length; j++) {
      double[] xywh = {
        b[4 * j], b[4 * j + 1], b[4 * j + 2] - b[4 * j], b[4 * j + 3] - b[4 * j + 1]
      };
      Rle mask = d.masks().get(j);
      out.add(
          new Detection(
              d.imageId(),
              categories.get(c[j]).id(),
              xywh,
              s[j],
              new RleSegmentation(mask.height(), mask.width(), mask.toCompressedString())));
    }
    return out;
  }

  /** Frees the parameters, unless they live in a manager the caller owns. */
  @Override
  public void close() {
    if (ownsManager) {
      manager.close();
    }
  }
}
