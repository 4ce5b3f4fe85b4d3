package io.longtail.detection.train;

import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Writes one binary part of a checkpoint, e.g. {@code out -> block.saveParameters(out)} or {@code
 * optimizer::saveState}. The stream must not be closed by the writer.
 */
@FunctionalInterface
public interface BlobWriter {
  /**
   * Writes the part.
   *
   * @param out the stream into the checkpoint entry
   * @throws IOException if writing fails (the checkpoint is then abandoned)
   */
  void writeTo(DataOutputStream out) throws IOException;
}
