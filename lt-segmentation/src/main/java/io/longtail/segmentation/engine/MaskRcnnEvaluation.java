package io.longtail.segmentation.engine;

import io.longtail.datasets.eval.IouType;
import io.longtail.datasets.eval.LvisEvalResult;
import io.longtail.datasets.eval.LvisEvaluator;
import io.longtail.datasets.lvis.Detection;
import io.longtail.datasets.lvis.LvisDataset;
import io.longtail.datasets.pipeline.DetectionDataset;
import io.longtail.segmentation.model.InferenceOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Runs a Mask R-CNN over an LVIS/COCO-format dataset and evaluates its results twice with the LVIS
 * evaluator: boxes ({@code bbox}) and masks ({@code segm}), from the same result list.
 */
public final class MaskRcnnEvaluation {
  private MaskRcnnEvaluation() {}

  /**
   * What an evaluation produced.
   *
   * @param bbox box AP/AR (the 13 lvis-api metrics and per-category AP)
   * @param segm mask AP/AR
   * @param results the results (LVIS format, box and mask in every entry), e.g. for {@code
   *     ResultsWriter}
   * @param images images run
   * @param inferenceSeconds wall time of inference with masks (decoding, model, paste, RLE), not
   *     evaluation
   */
  public record Result(
      LvisEvalResult bbox,
      LvisEvalResult segm,
      List<Detection> results,
      int images,
      double inferenceSeconds) {

    /** Copies the results. */
    public Result {
      results = List.copyOf(results);
    }

    /** Inference throughput with masks. */
    public double imagesPerSecond() {
      return inferenceSeconds > 0 ? images / inferenceSeconds : 0;
    }
  }

  /**
   * Evaluates a model on a dataset.
   *
   * @param model the model
   * @param groundTruth annotations of the evaluated images
   * @param imagesRoot where their files are
   * @param options mode, alpha, threshold (1e-4 for LVIS), cap (300)
   * @param batchSize images per forward pass
   * @param workers decoding threads (and evaluator threads)
   * @param onImages progress: images done so far
   * @return bbox and segm results
   */
  public static Result evaluate(
      TrainedMaskRcnn model,
      LvisDataset groundTruth,
      Path imagesRoot,
      InferenceOptions options,
      int batchSize,
      int workers,
      IntConsumer onImages) {
    DetectionDataset dataset =
        DetectionDataset.builder()
            .setAnnotations(groundTruth)
            .setImagesRoot(imagesRoot)
            .optTransform(model.testTransform())
            .setSampling(1, false)
            .build();
    long t0 = System.nanoTime();
    List<Detection> results = model.detectAll(dataset, options, batchSize, workers, onImages);
    double seconds = (System.nanoTime() - t0) / 1e9;
    return new Result(
        evaluate(groundTruth, results, IouType.BBOX, workers),
        evaluate(groundTruth, results, IouType.SEGM, workers),
        results,
        (int) dataset.size(),
        seconds);
  }

  /**
   * Evaluates existing results.
   *
   * @param groundTruth the annotations
   * @param results LVIS results (with masks for {@code segm})
   * @param iouType box or mask
   * @param parallelism evaluator threads
   * @return the evaluation
   */
  public static LvisEvalResult evaluate(
      LvisDataset groundTruth, List<Detection> results, IouType iouType, int parallelism) {
    return LvisEvaluator.builder()
        .setIouType(iouType)
        .optParallelism(Math.max(1, parallelism))
        .build()
        .evaluate(groundTruth, results);
  }
}
