package io.longtail.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./lt}: dispatches to the subcommands. */
@Command(
    name = "lt",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Long-tailed detection and segmentation toolkit (De-confound-TDE at its core).",
    subcommands = {
      CommandLine.HelpCommand.class,
      TdeToyCommand.class,
      EvalCommand.class,
      SynthCommand.class,
      TrainCommand.class,
      PredictCommand.class,
      DemoCommand.class,
      FinetuneCommand.class,
    })
public final class LtCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /**
   * Runs the command line and exits with its status.
   *
   * @param args command-line arguments
   */
  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /** The configured picocli command line, also used by tests. */
  static CommandLine newCommandLine() {
    return new CommandLine(new LtCommand()).setCaseInsensitiveEnumValuesAllowed(true);
  }
}
