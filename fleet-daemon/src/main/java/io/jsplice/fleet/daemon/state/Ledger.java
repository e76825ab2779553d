package io.jsplice.fleet.daemon.state;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the daemon did with each update in each JVM run ({@code STATE/ledger.json}): the record that
 * keeps it from applying an update twice to one run of a JVM, from retrying a JVM that refused for
 * good, and from undoing an operator's {@code jsplice undo}. A restarted JVM has a new key and
 * starts with a clean slate.
 *
 * @param entries by JVM key, then by update id
 */
public record Ledger(Map<String, Map<String, Entry>> entries) {
  public static final String FILE = "ledger.json";

  /** What happened to one update in one JVM run. */
  public enum Outcome {
    /** The daemon applied it. */
    APPLIED,
    /** It was in force without the daemon (the agent reapplied it from its service's record). */
    FOUND,
    /** It was in force and no longer is: someone undid it. Not applied again to this run. */
    UNDONE,
    /** The JVM refused it for a reason that will not change in this run. Not tried again. */
    FAILED,
    /** The JVM could not take it yet (busy, agent unavailable); tried again at later polls. */
    RETRY,
    /** Its health gate failed after the daemon applied it, and the daemon undid it. Not again. */
    GATE_FAILED,
    /** Its rollout was rolled back and the daemon undid it; applied again if restarted. */
    ROLLED_BACK,
    /** An earlier run of this JVM died soon after it: not applied to this one by the daemon. */
    BLOCKED
  }

  /**
   * @param outcome what happened last
   * @param attempts how many times the daemon tried to apply it
   * @param at when
   * @param cause the failure's cause; null unless it failed
   */
  public record Entry(Outcome outcome, int attempts, Instant at, String cause) {}

  public Ledger {
    Map<String, Map<String, Entry>> copy = new LinkedHashMap<>();
    if (entries != null) {
      entries.forEach((k, v) -> copy.put(k, new LinkedHashMap<>(v)));
    }
    entries = copy;
  }

  public static Ledger empty() {
    return new Ledger(Map.of());
  }

  /** May return null. */
  public Entry get(String jvmKey, String updateId) {
    Map<String, Entry> jvm = entries.get(jvmKey);
    return jvm == null ? null : jvm.get(updateId);
  }

  public void put(String jvmKey, String updateId, Entry entry) {
    entries.computeIfAbsent(jvmKey, k -> new LinkedHashMap<>()).put(updateId, entry);
  }

  /** Forgets the JVM runs not in {@code live}: they exited. */
  public void retain(java.util.Set<String> live) {
    entries.keySet().retainAll(live);
  }
}
