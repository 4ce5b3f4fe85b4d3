/**
 * The Faster R-CNN detector: backbone + FPN, RPN and the ROI box head wired together, with its
 * training losses and its inference in plain, TDE or background-exempted mode.
 */
package io.longtail.detection.model;
