/**
 * Value types of detection: boxes as {@code float[]} in {@code (x1, y1, x2, y2)} pixel coordinates
 * with their pure-Java geometry, and per-image detections.
 */
package io.longtail.detection.structures;
