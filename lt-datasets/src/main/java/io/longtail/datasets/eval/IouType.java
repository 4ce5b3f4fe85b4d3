package io.longtail.datasets.eval;

/** What a detection is compared with: its box or its mask ({@code iou_type} of lvis-api). */
public enum IouType {
  /** Box IoU on {@code [x, y, w, h]} boxes. */
  BBOX("bbox"),
  /** Mask IoU on run-length masks; ground-truth polygons are rasterised at the image size. */
  SEGM("segm");

  private final String key;

  IouType(String key) {
    this.key = key;
  }

  /** The lvis-api name: {@code "bbox"} or {@code "segm"}. */
  public String key() {
    return key;
  }

  /**
   * The type of an lvis-api name.
   *
   * @param key {@code "bbox"} or {@code "segm"}
   * @throws IllegalArgumentException for any other name
   */
  public static IouType fromKey(String key) {
    for (IouType t : values()) {
      if (t.key.equals(key)) {
        return t;
      }
    }
    throw new IllegalArgumentException("iouType must be bbox or segm, got " + key);
  }
}
