/**
 * Seeded image samplers for training on long-tailed data (random, repeat factor sampling,
 * class-aware) as DJL {@link ai.djl.training.dataset.Sampler.SubSampler}s, the long-tailed count
 * profiles and the CIFAR-LT subsampling recipe.
 */
package io.longtail.datasets.sampling;
