package io.jsplice.protocol.message;

import java.util.List;

/**
 * The service's record as the agent sees it: what a restart applies again.
 *
 * @param name the service; null when the agent has none (then only {@code note} says more)
 * @param startedWithAgent whether the JVM started with {@code -javaagent}, so that a restart with
 *     the same command line reapplies the record
 * @param note why nothing is recorded; null when there is a service
 * @param recordFile may be null
 * @param problem why the record cannot be read; null if it can
 * @param recorded the recorded updates, oldest first
 * @param reappliedAtStart what became of each recorded update when the JVM started
 * @param reapplying whether the reapplication at start is still running
 */
public record ServiceState(
    String name,
    boolean startedWithAgent,
    String note,
    String recordFile,
    String problem,
    List<Recorded> recorded,
    List<Outcome> reappliedAtStart,
    boolean reapplying) {

  /**
   * One recorded update; {@code inJvm} says whether this JVM runs it, {@code acceptedPartial}
   * whether the operator accepted at apply that it was only partly in force.
   */
  public record Recorded(
      String id,
      String appliedAt,
      String appliedBy,
      String file,
      String sha256,
      boolean inJvm,
      boolean acceptedPartial) {}

  /** A recorded update at start: reapplied, or why not. {@code problem} may be null. */
  public record Outcome(String id, boolean reapplied, String problem) {}
}
