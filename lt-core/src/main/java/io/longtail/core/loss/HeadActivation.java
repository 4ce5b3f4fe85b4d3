package io.longtail.core.loss;

/**
 * How a classifier head turns logits into scores, which decides the losses it can be trained with.
 */
public enum HeadActivation {
  /**
   * One softmax over all columns; detection heads have {@code K + 1} columns with background last
   * (Seesaw's objectness variant has {@code K + 2}).
   */
  SOFTMAX,
  /**
   * An independent sigmoid per column; detection heads have {@code K} columns and background is an
   * all-negative row (label {@code K}).
   */
  SIGMOID
}
