/**
 * Mask R-CNN configuration: the detector's YAML ({@code io.longtail.detection.config}) plus a
 * {@code mask:} section for the mask head.
 */
package io.longtail.segmentation.config;
