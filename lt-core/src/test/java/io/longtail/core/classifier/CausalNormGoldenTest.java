package io.longtail.core.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden vectors from the original causal-norm implementation (PyTorch), in {@code
 * shared/golden/causal-norm}: logits, TDE logits, the moving feature after every training batch and
 * background-exempted scores must match to 1e-5 (absolute, or relative for values above 1).
 *
 * <p>The directory is the system property {@code lt.golden.causalNorm} (default: this module's test
 * resources), so new cases can be dropped in: {@code ./mvnw -pl lt-core test
 * -Dlt.golden.causalNorm=DIR}.
 */
class CausalNormGoldenTest {

  private static final double TOLERANCE = 1e-5;
  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<Path> goldenFiles() throws IOException, URISyntaxException {
    String dir = System.getProperty("lt.golden.causalNorm");
    Path root =
        dir != null && !dir.isBlank()
            ? Path.of(dir)
            : Path.of(CausalNormGoldenTest.class.getResource("/golden/causal-norm").toURI());
    List<Path> files;
    try (Stream<Path> s = Files.list(root)) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(files).as("golden files in %s", root).isNotEmpty();
    return files.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenFiles")
  void matchesReferenceImplementation(Path file) throws Exception {
    JsonNode g = JSON.readTree(file.toFile());
    String kind = g.get("kind").asText();
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray weight = matrix(manager, g.get("weight"));
      int numClasses = (int) weight.getShape().get(0);
      int featDim = g.get("featDim").asInt();
      CausalNormClassifier.Builder builder =
          CausalNormClassifier.builder()
              .setNumClasses(numClasses)
              .setFeatureDim(featDim)
              .optNumHeads(g.get("numHeads").asInt())
              .optTau((float) g.get("tau").asDouble())
              .optGamma((float) g.get("gamma").asDouble());
      if (g.has("mu")) {
        builder.optMu((float) g.get("mu").asDouble());
      }
      if (kind.equals("detection")) {
        builder.optBackgroundIndex(g.get("backgroundIndex").asInt());
      } else {
        assertThat(kind).isEqualTo("classification");
      }
      CausalNormClassifier classifier = builder.build();
      classifier.initialize(manager, DataType.FLOAT32, new Shape(1, featDim));
      weight.copyTo(classifier.weight());
      float alpha = (float) g.get("alpha").asDouble();
      JsonNode expected = g.get("expected");

      NDArray features;
      if (kind.equals("classification")) {
        matrix(manager, g.get("embedding")).reshape(featDim).copyTo(classifier.movingFeature());
        features = matrix(manager, g.get("features"));
      } else {
        ParameterStore ps = new ParameterStore(manager, false);
        JsonNode batches = g.get("trainingBatches");
        for (int b = 0; b < batches.size(); b++) {
          JsonNode batch = batches.get(b);
          NDArray x = matrix(manager, batch.get("features"));
          NDArray labels = manager.create(ints(batch.get("labels")));
          classifier.forward(ps, new NDList(x), new NDList(labels), null).close();
          assertClose(
              "moving feature after batch " + b + " of " + file.getFileName(),
              classifier.movingFeature().toFloatArray(),
              matrix(manager, g.get("embeddingAfterEachBatch").get(b)).toFloatArray());
        }
        features = matrix(manager, g.get("evalFeatures"));
      }

      assertClose(
          "logits of " + file.getFileName(),
          classifier.logits(features).toFloatArray(),
          matrix(manager, expected.get("logits")).toFloatArray());
      assertClose(
          "TDE logits of " + file.getFileName(),
          classifier.tdeLogits(features, alpha).toFloatArray(),
          matrix(manager, expected.get("tdeLogits")).toFloatArray());
      if (expected.has("backgroundExemptedScores")) {
        assertClose(
            "background-exempted scores of " + file.getFileName(),
            classifier.backgroundExemptedScores(features, alpha).toFloatArray(),
            matrix(manager, expected.get("backgroundExemptedScores")).toFloatArray());
      }
    }
  }

  private static NDArray matrix(NDManager manager, JsonNode m) {
    JsonNode shapeNode = m.get("shape");
    long[] shape = new long[shapeNode.size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = shapeNode.get(i).asLong();
    }
    JsonNode data = m.get("data");
    float[] values = new float[data.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) data.get(i).asDouble();
    }
    return manager.create(values, new Shape(shape));
  }

  private static int[] ints(JsonNode array) {
    int[] values = new int[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).asInt();
    }
    return values;
  }

  private static void assertClose(String what, float[] actual, float[] expected) {
    assertThat(actual).as(what + " (length)").hasSameSizeAs(expected);
    for (int i = 0; i < expected.length; i++) {
      double tolerance = TOLERANCE * Math.max(1.0, Math.abs(expected[i]));
      assertThat((double) actual[i])
          .as("%s [%d]", what, i)
          .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(tolerance));
    }
  }
}
