package io.longtail.detection.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.longtail.core.loss.LossKind;
import java.io.IOException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Reads {@code roiHeads.loss}: a mapping whose {@code kind} names the loss ({@link
 * LossKind#configName()}, case-insensitive) and whose other keys are that loss's settings, or just
 * the name ({@code loss: eql}) for its defaults. Unknown names list the accepted ones; {@code gml}
 * is rejected with the reason.
 */
final class LossConfigReader extends StdDeserializer<ClassificationLossConfig> {

  LossConfigReader() {
    super(ClassificationLossConfig.class);
  }

  @Override
  public ClassificationLossConfig deserialize(JsonParser parser, DeserializationContext context)
      throws IOException {
    JsonNode node = context.readTree(parser);
    ObjectNode settings;
    JsonNode kind;
    if (node.isTextual()) {
      kind = node;
      settings = context.getNodeFactory().objectNode();
    } else if (node.isObject()) {
      settings = ((ObjectNode) node).deepCopy();
      kind = settings.remove("kind");
    } else {
      throw new IllegalArgumentException(
          "roiHeads.loss must be a loss name or a mapping with its kind, e.g. {kind: seesaw, p:"
              + " 0.8}, got "
              + node);
    }
    if (kind == null || !kind.isTextual()) {
      throw new IllegalArgumentException(
          "roiHeads.loss.kind must name the loss (e.g. softmax, eql, seesaw), got " + kind);
    }
    return context.readTreeAsValue(settings, recordOf(parse(kind.asText())));
  }

  private static LossKind parse(String name) {
    try {
      return LossKind.fromConfigName(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "roiHeads.loss.kind must be one of "
              + Arrays.stream(LossKind.values())
                  .filter(LossKind::supportsDetection)
                  .map(LossKind::configName)
                  .collect(Collectors.joining(", "))
              + " (gml is for classification only), got "
              + name,
          e);
    }
  }

  static Class<? extends ClassificationLossConfig> recordOf(LossKind kind) {
    switch (kind) {
      case SOFTMAX_CE:
        return ClassificationLossConfig.Softmax.class;
      case SIGMOID_BCE:
        return ClassificationLossConfig.Bce.class;
      case FOCAL:
        return ClassificationLossConfig.Focal.class;
      case CLASS_BALANCED:
        return ClassificationLossConfig.ClassBalanced.class;
      case LOGIT_ADJUSTED:
        return ClassificationLossConfig.LogitAdjusted.class;
      case EQL:
        return ClassificationLossConfig.Eql.class;
      case SEESAW:
        return ClassificationLossConfig.Seesaw.class;
      case DISTRIBUTION_BALANCED:
        return ClassificationLossConfig.DistributionBalanced.class;
      default:
        throw new IllegalArgumentException(
            "loss "
                + kind.configName()
                + " needs teacher contrast features and a class-wise queue; it is available for"
                + " classification only, not for the detection box head");
    }
  }
}
