package io.longtail.detection.report;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.longtail.core.classifier.InferenceMode;
import io.longtail.datasets.lvis.Detection;
import io.longtail.datasets.pipeline.Batching;
import io.longtail.datasets.pipeline.DetectionDataset;
import io.longtail.datasets.pipeline.ImageTargets;
import io.longtail.datasets.pipeline.PreparedImage;
import io.longtail.detection.backbone.Backbone;
import io.longtail.detection.engine.DatasetBatches;
import io.longtail.detection.engine.TrainedDetector;
import io.longtail.detection.model.FasterRcnn;
import io.longtail.detection.roiheads.FastRcnnInference;
import io.longtail.detection.structures.ImageDetections;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Detections of a dataset under several inference modes at once: the backbone and FPN run once per
 * batch and the RPN, ROI head and classifier run once per mode on the same features. The modes only
 * differ in the classifier's scores, so this gives the same detections as one {@link
 * TrainedDetector#detectAll} per mode at about a third of the cost for the three causal-norm modes.
 */
public final class ModeSweep {

  private ModeSweep() {}

  /**
   * Runs every image of a dataset under each mode.
   *
   * @param detector the detector
   * @param dataset images (its transform should be {@link TrainedDetector#testTransform()})
   * @param modes modes to run, at least one (duplicates ignored)
   * @param alpha TDE strength of the TDE modes
   * @param batchSize images per forward pass, positive
   * @param workers decoding threads, positive
   * @param onImages called with the number of images done after each batch
   * @return LVIS results keyed by mode
   */
  public static Map<InferenceMode, List<Detection>> detectAll(
      TrainedDetector detector,
      DetectionDataset dataset,
      List<InferenceMode> modes,
      float alpha,
      int batchSize,
      int workers,
      IntConsumer onImages) {
    if (modes.isEmpty()) {
      throw new IllegalArgumentException("modes must not be empty");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
    }
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be positive, got " + workers);
    }
    List<InferenceMode> distinct = List.copyOf(new LinkedHashSet<>(modes));
    Map<InferenceMode, List<Detection>> out = new EnumMap<>(InferenceMode.class);
    for (InferenceMode m : distinct) {
      out.put(m, new ArrayList<>());
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      ParameterStore ps = new ParameterStore(manager, false);
      DatasetBatches.forEach(
          dataset,
          batchSize,
          workers,
          images -> {
            Map<InferenceMode, List<ImageDetections>> batch =
                detect(detector, manager, ps, images, distinct, alpha);
            for (Map.Entry<InferenceMode, List<ImageDetections>> e : batch.entrySet()) {
              for (ImageDetections d : e.getValue()) {
                out.get(e.getKey()).addAll(detector.toResults(d));
              }
            }
          },
          onImages);
    }
    Map<InferenceMode, List<Detection>> ordered = new EnumMap<>(InferenceMode.class);
    for (InferenceMode m : distinct) {
      ordered.put(m, List.copyOf(out.get(m)));
    }
    return ordered;
  }

  /**
   * Detections of prepared images under each mode (contiguous classes, original-image pixels).
   *
   * @param detector the detector
   * @param images prepared with {@link TrainedDetector#testTransform()}
   * @param modes modes to run
   * @param alpha TDE strength
   * @return per mode, one result per image
   */
  public static Map<InferenceMode, List<ImageDetections>> detect(
      TrainedDetector detector,
      List<PreparedImage> images,
      List<InferenceMode> modes,
      float alpha) {
    try (NDManager manager = NDManager.newBaseManager()) {
      return detect(
          detector,
          manager,
          new ParameterStore(manager, false),
          images,
          List.copyOf(new LinkedHashSet<>(modes)),
          alpha);
    }
  }

  private static Map<InferenceMode, List<ImageDetections>> detect(
      TrainedDetector detector,
      NDManager manager,
      ParameterStore ps,
      List<PreparedImage> images,
      List<InferenceMode> modes,
      float alpha) {
    FasterRcnn model = detector.model();
    FastRcnnInference.Settings settings = detector.settings();
    int[] shape = Batching.paddedShape(images, Backbone.SIZE_DIVISIBILITY);
    float[] pixels = Batching.pad(images, Backbone.SIZE_DIVISIBILITY);
    List<FastRcnnInference.ImageGeometry> geometries = new ArrayList<>();
    for (PreparedImage p : images) {
      ImageTargets t = p.targets();
      geometries.add(
          new FastRcnnInference.ImageGeometry(
              t.imageId(), t.height(), t.width(), t.scaleX(), t.scaleY()));
    }
    Map<InferenceMode, List<ImageDetections>> out = new EnumMap<>(InferenceMode.class);
    try (NDManager scope = manager.newSubManager()) {
      NDArray input = scope.create(pixels, new Shape(shape[0], shape[1], shape[2], shape[3]));
      NDList features = model.features(ps, input);
      for (InferenceMode mode : modes) {
        out.put(mode, model.detect(ps, features, geometries, mode, alpha, settings));
      }
    }
    return out;
  }
}
