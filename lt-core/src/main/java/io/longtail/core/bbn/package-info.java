/**
 * BBN, the bilateral-branch network with cumulative learning (Zhou et al., "BBN: Bilateral-Branch
 * Network with Cumulative Learning for Long-Tailed Visual Recognition", CVPR 2020), for the
 * classification track: two branches over a shared trunk fed by a uniform and a reversed sampler,
 * mixed by the adaptor {@code alpha = 1 - (T / T_max)^2}.
 */
package io.longtail.core.bbn;
