package io.jsplice.fleet.cli;

import picocli.CommandLine.Option;

/**
 * Which page of a numbered log to read: {@code --after N --limit M}, shared by the verbs that page
 * through the server's events and audit log.
 */
final class PageOptions {
  @Option(
      names = "--after",
      paramLabel = "N",
      defaultValue = "0",
      description = "Only those numbered after N (default: ${DEFAULT-VALUE}).")
  long after;

  @Option(
      names = "--limit",
      paramLabel = "M",
      defaultValue = "100",
      description = "At most M of them (default: ${DEFAULT-VALUE}).")
  int limit;
}
