package io.longtail.segmentation.api;

import io.longtail.datasets.lvis.CategoryIndex;
import io.longtail.datasets.mask.Rle;
import io.longtail.datasets.pipeline.DetectionTransform;
import io.longtail.datasets.pipeline.PreparedImage;
import io.longtail.detection.config.CategoryRef;
import io.longtail.detection.structures.ImageDetections;
import io.longtail.segmentation.engine.TrainedMaskRcnn;
import io.longtail.segmentation.model.InferenceOptions;
import io.longtail.segmentation.model.MaskedDetections;
import io.longtail.segmentation.model.SegmentedDetections;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Instance segmentation with a trained long-tail Mask R-CNN, the library entry point:
 *
 * <pre>{@code
 * try (InstanceSegmenter segmenter = InstanceSegmenter.load(Path.of("runs/lt-shapes"))) {
 *   for (SegmentedInstance s : segmenter.predict(Path.of("street.jpg"))) {
 *     System.out.println(s.categoryName() + " " + s.score() + " " + s.area() + " pixels");
 *   }
 * }
 * }</pre>
 *
 * <p>Images are resized as in training ({@code input.minSizeTest}, {@code input.maxSize}); boxes
 * and masks come back in the original image's pixels, best first. The box classifier's TDE
 * settings, the score threshold and the cap are {@link PredictOptions}. Instances are safe to
 * share; {@code predict} calls are serialised (one forward at a time per segmenter).
 */
public final class InstanceSegmenter implements AutoCloseable {

  private final TrainedMaskRcnn model;
  private final PredictOptions options;
  private final DetectionTransform transform;
  private final CategoryIndex index;

  private InstanceSegmenter(TrainedMaskRcnn model, PredictOptions options) {
    this.model = model;
    this.options = Objects.requireNonNull(options, "options");
    this.transform = model.testTransform();
    List<Integer> ids = new ArrayList<>();
    for (CategoryRef c : model.categories()) {
      ids.add(c.id());
    }
    this.index = CategoryIndex.of(ids);
  }

  /**
   * Loads a trained model with default options ({@link PredictOptions#defaults()}).
   *
   * @param location a run directory ({@code ./lt train --output}), its {@code checkpoints/} folder
   *     or one checkpoint file; a directory gives its latest checkpoint
   * @return the segmenter (close it to free native memory)
   * @throws IOException if no Mask R-CNN checkpoint can be read there
   */
  public static InstanceSegmenter load(Path location) throws IOException {
    return load(location, PredictOptions.defaults());
  }

  /**
   * Loads a trained model.
   *
   * @param location see {@link #load(Path)}
   * @param options defaults of {@link #predict(Path)} and the other one-argument forms
   * @return the segmenter
   * @throws IOException if no Mask R-CNN checkpoint can be read there
   */
  public static InstanceSegmenter load(Path location, PredictOptions options) throws IOException {
    TrainedMaskRcnn model = TrainedMaskRcnn.load(location);
    try {
      return new InstanceSegmenter(model, options);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** The options of the one-argument {@code predict} forms. */
  public PredictOptions options() {
    return options;
  }

  /** The categories the model knows: class {@code k} is {@code categories().get(k)}. */
  public List<CategoryRef> categories() {
    return model.categories();
  }

  /** The underlying model (config, network, dataset-level inference). */
  public TrainedMaskRcnn model() {
    return model;
  }

  /**
   * Segments an image file.
   *
   * @param image a file OpenCV decodes (JPEG, PNG, ...)
   * @return the instances, best first
   * @throws IOException if the file is missing or cannot be decoded
   */
  public List<SegmentedInstance> predict(Path image) throws IOException {
    return predict(image, options);
  }

  /**
   * Segments an image file.
   *
   * @param image a file OpenCV decodes
   * @param options mode, alpha, threshold, cap for this call
   * @return the instances, best first
   * @throws IOException if the file is missing or cannot be decoded
   */
  @SuppressWarnings("try") // the scope frees the Mats made inside
  public List<SegmentedInstance> predict(Path image, PredictOptions options) throws IOException {
    try (PointerScope scope = new PointerScope()) {
      return predictRgb(ImageInputs.rgb(image), options);
    }
  }

  /**
   * Segments a Java image (any type; colour is read through {@code getRGB}).
   *
   * @param image the image
   * @return the instances, best first
   */
  public List<SegmentedInstance> predict(BufferedImage image) {
    return predict(image, options);
  }

  /**
   * Segments a Java image.
   *
   * @param image the image
   * @param options mode, alpha, threshold, cap for this call
   * @return the instances, best first
   */
  @SuppressWarnings("try")
  public List<SegmentedInstance> predict(BufferedImage image, PredictOptions options) {
    try (PointerScope scope = new PointerScope()) {
      return predictRgb(ImageInputs.rgb(image), options);
    }
  }

  /**
   * Segments an OpenCV image in OpenCV's channel order.
   *
   * @param image {@code CV_8UC3} BGR (as {@code imread} gives), {@code CV_8UC4} BGRA or {@code
   *     CV_8UC1} grey; not modified
   * @return the instances, best first
   */
  public List<SegmentedInstance> predict(Mat image) {
    return predict(image, options);
  }

  /**
   * Segments an OpenCV image in OpenCV's channel order.
   *
   * @param image {@code CV_8UC3} BGR, {@code CV_8UC4} BGRA or {@code CV_8UC1} grey
   * @param options mode, alpha, threshold, cap for this call
   * @return the instances, best first
   */
  @SuppressWarnings("try")
  public List<SegmentedInstance> predict(Mat image, PredictOptions options) {
    try (PointerScope scope = new PointerScope()) {
      return predictRgb(ImageInputs.rgb(image), options);
    }
  }

  private synchronized List<SegmentedInstance> predictRgb(Mat rgb, PredictOptions options) {
    PreparedImage prepared = ImageInputs.prepare(rgb, transform, index);
    InferenceOptions resolved = options.resolve(model.config());
    MaskedDetections detected = model.detect(List.of(prepared), resolved).get(0);
    SegmentedDetections pasted = model.paste(detected, rgb.rows(), rgb.cols());
    return instances(pasted, model.categories());
  }

  /** Converts detections with pasted masks to instances. */
  static List<SegmentedInstance> instances(SegmentedDetections d, List<CategoryRef> categories) {
    ImageDetections det = d.detections();
    float[] b = det.boxes();
    float[] s = det.scores();
    int[] c = det.classes();
    List<SegmentedInstance> out = new ArrayList<>(s.length);
    for (int j = 0; j < s.length; j++) {
      CategoryRef category = categories.get(c[j]);
      Rle mask = d.masks().get(j);
      out.add(
          new SegmentedInstance(
              category.id(),
              category.name(),
              s[j],
              new float[] {b[4 * j], b[4 * j + 1], b[4 * j + 2], b[4 * j + 3]},
              mask));
    }
    return out;
  }

  /** Frees the model's native memory. */
  @Override
  public void close() {
    model.close();
  }
}
