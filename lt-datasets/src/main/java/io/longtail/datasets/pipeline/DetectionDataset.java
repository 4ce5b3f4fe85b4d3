package io.longtail.datasets.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.util.Progress;
import io.longtail.datasets.lvis.CategoryIndex;
import io.longtail.datasets.lvis.ImageInfo;
import io.longtail.datasets.lvis.LvisDataset;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * A DJL {@link RandomAccessDataset} over an LVIS/COCO-format dataset: index {@code i} is the {@code
 * i}-th image of {@link LvisDataset#images()}, read with OpenCV from {@code imagesRoot / fileName}
 * (BGR converted to RGB) and transformed by a {@link DetectionTransform}.
 *
 * <p>{@link #prepare(long, boolean)} is the thread-safe, NDArray-free path the {@link
 * DetectionLoader} workers use; {@link #get} serves DJL's own loop with {@code data = [image (3, H,
 * W)]} and {@code labels = [boxes (N, 4) float32, classes (N) int32]} (no flip).
 *
 * <p>A missing or undecodable image throws a {@link BadImageException} naming the file, or, with
 * {@code optSkipBadImages(true)}, is skipped and counted in {@link #skippedImages()}.
 */
public final class DetectionDataset extends RandomAccessDataset {

  private final LvisDataset annotations;
  private final List<ImageInfo> images;
  private final Path imagesRoot;
  private final DetectionTransform transform;
  private final CategoryIndex categoryIndex;
  private final boolean skipBadImages;
  private final AtomicInteger skipped = new AtomicInteger();

  private DetectionDataset(Builder builder) {
    super(builder);
    this.annotations = builder.annotations;
    this.images = annotations.images();
    this.imagesRoot = builder.imagesRoot;
    this.transform = builder.transform;
    this.categoryIndex = annotations.categoryIndex();
    this.skipBadImages = builder.skipBadImages;
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The annotations. */
  public LvisDataset annotations() {
    return annotations;
  }

  /** The image of index {@code index}. */
  public ImageInfo image(long index) {
    return images.get(checkIndex(index));
  }

  /** The label mapping. */
  public CategoryIndex categoryIndex() {
    return categoryIndex;
  }

  /** The transform. */
  public DetectionTransform transform() {
    return transform;
  }

  /** The folder the file names are relative to. */
  public Path imagesRoot() {
    return imagesRoot;
  }

  /** Number of bad images skipped so far (with {@code optSkipBadImages(true)}). */
  public int skippedImages() {
    return skipped.get();
  }

  /**
   * Decodes and transforms image {@code index}. Thread-safe; creates no NDArray.
   *
   * @param index dataset index
   * @param flip whether to flip it horizontally
   * @return the prepared image, or {@code null} if it is bad and bad images are skipped
   * @throws BadImageException if the image is missing or corrupt and bad images are not skipped
   */
  @SuppressWarnings("try") // the PointerScope frees the native objects made inside
  public PreparedImage prepare(long index, boolean flip) throws BadImageException {
    ImageInfo info = images.get(checkIndex(index));
    Path file = imagesRoot.resolve(info.fileName());
    try (PointerScope scope = new PointerScope()) {
      Mat bgr;
      if (!Files.isRegularFile(file)) {
        return bad(file, "no such file");
      }
      bgr = opencv_imgcodecs.imread(file.toString(), opencv_imgcodecs.IMREAD_COLOR);
      if (bgr == null || bgr.empty()) {
        return bad(file, "OpenCV cannot decode it");
      }
      Mat rgb = new Mat();
      opencv_imgproc.cvtColor(bgr, rgb, opencv_imgproc.COLOR_BGR2RGB);
      return transform.apply(
          rgb,
          info.id(),
          info.fileName(),
          annotations.annotationsOfImage(info.id()),
          categoryIndex,
          flip);
    }
  }

  private PreparedImage bad(Path file, String detail) throws BadImageException {
    if (skipBadImages) {
      skipped.incrementAndGet();
      return null;
    }
    throw new BadImageException(file, detail);
  }

  /**
   * The record of image {@code index} for DJL's training loop (never flipped).
   *
   * @throws BadImageException if the image is bad (also when bad images are skipped: a record
   *     cannot be absent)
   */
  @Override
  public Record get(NDManager manager, long index) throws IOException {
    PreparedImage p = prepare(index, false);
    if (p == null) {
      Path file = imagesRoot.resolve(images.get((int) index).fileName());
      throw new BadImageException(file, "skipped as bad, and a DJL record cannot be absent");
    }
    ImageTargets t = p.targets();
    NDArray image =
        manager.create(FloatBuffer.wrap(p.pixels()), new Shape(3, t.height(), t.width()));
    NDArray boxes = manager.create(t.boxes(), new Shape(t.size(), 4));
    NDArray classes = manager.create(t.labels(), new Shape(t.size()));
    return new Record(new NDList(image), new NDList(boxes, classes));
  }

  @Override
  protected long availableSize() {
    return images.size();
  }

  @Override
  public void prepare(Progress progress) {
    // Annotations are read by the builder; images are decoded lazily.
  }

  private int checkIndex(long index) {
    if (index < 0 || index >= images.size()) {
      throw new IllegalArgumentException(
          "index must be in [0, " + images.size() + "), got " + index);
    }
    return (int) index;
  }

  /** Builds a {@link DetectionDataset}. */
  public static final class Builder extends RandomAccessDataset.BaseBuilder<Builder> {
    private LvisDataset annotations;
    private Path imagesRoot;
    private DetectionTransform transform = DetectionTransform.builder().build();
    private boolean skipBadImages;

    private Builder() {}

    @Override
    protected Builder self() {
      return this;
    }

    /** The annotations (required; must declare categories). */
    public Builder setAnnotations(LvisDataset annotations) {
      this.annotations = annotations;
      return this;
    }

    /** The folder that the images' file names are relative to (required). */
    public Builder setImagesRoot(Path imagesRoot) {
      this.imagesRoot = imagesRoot;
      return this;
    }

    /** The transform; default {@code DetectionTransform.builder().build()}. */
    public Builder optTransform(DetectionTransform transform) {
      this.transform = transform;
      return this;
    }

    /** Skip and count missing or corrupt images instead of failing; default {@code false}. */
    public Builder optSkipBadImages(boolean skipBadImages) {
      this.skipBadImages = skipBadImages;
      return this;
    }

    /** The dataset; DJL sampling defaults to sequential batches of 1 when not set. */
    public DetectionDataset build() {
      if (annotations == null) {
        throw new IllegalArgumentException("annotations must be set, got null");
      }
      if (annotations.categoryIndex() == null) {
        throw new IllegalArgumentException("annotations must declare categories, got none");
      }
      if (imagesRoot == null) {
        throw new IllegalArgumentException("imagesRoot must be set, got null");
      }
      if (transform == null) {
        throw new IllegalArgumentException("transform must not be null");
      }
      if (sampler == null) {
        setSampling(1, false);
      }
      return new DetectionDataset(this);
    }
  }
}
