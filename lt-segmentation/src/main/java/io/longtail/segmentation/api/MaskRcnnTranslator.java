package io.longtail.segmentation.api;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.output.BoundingBox;
import ai.djl.modality.cv.output.DetectedObjects;
import ai.djl.modality.cv.output.Mask;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import io.longtail.datasets.lvis.CategoryIndex;
import io.longtail.datasets.pipeline.DetectionBatch;
import io.longtail.datasets.pipeline.DetectionTransform;
import io.longtail.datasets.pipeline.ImageTargets;
import io.longtail.datasets.pipeline.PreparedImage;
import io.longtail.detection.backbone.Backbone;
import io.longtail.detection.config.CategoryRef;
import io.longtail.detection.engine.BatchFeeder;
import io.longtail.segmentation.config.MaskRcnnConfig;
import io.longtail.segmentation.masks.MaskPaste;
import io.longtail.segmentation.masks.PastedMask;
import io.longtail.segmentation.model.InferenceOptions;
import io.longtail.segmentation.model.MaskRcnn;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * DJL translator of a {@link MaskRcnn} block: {@code Image -> SegmentedImage} (and, through {@link
 * #toDetectedObjects()}, {@code Image -> DetectedObjects}).
 *
 * <p>{@code processInput} resizes and normalises the image as the model was trained and builds the
 * block's three inputs (image, image info, options, see {@link MaskRcnn#forward}); {@code
 * processOutput} pastes each mask into the original image, thresholds it at {@code mask.threshold},
 * encodes it as RLE and names the category.
 */
public final class MaskRcnnTranslator implements NoBatchifyTranslator<Image, SegmentedImage> {

  private static final String HEIGHT = "lt.height";
  private static final String WIDTH = "lt.width";

  private final MaskRcnnConfig config;
  private final List<CategoryRef> categories;
  private final DetectionTransform transform;
  private final CategoryIndex index;
  private final InferenceOptions options;
  private final int maskSize;
  private final float threshold;

  /**
   * A translator for a model.
   *
   * @param model the block (its config gives sizes, categories and defaults)
   * @param options mode, alpha, threshold, cap
   */
  public MaskRcnnTranslator(MaskRcnn model, PredictOptions options) {
    this.config = model.config();
    this.categories = config.categories();
    if (categories.isEmpty()) {
      throw new IllegalArgumentException("the model's config has no categories (not trained)");
    }
    this.transform =
        DetectionTransform.builder()
            .optMinSize(config.detector().input().minSizeTest())
            .optMaxSize(config.detector().input().maxSize())
            .optFlipProbability(0)
            .build();
    List<Integer> ids = new ArrayList<>();
    for (CategoryRef c : categories) {
      ids.add(c.id());
    }
    this.index = CategoryIndex.of(ids);
    this.options = options.resolve(config);
    this.maskSize = config.mask().maskSize();
    this.threshold = config.mask().threshold();
  }

  @Override
  @SuppressWarnings("try") // the scope frees the Mats made inside
  public NDList processInput(TranslatorContext ctx, Image input) {
    NDManager m = ctx.getNDManager();
    PreparedImage prepared;
    try (PointerScope scope = new PointerScope()) {
      Mat rgb = ImageInputs.rgb(input, m);
      ctx.setAttachment(HEIGHT, rgb.rows());
      ctx.setAttachment(WIDTH, rgb.cols());
      prepared = ImageInputs.prepare(rgb, transform, index);
    }
    // The batch's sub-manager closes with the context's manager, after the forward pass.
    DetectionBatch batch = BatchFeeder.toBatch(List.of(prepared), m, Backbone.SIZE_DIVISIBILITY);
    ImageTargets t = prepared.targets();
    return new NDList(
        batch.images(),
        m.create(
            new float[] {t.height(), t.width(), (float) t.scaleX(), (float) t.scaleY()},
            new Shape(1, 4)),
        options.toArray(m));
  }

  @Override
  public SegmentedImage processOutput(TranslatorContext ctx, NDList list) {
    int height = (Integer) ctx.getAttachment(HEIGHT);
    int width = (Integer) ctx.getAttachment(WIDTH);
    float[] boxes = list.get(0).toFloatArray();
    float[] scores = list.get(1).toFloatArray();
    int[] classes = list.get(2).toIntArray();
    float[] masks = list.get(4).toFloatArray();
    int mm = maskSize * maskSize;
    List<SegmentedInstance> out = new ArrayList<>(scores.length);
    for (int j = 0; j < scores.length; j++) {
      float[] box = {boxes[4 * j], boxes[4 * j + 1], boxes[4 * j + 2], boxes[4 * j + 3]};
      float[] mask = new float[mm];
      System.arraycopy(masks, j * mm, mask, 0, mm);
      PastedMask pasted = MaskPaste.paste(mask, maskSize, box, height, width);
      CategoryRef c = categories.get(classes[j]);
      out.add(new SegmentedInstance(c.id(), c.name(), scores[j], box, pasted.toRle(threshold)));
    }
    return new SegmentedImage(height, width, out);
  }

  /**
   * The same translation with DJL's detection output: each object is a {@link Mask} whose rectangle
   * is the box in image-relative coordinates ({@code [0, 1]}, DJL's convention) and whose
   * probabilities cover the pixels the box touches (rows {@code floor(y1) .. ceil(y2) - 1}, columns
   * likewise); {@code >= mask.threshold} (0.5) gives the binary mask. The class name is the
   * category name.
   *
   * @return the translator
   */
  public NoBatchifyTranslator<Image, DetectedObjects> toDetectedObjects() {
    MaskRcnnTranslator self = this;
    return new NoBatchifyTranslator<>() {
      @Override
      public NDList processInput(TranslatorContext ctx, Image input) {
        return self.processInput(ctx, input);
      }

      @Override
      public DetectedObjects processOutput(TranslatorContext ctx, NDList list) {
        return self.detectedObjects(ctx, list);
      }
    };
  }

  private DetectedObjects detectedObjects(TranslatorContext ctx, NDList list) {
    int height = (Integer) ctx.getAttachment(HEIGHT);
    int width = (Integer) ctx.getAttachment(WIDTH);
    float[] boxes = list.get(0).toFloatArray();
    float[] scores = list.get(1).toFloatArray();
    int[] classes = list.get(2).toIntArray();
    float[] masks = list.get(4).toFloatArray();
    int mm = maskSize * maskSize;
    List<String> names = new ArrayList<>();
    List<Double> probabilities = new ArrayList<>();
    List<BoundingBox> shapes = new ArrayList<>();
    for (int j = 0; j < scores.length; j++) {
      float[] box = {boxes[4 * j], boxes[4 * j + 1], boxes[4 * j + 2], boxes[4 * j + 3]};
      float[] mask = new float[mm];
      System.arraycopy(masks, j * mm, mask, 0, mm);
      PastedMask pasted = MaskPaste.paste(mask, maskSize, box, height, width);
      int x0 = Math.max(0, (int) Math.floor(box[0]));
      int y0 = Math.max(0, (int) Math.floor(box[1]));
      int x1 = Math.min(width, Math.max(x0 + 1, (int) Math.ceil(box[2])));
      int y1 = Math.min(height, Math.max(y0 + 1, (int) Math.ceil(box[3])));
      float[][] dist = new float[Math.max(0, y1 - y0)][Math.max(0, x1 - x0)];
      for (int y = y0; y < y1; y++) {
        for (int x = x0; x < x1; x++) {
          dist[y - y0][x - x0] = pasted.probability(x, y);
        }
      }
      names.add(categories.get(classes[j]).name());
      probabilities.add((double) scores[j]);
      shapes.add(
          new Mask(
              box[0] / width,
              box[1] / height,
              (box[2] - box[0]) / width,
              (box[3] - box[1]) / height,
              dist));
    }
    return new DetectedObjects(names, probabilities, shapes);
  }
}
