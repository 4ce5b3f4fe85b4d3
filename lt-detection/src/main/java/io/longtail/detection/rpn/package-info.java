/**
 * The region proposal network: the shared convolutional head ({@link
 * io.longtail.detection.rpn.RpnHead}, a block) and its losses and proposal selection ({@link
 * io.longtail.detection.rpn.Rpn}, pure functions over the head's outputs).
 */
package io.longtail.detection.rpn;
