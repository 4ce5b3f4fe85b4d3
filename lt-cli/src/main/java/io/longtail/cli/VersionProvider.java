package io.longtail.cli;

import picocli.CommandLine;

/** Reports the toolkit version from the jar manifest. */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = LtCommand.class.getPackage().getImplementationVersion();
    return new String[] {"lt " + (v == null ? "(development build)" : v)};
  }
}
