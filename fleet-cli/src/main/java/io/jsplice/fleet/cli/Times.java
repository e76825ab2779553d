package io.jsplice.fleet.cli;

import java.time.Duration;
import java.time.Instant;

/** Times as the fleet verbs show them: how long ago, for a person. */
final class Times {
  private Times() {}

  /** "never", "12 s ago", "5 min ago", "3 h ago", "2 d ago". */
  static String ago(Instant at, Instant now) {
    if (at == null) {
      return "never";
    }
    long seconds = Math.max(0, Duration.between(at, now).getSeconds());
    if (seconds < 120) {
      return seconds + " s ago";
    }
    if (seconds < 7200) {
      return seconds / 60 + " min ago";
    }
    if (seconds < 172800) {
      return seconds / 3600 + " h ago";
    }
    return seconds / 86400 + " d ago";
  }
}
