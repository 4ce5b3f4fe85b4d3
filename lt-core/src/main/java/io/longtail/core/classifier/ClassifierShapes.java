package io.longtail.core.classifier;

import ai.djl.MalformedModelException;

/** Checks that saved classifier parameters fit the block they are loaded into. */
final class ClassifierShapes {
  private ClassifierShapes() {}

  static void check(String block, int numClasses, int featureDim, int savedClasses, int savedDim)
      throws MalformedModelException {
    if (savedClasses != numClasses || savedDim != featureDim) {
      throw new MalformedModelException(
          String.format(
              "saved classifier has C=%d, D=%d but %s was built", savedClasses, savedDim, block));
    }
  }
}
