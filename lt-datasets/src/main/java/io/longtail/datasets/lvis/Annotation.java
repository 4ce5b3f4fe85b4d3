package io.longtail.datasets.lvis;

import java.util.Arrays;
import java.util.Objects;

/**
 * An instance annotation of an LVIS or COCO file (an entry of {@code annotations}).
 *
 * <p>The box array is copied in and out, so the value is immutable; {@link #bboxX()}, {@link
 * #bboxY()}, {@link #bboxWidth()} and {@link #bboxHeight()} read without copying.
 *
 * @param id the annotation id ({@code id})
 * @param imageId the image ({@code image_id})
 * @param categoryId the dataset category id ({@code category_id}), mapped to a contiguous label by
 *     {@link CategoryIndex}
 * @param bbox {@code [x, y, w, h]} in pixels ({@code bbox}), finite, {@code w, h >= 0}
 * @param area the mask area in pixels ({@code area}), finite and {@code >= 0}
 * @param iscrowd COCO's crowd flag ({@code iscrowd}); always {@code false} for LVIS
 * @param segmentation the mask ({@code segmentation}); {@code null} when the file has none
 */
public record Annotation(
    long id,
    long imageId,
    int categoryId,
    double[] bbox,
    double area,
    boolean iscrowd,
    Segmentation segmentation) {

  /** Validates and copies the box. */
  public Annotation {
    bbox = Boxes.checkedCopy("bbox", bbox);
    if (!(area >= 0) || Double.isInfinite(area)) {
      throw new IllegalArgumentException("area must be finite and >= 0, got " + area);
    }
  }

  /** A copy of the box {@code [x, y, w, h]}. */
  @Override
  public double[] bbox() {
    return bbox.clone();
  }

  /** Left edge of the box. */
  public double bboxX() {
    return bbox[0];
  }

  /** Top edge of the box. */
  public double bboxY() {
    return bbox[1];
  }

  /** Box width. */
  public double bboxWidth() {
    return bbox[2];
  }

  /** Box height. */
  public double bboxHeight() {
    return bbox[3];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Annotation other
        && id == other.id
        && imageId == other.imageId
        && categoryId == other.categoryId
        && Arrays.equals(bbox, other.bbox)
        && Double.compare(area, other.area) == 0
        && iscrowd == other.iscrowd
        && Objects.equals(segmentation, other.segmentation);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        id, imageId, categoryId, Arrays.hashCode(bbox), area, iscrowd, segmentation);
  }

  @Override
  public String toString() {
    return "Annotation[id="
        + id
        + ", imageId="
        + imageId
        + ", categoryId="
        + categoryId
        + ", bbox="
        + Arrays.toString(bbox)
        + ", area="
        + area
        + ", iscrowd="
        + iscrowd
        + ", segmentation="
        + (segmentation == null ? "null" : segmentation.getClass().getSimpleName())
        + "]";
  }
}
