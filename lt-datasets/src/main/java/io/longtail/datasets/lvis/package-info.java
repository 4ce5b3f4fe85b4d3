/**
 * LVIS (v0.5, v1) and COCO instance annotations: the immutable model ({@link
 * io.longtail.datasets.lvis.LvisDataset}, {@link io.longtail.datasets.lvis.Category}, {@link
 * io.longtail.datasets.lvis.ImageInfo}, {@link io.longtail.datasets.lvis.Annotation}, {@link
 * io.longtail.datasets.lvis.Segmentation}), the streaming reader {@link
 * io.longtail.datasets.lvis.LvisReader}, the {@link io.longtail.datasets.lvis.CategoryIndex} that
 * maps dataset category ids to the contiguous labels of the code base, and the COCO/LVIS results
 * format ({@link io.longtail.datasets.lvis.Detection}, {@link
 * io.longtail.datasets.lvis.ResultsWriter}, {@link io.longtail.datasets.lvis.ResultsReader}).
 */
package io.longtail.datasets.lvis;
