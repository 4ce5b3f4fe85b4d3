package io.longtail.segmentation.api;

import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import io.longtail.segmentation.engine.TrainedMaskRcnn;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * DJL {@link BlockFactory} that restores a trained Mask R-CNN, parameters included, into the DJL
 * {@code Model}'s manager. DJL's model loader calls it for a model directory whose {@code
 * serving.properties} names it ({@link DjlModelFiles}).
 *
 * <p>Arguments: {@code checkpoint} (optional), a checkpoint file or folder, relative to the model
 * directory or absolute; without it the model directory itself (a run directory, whose latest
 * checkpoint is taken).
 */
public final class MaskRcnnBlockFactory implements BlockFactory {

  private static final long serialVersionUID = 1L;

  /** The argument naming the checkpoint. */
  public static final String CHECKPOINT_ARGUMENT = "checkpoint";

  /** A factory (DJL instantiates it by class name). */
  public MaskRcnnBlockFactory() {}

  @Override
  public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments) throws IOException {
    Object checkpoint = arguments.get(CHECKPOINT_ARGUMENT);
    Path location = checkpoint == null ? modelPath : modelPath.resolve(checkpoint.toString());
    return TrainedMaskRcnn.load(location, model.getNDManager()).model();
  }
}
