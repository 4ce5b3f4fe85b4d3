package io.longtail.core.toy;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.longtail.core.classifier.CausalNormClassifier;

/**
 * A two-layer perceptron with ReLU features followed by a causal-norm classifier. The training
 * forward hands the labels to the classifier so that it updates its moving feature.
 */
final class ToyNetwork extends AbstractBlock {

  private final SequentialBlock backbone;
  private final CausalNormClassifier head;

  ToyNetwork(ToyConfig config) {
    backbone =
        addChildBlock(
            "backbone",
            new SequentialBlock()
                .add(Linear.builder().setUnits(config.hiddenDim()).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(config.featureDim()).build())
                .add(Activation::relu));
    head =
        addChildBlock(
            "head",
            CausalNormClassifier.builder()
                .setNumClasses(config.numClasses())
                .setFeatureDim(config.featureDim())
                .optNumHeads(config.numHeads())
                .optMu(config.mu())
                .build());
  }

  CausalNormClassifier head() {
    return head;
  }

  /** Features {@code (N, D)} of a batch of inputs. */
  NDList features(ParameterStore ps, NDList inputs, boolean training) {
    return backbone.forward(ps, inputs, training);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return head.forward(ps, features(ps, inputs, training), training, params);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList data, NDList labels, PairList<String, Object> params) {
    return head.forward(ps, features(ps, data, true), labels, params);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    backbone.initialize(manager, dataType, inputShapes);
    head.initialize(manager, dataType, backbone.getOutputShapes(inputShapes));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), head.numClasses())};
  }
}
