package io.longtail.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The build gives the test JVM an OpenMP thread count, so MXNet does not run single-threaded. */
class OmpThreadsTest {
  @Test
  void testJvmHasOmpNumThreads() {
    String threads = System.getenv("OMP_NUM_THREADS");
    System.out.println("OMP_NUM_THREADS=" + threads);
    assertThat(threads).as("OMP_NUM_THREADS").isNotNull().matches("[1-9][0-9]*");
    String policy = System.getenv("OMP_WAIT_POLICY");
    System.out.println("OMP_WAIT_POLICY=" + policy);
    assertThat(policy).as("OMP_WAIT_POLICY").isNotNull();
  }
}
