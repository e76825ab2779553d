package io.jsplice.fleet.api;

import java.time.Instant;
import java.util.List;

/**
 * The reports the server stored for one host, newest first.
 *
 * @param reports their ids and times
 */
public record ReportList(List<Entry> reports) {
  public ReportList {
    reports = Lists.copy(reports);
  }

  /**
   * @param id the daemon's report id
   * @param receivedAt when the server stored it
   * @param jvms how many JVMs it listed
   */
  public record Entry(String id, Instant receivedAt, int jvms) {}
}
