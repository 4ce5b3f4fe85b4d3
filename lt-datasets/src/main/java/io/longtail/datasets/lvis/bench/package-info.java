/**
 * Benchmarks of annotation reading: a generator of synthetic annotation files at LVIS v1 train
 * scale and a timed load reporting wall time and heap. Run them as commands ({@code
 * bench/load-annotations.sh}), not as unit tests.
 */
package io.longtail.datasets.lvis.bench;
