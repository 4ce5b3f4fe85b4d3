/**
 * Classifier heads that map features {@code (N, D)} to class scores {@code (N, C)}.
 *
 * <p>{@link io.longtail.core.classifier.CausalNormClassifier} is the De-confound-TDE classifier
 * (Tang et al., NeurIPS 2020): multi-head causal normalisation, a moving-average feature updated
 * from foreground rows in the training forward, total-direct-effect (TDE) logits and
 * background-exempted scores at test time. The maths lives in {@link
 * io.longtail.core.classifier.CausalNorm}; the blocks are thin shells around it. Baselines with the
 * same interface: {@link io.longtail.core.classifier.LinearClassifier} and {@link
 * io.longtail.core.classifier.CosineClassifier}. Second-stage classifiers over a trained one:
 * {@link io.longtail.core.classifier.TauNormClassifier} (post-hoc weight normalisation, Kang et
 * al., ICLR 2020) and {@link io.longtail.core.classifier.LwsClassifier} (learnable weight scaling).
 *
 * <p>Label convention (one for the whole code base): foreground classes are {@code 0..K-1},
 * background (detection only) is {@code K}, ignore is {@code -1}.
 */
package io.longtail.core.classifier;
