package io.longtail.datasets.synth;

/** Names of the independent random streams derived from the master seed. */
final class Streams {
  static final long CATALOG = 1;
  static final long TRAIN_ASSIGNMENT = 2;
  static final long VAL_ASSIGNMENT = 3;
  static final long IMAGES = 4;
  static final long SAMPLE_GRID = 5;

  private Streams() {}
}
