package io.jsplice.protocol.message;

import java.util.List;

/**
 * Exploit attempts blocked by patched code: each time a tripwire an update carries fired (the fixed
 * code rejected input that the vulnerable code would have accepted). The agent keeps the newest few
 * hundred and records at most a few each second; the rest are only counted.
 *
 * @param hits oldest first
 * @param next the {@code after} for the next request
 * @param suppressed how many were not recorded since the JVM started (over the rate, or dropped as
 *     the oldest of a full buffer)
 */
public record TripwiresReply(List<Hit> hits, long next, long suppressed) {

  /**
   * One exploit attempt blocked.
   *
   * @param seq increasing
   * @param at when, ISO-8601
   * @param updateId the update whose code fired
   * @param cve the CVE it fixes; may be null
   * @param site where: {@code class.method}
   * @param detail a short description of the rejected input, cut and with control characters
   *     replaced; may be empty
   * @param thread the application thread it fired on
   */
  public record Hit(
      long seq,
      String at,
      String updateId,
      String cve,
      String site,
      String detail,
      String thread) {}
}
