package io.longtail.segmentation.api;

import ai.djl.Model;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.output.DetectedObjects;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorFactory;
import ai.djl.util.Pair;
import io.longtail.core.classifier.InferenceMode;
import io.longtail.segmentation.model.MaskRcnn;
import java.lang.reflect.Type;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * DJL {@link TranslatorFactory} for a Mask R-CNN model ({@link MaskRcnn} block): {@code Image ->
 * DetectedObjects} and {@code Image -> SegmentedImage}.
 *
 * <p>Arguments (all optional, numbers or strings): {@code mode} ({@code PLAIN}, {@code TDE}, {@code
 * BACKGROUND_EXEMPT}), {@code alpha}, {@code scoreThreshold} (default 0.5), {@code maxInstances}
 * (default 100); unset mode and alpha take the model's defaults ({@link PredictOptions}).
 */
public final class MaskRcnnTranslatorFactory implements TranslatorFactory {

  /** A factory (DJL instantiates it by class name). */
  public MaskRcnnTranslatorFactory() {}

  @Override
  public Set<Pair<Type, Type>> getSupportedTypes() {
    return Set.of(
        new Pair<>(Image.class, DetectedObjects.class),
        new Pair<>(Image.class, SegmentedImage.class));
  }

  @Override
  @SuppressWarnings("unchecked")
  public <I, O> Translator<I, O> newInstance(
      Class<I> input, Class<O> output, Model model, Map<String, ?> arguments)
      throws TranslateException {
    if (!isSupported(input, output)) {
      throw new IllegalArgumentException(
          "unsupported input/output types " + input.getName() + " -> " + output.getName());
    }
    if (!(model.getBlock() instanceof MaskRcnn block)) {
      throw new TranslateException(
          "the model's block is not a MaskRcnn (load it with MaskRcnnBlockFactory), got "
              + model.getBlock());
    }
    PredictOptions options = options(arguments);
    MaskRcnnTranslator translator = new MaskRcnnTranslator(block, options);
    if (output == DetectedObjects.class) {
      return (Translator<I, O>) translator.toDetectedObjects();
    }
    return (Translator<I, O>) translator;
  }

  /**
   * Reads the options from DJL arguments.
   *
   * @param arguments {@code mode}, {@code alpha}, {@code scoreThreshold}, {@code maxInstances}
   * @return the options
   * @throws IllegalArgumentException naming the argument when a value is invalid
   */
  public static PredictOptions options(Map<String, ?> arguments) {
    PredictOptions.Builder b = PredictOptions.builder();
    Object mode = arguments.get("mode");
    if (mode != null) {
      try {
        b.optMode(InferenceMode.valueOf(mode.toString().trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "argument mode must be PLAIN, TDE or BACKGROUND_EXEMPT, got " + mode, e);
      }
    }
    Object alpha = arguments.get("alpha");
    if (alpha != null) {
      b.optAlpha(number("alpha", alpha).floatValue());
    }
    Object threshold = arguments.get("scoreThreshold");
    if (threshold != null) {
      b.optScoreThreshold(number("scoreThreshold", threshold).floatValue());
    }
    Object max = arguments.get("maxInstances");
    if (max != null) {
      b.optMaxInstances(number("maxInstances", max).intValue());
    }
    return b.build();
  }

  private static Number number(String name, Object value) {
    if (value instanceof Number n) {
      return n;
    }
    try {
      return Double.parseDouble(value.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("argument " + name + " must be a number, got " + value, e);
    }
  }
}
