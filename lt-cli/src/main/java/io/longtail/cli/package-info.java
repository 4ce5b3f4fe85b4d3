/**
 * The {@code ./lt} command line: one picocli command with a subcommand per job. Each subcommand
 * parses its options and calls the library; no algorithm lives here.
 */
package io.longtail.cli;
