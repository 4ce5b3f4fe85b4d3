/**
 * Second stages over a trained detector (Kang et al., "Decoupling Representation and Classifier for
 * Long-Tailed Recognition", ICLR 2020): tau-normalisation of the box classifier, learnable weight
 * scaling and classifier re-training with class-aware sampling, each writing a new checkpoint that
 * {@code TrainedDetector} loads.
 */
package io.longtail.detection.finetune;
