/**
 * Long-tail classification losses as DJL {@link ai.djl.training.loss.Loss}es, each following its
 * paper and reference code: softmax cross-entropy and sigmoid BCE baselines, focal loss,
 * class-balanced loss, logit adjustment, equalization loss (EQL), Seesaw loss,
 * distribution-balanced loss and the GML loss with its class-wise queue.
 *
 * <p>Each loss has a typed settings record implementing {@link io.longtail.core.loss.LossConfig}
 * (selected by {@link io.longtail.core.loss.LossKind} name in configs, with head-compatibility
 * checks), a pure static function with the maths, and a thin {@code Loss} shell. Inputs follow the
 * toolkit's label convention: foreground classes {@code 0..K-1}, background {@code K} (a class
 * column of softmax heads, an all-negative row of sigmoid heads), ignore {@code -1}. All maths is
 * out-of-place (usable inside an autograd recording) and runs in the logits' data type; the golden
 * tests run in float64 against the reference implementations.
 */
package io.longtail.core.loss;
