package io.longtail.datasets.mask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * pycocotools on the LVIS v0.5 val fixture ({@code masks/lvis-v0.5-val-100-rle.json}, made from
 * {@code masks/lvis-v0.5-val-100.json}): every annotation's merged polygon mask must give the same
 * compressed RLE string, area and box, and 200 annotation pairs the same IoU.
 */
class LvisMaskGoldenTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Annotation id to its mask rasterised by us. */
  private static final Map<Long, Rle> MASKS = new HashMap<>();

  private static JsonNode golden;

  @BeforeAll
  static void rasteriseFixture() throws IOException {
    JsonNode fixture = read("masks/lvis-v0.5-val-100.json");
    golden = read("masks/lvis-v0.5-val-100-rle.json");
    Map<Long, int[]> imageSize = new HashMap<>();
    for (JsonNode image : fixture.get("images")) {
      imageSize.put(
          image.get("id").asLong(),
          new int[] {image.get("height").asInt(), image.get("width").asInt()});
    }
    for (JsonNode ann : fixture.get("annotations")) {
      int[] hw = imageSize.get(ann.get("image_id").asLong());
      JsonNode segm = ann.get("segmentation");
      double[][] parts = new double[segm.size()][];
      for (int p = 0; p < parts.length; p++) {
        JsonNode poly = segm.get(p);
        parts[p] = new double[poly.size()];
        for (int i = 0; i < parts[p].length; i++) {
          parts[p][i] = poly.get(i).doubleValue();
        }
      }
      MASKS.put(ann.get("id").asLong(), Masks.fromPolygons(parts, hw[0], hw[1]));
    }
  }

  @Test
  void everyAnnotationRasterisesToPycocotoolsRleAreaAndBox() {
    JsonNode annotations = golden.get("annotations");
    assertThat(annotations.size()).isEqualTo(MASKS.size()).isEqualTo(977);
    List<String> mismatches = new ArrayList<>();
    for (JsonNode expected : annotations) {
      long id = expected.get("annotationId").asLong();
      Rle rle = MASKS.get(id);
      double[] box = new double[4];
      for (int i = 0; i < 4; i++) {
        box[i] = expected.get("bbox").get(i).doubleValue();
      }
      boolean same =
          rle.height() == expected.get("height").asInt()
              && rle.width() == expected.get("width").asInt()
              && rle.toCompressedString().equals(expected.get("counts").asText())
              && rle.area() == expected.get("area").asInt()
              && Arrays.equals(rle.bbox(), box);
      if (!same) {
        mismatches.add(
            "annotation "
                + id
                + ": expected "
                + expected
                + ", got "
                + rle.toCompressedString()
                + " area "
                + rle.area()
                + " bbox "
                + Arrays.toString(rle.bbox()));
      }
    }
    assertThat(mismatches).isEmpty();
  }

  @Test
  void goldenStringsDecodeToTheSameMasksAndReencodeUnchanged() {
    for (JsonNode expected : golden.get("annotations")) {
      String counts = expected.get("counts").asText();
      Rle decoded =
          Rle.fromString(counts, expected.get("height").asInt(), expected.get("width").asInt());
      assertThat(decoded.toCompressedString()).isEqualTo(counts);
      assertThat(decoded).isEqualTo(MASKS.get(expected.get("annotationId").asLong()));
    }
  }

  @Test
  void iouOfTwoHundredPairsMatchesPycocotools() {
    JsonNode pairs = golden.get("iouPairs");
    assertThat(pairs.size()).isEqualTo(200);
    int positive = 0;
    for (JsonNode pair : pairs) {
      Rle a = MASKS.get(pair.get("a").asLong());
      Rle b = MASKS.get(pair.get("b").asLong());
      boolean crowd = pair.get("bIsCrowd").asBoolean();
      double expected = pair.get("iou").doubleValue();
      double[][] iou = MaskIou.iou(List.of(a), List.of(b), new boolean[] {crowd});
      assertThat(iou[0][0])
          .as("iou of %s and %s", pair.get("a"), pair.get("b"))
          .isCloseTo(expected, within(1e-12));
      if (expected > 0) {
        positive++;
      }
    }
    assertThat(positive).as("pairs with a positive IoU").isGreaterThan(10);
  }

  private static JsonNode read(String resource) throws IOException {
    try (InputStream in = LvisMaskGoldenTest.class.getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return JSON.readTree(in);
    }
  }
}
