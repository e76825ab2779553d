package io.jsplice.create.live;

import static io.jsplice.create.live.LivePlanner.dotted;
import static io.jsplice.create.live.LivePlanner.read;

import io.jsplice.create.live.StaticStatePlanner.ClassState;
import io.jsplice.create.live.StaticStatePlanner.Strategy;
import io.jsplice.model.Applicability;
import io.jsplice.model.Change;
import io.jsplice.model.ChangeKind;
import io.jsplice.model.ClassStatus;
import io.jsplice.model.ClassUpdate;
import io.jsplice.model.Mechanism;
import io.jsplice.model.Verdict;
import io.jsplice.model.fingerprint.ClassFingerprint;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.tree.ClassNode;

/**
 * Installs an unchanged class whose static state the update must recompute: a companion computes
 * the new values and the agent merges them into the objects the class holds. The class itself is
 * not redefined. When none of its state can be computed (only a hook can fix it), there is no class
 * to install, and the update as a whole says what needs a hook.
 */
final class StateOnlyInstaller {
  private final InstalledWorld world;
  private final String updateId;
  private final PostView post;
  private final Map<String, String> companions; // host -> companion
  private final CompanionInstaller companionInstaller;
  private final PlanOutput output;

  StateOnlyInstaller(
      InstalledWorld world,
      String updateId,
      PostView post,
      Map<String, String> companions,
      CompanionInstaller companionInstaller,
      PlanOutput output) {
    this.world = world;
    this.updateId = updateId;
    this.post = post;
    this.companions = companions;
    this.companionInstaller = companionInstaller;
    this.output = output;
  }

  void install(String name, ClassState state) {
    if (state.decisions().isEmpty()) {
      // Nothing to compute; what the planner noted (a field left to the work on objects) is said.
      if (!state.notes().isEmpty()) {
        output.addPlanNotes(state.notes(), Verdict.LIVE, List.of());
      }
      return;
    }
    Assessment assessment = new Assessment(Mechanism.NEW_CLASSES);
    boolean computed = state.decisions().stream().anyMatch(d -> d.strategy() != Strategy.HOOK);
    byte[] companionBytes = computed ? writeCompanion(name, state, assessment) : null;
    assessment.notes.addAll(state.notes());
    assessment.notes.add(
        0,
        dotted(name)
            + " does not change, but its static state was built by code the"
            + " update changes");
    Verdict verdict = verdict(state, assessment);
    if (companionBytes == null) {
      // Nothing jsplice can compute here; the update as a whole says what needs a hook.
      output.addPlanNotes(assessment.refusalsThenNotes(), verdict, assessment.stale);
      return;
    }
    // Its source is the unchanged class whose state it recomputes (no class of the diff).
    output.sources.put(dotted(companions.get(name)), name);
    output.classes.add(
        new ClassUpdate(
            dotted(companions.get(name)),
            ClassStatus.ADDED,
            null,
            ClassFingerprint.of(companionBytes),
            List.of(
                Change.ofClass(
                    ChangeKind.CLASS_ADDED,
                    "companion recomputing static state of " + dotted(name))),
            new Applicability(
                verdict,
                assessment.mechanisms,
                assessment.refusalsThenNotes(),
                verdict == Verdict.LIVE_NEEDS_HOOK ? assessment.stale : List.of())));
  }

  /** Writes the companion that recomputes the class's static state; returns its class file. */
  private byte[] writeCompanion(String name, ClassState state, Assessment assessment) {
    String companion = Companions.companionName(name, updateId);
    companions.put(name, companion);
    world.companion(companion, name);
    ClassNode node = read(post.bytes(name));
    return companionInstaller
        .write(
            name,
            companion,
            node,
            SchemaComparison.of(node, node),
            state,
            List.of(),
            List.of(),
            assessment)
        .bytes();
  }

  private static Verdict verdict(ClassState state, Assessment assessment) {
    if (!assessment.refusals.isEmpty()) {
      return Verdict.NOT_LIVE;
    }
    StaleStates.ofStaticState(state, assessment.stale);
    return assessment.stale.isEmpty() ? Verdict.LIVE : Verdict.LIVE_NEEDS_HOOK;
  }
}
