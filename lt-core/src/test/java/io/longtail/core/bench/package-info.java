/** JMH benchmarks of lt-core (not tests: run with {@code bench/tde-benchmark.sh}). */
package io.longtail.core.bench;
