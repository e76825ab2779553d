package io.jsplice.fleet.api;

import java.time.Instant;
import java.util.List;

/**
 * What an update's own analysis says of it (as {@code jsplice inspect} prints it), read from the
 * signed descriptor the server stores: whether it applies live, whether its fix is then fully in
 * force, and class by class what changes and how.
 *
 * @param updateId the update
 * @param description one line
 * @param created when it was built
 * @param verdict {@code LIVE}, {@code LIVE_NEEDS_HOOK} or {@code NOT_LIVE}
 * @param inForce {@code FULL} when applying it puts the whole fix in force; {@code PARTLY} when
 *     part of the fix lives in state built before the update that nothing the update carries
 *     reaches; {@code NONE} when it cannot be applied live
 * @param mechanisms how it is applied
 * @param notes sentences for an operator
 * @param hooks the hooks it carries
 * @param stateActions how many changes to existing static state it carries
 * @param classes class by class
 * @param leftOut the classes of the fixed release the update leaves out (a live subset; dotted
 *     names): a JVM keeps their old code until it restarts on the fixed release, and daemons apply
 *     the update only where an admin accepted that; empty for a whole release
 */
public record UpdateAnalysis(
    String updateId,
    String description,
    Instant created,
    String verdict,
    String inForce,
    List<String> mechanisms,
    List<String> notes,
    List<String> hooks,
    int stateActions,
    List<ClassAnalysis> classes,
    List<String> leftOut) {

  public UpdateAnalysis {
    mechanisms = Lists.copy(mechanisms);
    notes = Lists.copy(notes);
    hooks = Lists.copy(hooks);
    classes = Lists.copy(classes);
    leftOut = Lists.copy(leftOut);
  }
}
