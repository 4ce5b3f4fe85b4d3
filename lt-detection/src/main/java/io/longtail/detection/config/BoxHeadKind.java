package io.longtail.detection.config;

/** Feature extractor of the ROI box head (detectron2 names). */
public enum BoxHeadKind {
  /** Two fully connected layers ({@code FastRCNNConvFCHead} with 0 convs, 2 fcs). */
  SHARED_2FC,
  /** Four 3x3 convolutions then one fully connected layer. */
  SHARED_4CONV_1FC
}
