package io.longtail.detection.roiheads;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import io.longtail.detection.modeling.BatchedNms;
import io.longtail.detection.modeling.BoxCoder;
import io.longtail.detection.structures.Boxes;
import io.longtail.detection.structures.FloatList;
import io.longtail.detection.structures.ImageDetections;
import io.longtail.detection.structures.IntList;

/**
 * Turns the box head's scores and deltas of one image into detections (detectron2 {@code
 * fast_rcnn_inference_single_image}): every (ROI, foreground class) pair scoring above the
 * threshold becomes a candidate with its class's decoded box, clipped to the image; class-aware
 * NMS; the best {@code maxDetections} are kept; boxes are mapped back to the original image.
 *
 * <p>The scores are whatever the classifier produced in the chosen mode (plain softmax, TDE, or
 * background-exempted; for sigmoid heads {@link #sigmoidScores}, for Seesaw's objectness head
 * {@code SeesawLoss.scores}): the background column {@code K} only matters through them.
 */
public final class FastRcnnInference {
  private FastRcnnInference() {}

  /**
   * Scores of a sigmoid head, as the EQL reference ({@code EQLFastRCNNOutputs.predict_probs}): an
   * independent sigmoid per foreground logit, and a background column of zeros (a ROI's score for a
   * class is its sigmoid alone; background is the absence of every class).
   *
   * @param logits {@code (R, K)} foreground logits
   * @return {@code (R, K + 1)} scores, background last, attached to the logits' manager
   */
  public static NDArray sigmoidScores(NDArray logits) {
    if (logits.getShape().dimension() != 2) {
      throw new IllegalArgumentException("logits must be (R, K), got " + logits.getShape());
    }
    NDManager parent = logits.getManager();
    try (NDManager scope = parent.newSubManager()) {
      NDArray p = Activation.sigmoid(logits);
      p.attach(scope);
      NDArray background = p.zerosLike().get(":, :1");
      NDArray out = p.concat(background, 1);
      out.attach(parent);
      return out;
    }
  }

  /**
   * Test-time settings.
   *
   * @param scoreThreshold minimum score of a candidate (1e-4 for LVIS)
   * @param nmsThreshold class-aware NMS IoU (0.5)
   * @param maxDetections detections per image (300 for LVIS)
   */
  public record Settings(float scoreThreshold, float nmsThreshold, int maxDetections) {}

  /**
   * The image's size before and after resizing.
   *
   * @param imageId dataset image id
   * @param height resized height
   * @param width resized width
   * @param scaleX resized width / original width
   * @param scaleY resized height / original height
   */
  public record ImageGeometry(long imageId, int height, int width, double scaleX, double scaleY) {}

  /**
   * Detections of one image.
   *
   * @param scores {@code R x (K + 1)} row-major class scores, background last
   * @param deltas {@code R x 4} (class-agnostic) or {@code R x 4K} row-major box deltas
   * @param proposals {@code R} proposal boxes in resized pixels
   * @param numForeground {@code K}
   * @param coder the ROI head's box coder
   * @param geometry the image's sizes
   * @param settings thresholds and cap
   * @return detections in original-image pixels
   */
  public static ImageDetections detect(
      float[] scores,
      float[] deltas,
      float[] proposals,
      int numForeground,
      BoxCoder coder,
      ImageGeometry geometry,
      Settings settings) {
    int r = Boxes.count(proposals);
    int k = numForeground;
    if (scores.length != r * (k + 1)) {
      throw new IllegalArgumentException(
          "scores must hold " + r + " x " + (k + 1) + " values, got " + scores.length);
    }
    boolean agnostic = deltas.length == 4 * r;
    if (!agnostic && deltas.length != 4 * r * k) {
      throw new IllegalArgumentException(
          "deltas must hold "
              + r
              + " x 4 or "
              + r
              + " x "
              + (4 * k)
              + " values, got "
              + deltas.length);
    }
    FloatList boxes = new FloatList();
    FloatList kept = new FloatList();
    IntList classes = new IntList();
    float[] agnosticBoxes = agnostic ? coder.decode(proposals, deltas) : null;
    if (agnostic) {
      Boxes.clip(agnosticBoxes, geometry.width(), geometry.height());
    }
    float[] one = new float[4];
    for (int i = 0; i < r; i++) {
      for (int c = 0; c < k; c++) {
        float s = scores[i * (k + 1) + c];
        if (!(s > settings.scoreThreshold())) {
          continue;
        }
        float[] box;
        if (agnostic) {
          box = Boxes.box(agnosticBoxes, i);
        } else {
          System.arraycopy(proposals, 4 * i, one, 0, 4);
          box = coder.decode(one, deltas, 4 * (i * k + c), 4);
          Boxes.clip(box, geometry.width(), geometry.height());
        }
        boxes.addAll(box);
        kept.add(s);
        classes.add(c);
      }
    }
    float[] b = boxes.toArray();
    float[] s = kept.toArray();
    int[] cls = classes.toArray();
    int[] keep = BatchedNms.apply(b, s, cls, settings.nmsThreshold(), settings.maxDetections());
    float[] outBoxes = Boxes.select(b, keep);
    float[] outScores = new float[keep.length];
    int[] outClasses = new int[keep.length];
    for (int j = 0; j < keep.length; j++) {
      outScores[j] = s[keep[j]];
      outClasses[j] = cls[keep[j]];
      outBoxes[4 * j] /= (float) geometry.scaleX();
      outBoxes[4 * j + 1] /= (float) geometry.scaleY();
      outBoxes[4 * j + 2] /= (float) geometry.scaleX();
      outBoxes[4 * j + 3] /= (float) geometry.scaleY();
    }
    return new ImageDetections(geometry.imageId(), outBoxes, outScores, outClasses);
  }
}
