/**
 * A self-contained long-tailed classification experiment that shows what TDE does: a small network
 * with a causal-norm head trained on generated long-tailed data, then evaluated on a balanced test
 * set with plain and TDE logits. Used by {@code ./lt tde-toy} and the training test.
 */
package io.longtail.core.toy;
