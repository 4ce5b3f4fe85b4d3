/**
 * Reports of trained detectors: the comparison table in the layout of Table 4 of De-confound-TDE
 * (Tang et al., NeurIPS 2020), per-category AP against training-image count (XChart), predictions
 * drawn on images (OpenCV), inference under several modes from one backbone pass, and the HTML page
 * that ties them together ({@code ./lt demo}).
 */
package io.longtail.detection.report;
