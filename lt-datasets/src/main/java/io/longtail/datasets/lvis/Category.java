package io.longtail.datasets.lvis;

import java.util.List;
import java.util.Objects;

/**
 * A category of an LVIS or COCO annotation file (an entry of {@code categories}).
 *
 * @param id the dataset category id ({@code id}; LVIS: 1..1230 or 1..1203, COCO: 1..90 with gaps)
 * @param name the category name ({@code name})
 * @param frequency the LVIS frequency group ({@code frequency}); {@code null} for COCO files
 * @param imageCount number of training images with the category ({@code image_count}); 0 when the
 *     file has none (COCO)
 * @param instanceCount number of training instances ({@code instance_count}); 0 when absent
 * @param synonyms the LVIS synonyms ({@code synonyms}); empty when absent
 */
public record Category(
    int id,
    String name,
    Frequency frequency,
    int imageCount,
    int instanceCount,
    List<String> synonyms) {

  /** Validates the counts and copies the synonyms. */
  public Category {
    Objects.requireNonNull(name, "name");
    if (imageCount < 0) {
      throw new IllegalArgumentException("imageCount must be >= 0, got " + imageCount);
    }
    if (instanceCount < 0) {
      throw new IllegalArgumentException("instanceCount must be >= 0, got " + instanceCount);
    }
    synonyms = List.copyOf(synonyms);
  }
}
