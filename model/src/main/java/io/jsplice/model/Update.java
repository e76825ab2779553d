package io.jsplice.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A live update: everything jsplice knows about one fix except the class bytes, which travel beside
 * it in the {@link UpdatePackage}.
 *
 * <p>Updates are cumulative against the code on disk: every class's pre fingerprint is that of the
 * release the JVM loaded, or the post fingerprint of an update listed in {@link #requires()}.
 *
 * @param id unique, short, used on the command line ({@code jsplice undo PID ID})
 * @param description one line for an operator
 * @param cves the CVE ids this update fixes; may be empty
 * @param artifacts the libraries it targets
 * @param created when it was built
 * @param requires ids of updates that must be applied before this one
 * @param classes one entry per class the update touches, in class-name order
 * @param stateActions what the agent does to existing static state after the switch, in order
 * @param instanceActions what the agent does to existing objects after the state actions, in order
 * @param hooks binary names of the update's hook classes ({@code io.jsplice.bootstrap.UpdateHook}
 *     implementations under {@link UpdatePackage#HOOK}), run around apply and undo
 * @param applicability the update as a whole
 * @param tripwires where its code records the exploit attempts it rejects; may be empty
 */
public record Update(
    String id,
    String description,
    List<String> cves,
    List<Artifact> artifacts,
    Instant created,
    List<String> requires,
    List<ClassUpdate> classes,
    List<StateAction> stateActions,
    List<InstanceAction> instanceActions,
    List<String> hooks,
    Applicability applicability,
    List<Tripwire> tripwires) {

  public Update {
    UpdateIds.check(id);
    description = description == null ? "" : description;
    cves = List.copyOf(cves);
    artifacts = List.copyOf(artifacts);
    Objects.requireNonNull(created, "created");
    requires = List.copyOf(requires);
    classes = List.copyOf(classes);
    stateActions = List.copyOf(stateActions);
    instanceActions = List.copyOf(instanceActions);
    hooks = List.copyOf(hooks);
    Objects.requireNonNull(applicability, "applicability");
    tripwires = List.copyOf(tripwires);
  }

  /**
   * Whether, once applied, the fix may not be in force for state the program built before: the
   * update's analysis found such state ({@link Applicability#stale()}) and no hook answers for it.
   * Hooks the operator gave answer for all of it (the update then lists none); hooks jsplice
   * generates for a mechanism (a deserialization filter) answer for none of it. An update built
   * before the typed list existed is partly in force when it needs a hook and carries none. The
   * agent applies a partly-in-force update only when the operator accepts that.
   */
  public boolean partlyInForce() {
    return applicability.verdict() == Verdict.LIVE_NEEDS_HOOK
        && (hooks.isEmpty() || !applicability.stale().isEmpty());
  }

  /**
   * What may keep the old behaviour, one line each, when {@link #partlyInForce()}; empty otherwise.
   * Updates built before the typed list existed name it in their notes.
   */
  public List<String> notInForce() {
    if (!partlyInForce()) {
      return List.of();
    }
    if (!applicability.stale().isEmpty()) {
      return applicability.stale().stream().map(StaleState::describe).toList();
    }
    return applicability.notes();
  }

  /**
   * How a note of {@link Applicability#notes()} names a class of the fixed release the update
   * leaves out (a live subset): the class's dotted name follows, then why in parentheses.
   */
  public static final String LEFT_OUT =
      "left out, in force only after a restart on the fixed release: ";

  /**
   * The classes of the fixed release this update leaves out (dotted names, as {@code create
   * --live-subset} or {@code --in-force-subset} found them): the running JVM keeps their old code
   * until it restarts on the fixed release; empty for a whole release.
   */
  public List<String> leftOut() {
    // A loop, as in firstLoad(): an apply calls both, where each lambda's class is spun at its
    // first run.
    List<String> out = new ArrayList<>();
    for (String note : applicability.notes()) {
      if (note.startsWith(LEFT_OUT)) {
        out.add(leftOutClass(note));
      }
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * The class a {@link #LEFT_OUT} note names (its dotted name, without why); null when {@code note}
   * is not such a note.
   */
  public static String leftOutClass(String note) {
    if (!note.startsWith(LEFT_OUT)) {
      return null;
    }
    String rest = note.substring(LEFT_OUT.length());
    int why = rest.indexOf(" (");
    return why < 0 ? rest : rest.substring(0, why);
  }

  /**
   * The classes this update installs only as they first load ({@link Mechanism#FIRST_LOAD}), by
   * dotted name: a class loader that has loaded one already cannot take its change.
   */
  public List<String> firstLoad() {
    List<String> out = new ArrayList<>();
    for (ClassUpdate c : classes) {
      if (c.applicability().mechanisms().contains(Mechanism.FIRST_LOAD)) {
        out.add(c.name());
      }
    }
    return Collections.unmodifiableList(out);
  }

  public Optional<ClassUpdate> classUpdate(String name) {
    return classes.stream().filter(c -> c.name().equals(name)).findFirst();
  }
}
