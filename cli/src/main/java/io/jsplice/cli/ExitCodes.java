package io.jsplice.cli;

import io.jsplice.cli.command.StaleCommand;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.restart.RestartVerdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The exit codes {@code jsplice --help} lists: 0, one per {@link FailureCause}, and the verdicts of
 * {@code verify} ({@link RestartVerdict}) and {@code stale}. Generated, so that a new cause is
 * listed as soon as it exists: {@link #meaning} must say what each means (the compiler checks that
 * every cause has a case).
 */
public final class ExitCodes {
  private ExitCodes() {}

  /** What a failure's exit code means, in a few words. */
  static String meaning(FailureCause cause) {
    return switch (cause) {
      case NOT_SIGNED -> "update not signed";
      case SIGNATURE_MISMATCH -> "signature does not match (tampered)";
      case UNTRUSTED_SIGNER -> "signed by an untrusted key";
      case CORRUPT_UPDATE -> "not a readable update file";
      case TARGET_NOT_FOUND -> "no such JVM";
      case AGENT_UNAVAILABLE -> "agent cannot be loaded or reached";
      case RUN_PRE_MISMATCH -> "run-pre mismatch: the running code is not what it was built for";
      case CODE_BUSY -> "code busy: a thread is inside code the update replaces";
      case UNSUPPORTED_CHANGE -> "change cannot be applied live";
      case VERIFY_ERROR -> "JVM verifier rejected the new code";
      case DEPENDENCY -> "a later update depends on it";
      case HOOK_FAILED -> "an update hook failed";
      case NOT_IN_EFFECT -> "update not in effect after the switch";
      case WRONG_STATE -> "already applied / not applied";
      case PARTLY_IN_FORCE ->
          "fix would be only partly in force; nothing changed (see --accept-partial)";
      case SERVER_UNREACHABLE -> "fleet server unreachable";
      case NOT_AUTHORIZED -> "not authorized by the fleet server";
      case SERVER_REFUSED -> "refused by the fleet server";
      case NOT_FOUND -> "no such host, update or group on the server";
      case BAD_REQUEST -> "bad arguments or request";
      case INTERNAL -> "internal error";
    };
  }

  /** Every code and its meaning, sorted by code. */
  static Map<Integer, String> all() {
    Map<Integer, String> codes = new TreeMap<>();
    codes.put(0, "success");
    for (FailureCause cause : FailureCause.values()) {
      codes.put(cause.exitCode(), meaning(cause));
    }
    for (RestartVerdict verdict : RestartVerdict.values()) {
      if (verdict.exitCode() != 0) {
        codes.put(verdict.exitCode(), "verify: " + verdict.line());
      }
    }
    codes.put(
        StaleCommand.STALE_EXIT_CODE,
        "stale: a JVM runs code other than its jars (without its agent: possibly)");
    return codes;
  }

  /** The help footer's lines: one per code. */
  static List<String> footer() {
    List<String> lines = new ArrayList<>();
    all().forEach((code, meaning) -> lines.add(String.format("  %-3d %s", code, meaning)));
    return lines;
  }
}
