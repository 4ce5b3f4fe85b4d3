package io.longtail.cli;

import io.longtail.core.classifier.InferenceMode;
import io.longtail.detection.engine.DetectorTraining;
import io.longtail.detection.train.CheckpointStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;

/** Small pieces the detector commands share: option converters, error lines, checkpoints. */
final class CliSupport {

  private CliSupport() {}

  /**
   * Parses {@code --tde off|on|bg-exempt} into an inference mode: off = plain softmax, on = TDE
   * logits, bg-exempt = TDE with background-exempted inference.
   */
  static final class TdeConverter implements CommandLine.ITypeConverter<InferenceMode> {
    @Override
    public InferenceMode convert(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "off", "plain" -> InferenceMode.PLAIN;
        case "on", "tde" -> InferenceMode.TDE;
        case "bg-exempt", "background-exempt", "background_exempt" ->
            InferenceMode.BACKGROUND_EXEMPT;
        default ->
            throw new CommandLine.TypeConversionException(
                "expected off, on or bg-exempt, got '" + value + "'");
      };
    }
  }

  /** The progress bar of an inference pass over {@code images} images, on stderr. */
  static ProgressBar inferenceBar(long images, String taskName) {
    return new ProgressBarBuilder()
        .setTaskName(taskName)
        .setInitialMax(images)
        .setStyle(ProgressBarStyle.ASCII)
        .setUnit(" img", 1)
        .showSpeed()
        .setUpdateIntervalMillis(250)
        .build();
  }

  /** The {@code --tde} spelling of a mode. */
  static String tdeName(InferenceMode mode) {
    return switch (mode) {
      case PLAIN -> "off";
      case TDE -> "on";
      case BACKGROUND_EXEMPT -> "bg-exempt";
    };
  }

  /** The message of an exception on one line (its class name when it has none). */
  static String describe(Throwable e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      message = e.getClass().getSimpleName();
    }
    return message.replace('\n', ' ');
  }

  /**
   * Prints {@code lt <command>: error: <message>} (and the stack trace when verbose).
   *
   * @return the exit code to return, 1
   */
  static int fail(PrintWriter err, String command, Throwable e, boolean verbose) {
    err.println("lt " + command + ": error: " + describe(e));
    if (verbose) {
      e.printStackTrace(err);
    }
    err.flush();
    return 1;
  }

  /**
   * The checkpoint a {@code --checkpoint} argument names: a {@code .ckpt} file itself, or for a run
   * directory (or its {@code checkpoints} folder) the latest checkpoint in it.
   *
   * @throws IllegalArgumentException when nothing is there
   */
  static Path checkpoint(Path arg) throws IOException {
    if (Files.isRegularFile(arg)) {
      return arg;
    }
    if (Files.isDirectory(arg)) {
      Path dir =
          Files.isDirectory(arg.resolve(DetectorTraining.CHECKPOINTS))
              ? arg.resolve(DetectorTraining.CHECKPOINTS)
              : arg;
      Optional<Path> latest = new CheckpointStore(dir).latestFile();
      if (latest.isPresent()) {
        return latest.get();
      }
      throw new IllegalArgumentException("no checkpoint in " + arg);
    }
    throw new IllegalArgumentException("checkpoint not found: " + arg);
  }

  /**
   * A print stream that forwards whole lines to a writer (the library logs to print streams, the
   * commands write to picocli's writers so that tests capture them).
   */
  static PrintStream printStream(PrintWriter writer) {
    return new PrintStream(new LineForwarder(writer), true, StandardCharsets.UTF_8);
  }

  /** Buffers bytes and hands decoded text to the writer on every newline and flush. */
  private static final class LineForwarder extends OutputStream {
    private final PrintWriter writer;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    LineForwarder(PrintWriter writer) {
      this.writer = writer;
    }

    @Override
    public synchronized void write(int b) {
      buffer.write(b);
      if (b == '\n') {
        flush();
      }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      buffer.write(b, off, len);
      for (int i = off; i < off + len; i++) {
        if (b[i] == '\n') {
          flush();
          return;
        }
      }
    }

    @Override
    public synchronized void flush() {
      if (buffer.size() > 0) {
        writer.print(buffer.toString(StandardCharsets.UTF_8));
        buffer.reset();
      }
      writer.flush();
    }
  }
}
