package io.longtail.segmentation.api;

import ai.djl.modality.cv.Image;
import ai.djl.repository.zoo.Criteria;
import io.longtail.segmentation.engine.TrainedMaskRcnn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes trained Mask R-CNN runs loadable with DJL's {@code Criteria}.
 *
 * <p>A run directory written by {@code MaskRcnnTraining} holds a {@code serving.properties} that
 * names this module's {@link MaskRcnnBlockFactory} and {@link MaskRcnnTranslatorFactory}, so plain
 * DJL code loads it:
 *
 * <pre>{@code
 * Criteria<Image, DetectedObjects> criteria = Criteria.builder()
 *     .setTypes(Image.class, DetectedObjects.class)   // or SegmentedImage.class
 *     .optModelPath(Path.of("runs/lt-shapes"))
 *     .optTranslatorFactory(new DeferredTranslatorFactory())  // the one serving.properties names
 *     .optArgument("scoreThreshold", 0.3)              // optional, see MaskRcnnTranslatorFactory
 *     .build();
 * try (ZooModel<Image, DetectedObjects> model = criteria.loadModel();
 *     Predictor<Image, DetectedObjects> predictor = model.newPredictor()) {
 *   DetectedObjects objects = predictor.predict(ImageFactory.getInstance().fromFile(file));
 * }
 * }</pre>
 *
 * For a checkpoint file or a directory without {@code serving.properties}, {@link #criteria}
 * configures the same through the builder.
 */
public final class DjlModelFiles {

  /** The DJL model-directory manifest. */
  public static final String SERVING_PROPERTIES = "serving.properties";

  private DjlModelFiles() {}

  /**
   * Writes {@code serving.properties} into a run directory.
   *
   * @param runDirectory the directory
   * @throws IOException if it cannot be written
   */
  public static void writeServingProperties(Path runDirectory) throws IOException {
    String text =
        String.join(
            "\n",
            "# Lets DJL's Criteria.optModelPath(<this directory>) load the latest checkpoint.",
            "engine=MXNet",
            "blockFactory=" + MaskRcnnBlockFactory.class.getName(),
            "translatorFactory=" + MaskRcnnTranslatorFactory.class.getName(),
            "option.hasParameter=false",
            "");
    Files.createDirectories(runDirectory);
    Files.writeString(runDirectory.resolve(SERVING_PROPERTIES), text);
  }

  /**
   * A {@code Criteria} builder for a run directory, checkpoints folder or checkpoint file, with
   * nothing required on disk but the checkpoint.
   *
   * @param location where the checkpoint is
   * @param output {@code DetectedObjects.class} or {@code SegmentedImage.class}
   * @param <O> the output type
   * @return the builder (add {@code optArgument}s, then {@code build()})
   * @throws IOException if there is no checkpoint there
   */
  public static <O> Criteria.Builder<Image, O> criteria(Path location, Class<O> output)
      throws IOException {
    Path checkpoint = TrainedMaskRcnn.resolveCheckpoint(location).toAbsolutePath();
    return Criteria.builder()
        .setTypes(Image.class, output)
        .optEngine("MXNet")
        .optModelPath(checkpoint.getParent())
        .optArgument("blockFactory", new MaskRcnnBlockFactory())
        .optArgument(MaskRcnnBlockFactory.CHECKPOINT_ARGUMENT, checkpoint.toString())
        .optOption("hasParameter", "false")
        .optTranslatorFactory(new MaskRcnnTranslatorFactory());
  }
}
