package io.jsplice.create.live;

import static io.jsplice.create.live.LivePlanner.dotted;
import static io.jsplice.create.live.LivePlanner.read;

import io.jsplice.create.diff.ClassSetDiff;
import io.jsplice.create.live.StaticStatePlanner.ClassState;
import io.jsplice.model.Applicability;
import io.jsplice.model.Change;
import io.jsplice.model.ChangeKind;
import io.jsplice.model.ClassStatus;
import io.jsplice.model.ClassUpdate;
import io.jsplice.model.Mechanism;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.Verdict;
import io.jsplice.model.fingerprint.ClassFingerprint;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.tree.ClassNode;

/**
 * Installs a loaded class that the release does not change but that must dispatch to overrides the
 * update adds to its subclasses ({@link HostDispatch}): it is redefined with its own code plus the
 * prologues, and its companion keeps its bodies for the overrides' {@code super} calls.
 */
final class DispatchHostInstaller {
  private final ClassSetDiff diff;
  private final InstalledWorld world;
  private final String updateId;
  private final Map<String, String> companions; // host -> companion
  private final CompanionInstaller companionInstaller;
  private final PlanOutput output;

  DispatchHostInstaller(
      ClassSetDiff diff,
      InstalledWorld world,
      String updateId,
      Map<String, String> companions,
      CompanionInstaller companionInstaller,
      PlanOutput output) {
    this.diff = diff;
    this.world = world;
    this.updateId = updateId;
    this.companions = companions;
    this.companionInstaller = companionInstaller;
    this.output = output;
  }

  void install(String host) {
    byte[] pre = diff.pre().bytes(host);
    ClassNode node = read(pre);
    Assessment assessment = new Assessment(Mechanism.REDEFINE);
    assessment.mechanisms.add(Mechanism.OVERRIDE_DISPATCH);
    world.dispatch.originals(host, HostPrologue.prepend(node, world));
    int before = world.refusals.size();
    byte[] installed = ClassWrites.install(node, world, updateId, true);
    assessment.refusals.addAll(world.refusals.subList(before, world.refusals.size()));
    output.files.put(UpdatePackage.INSTALL + UpdatePackage.classPath(host), installed);
    output.sources.put(dotted(host), host);
    String companion = companions.get(host);
    ClassState none = new ClassState(List.of(), List.of(), null, List.of());
    companionInstaller.install(
        host,
        companion,
        node,
        SchemaComparison.of(node, node),
        none,
        List.of(),
        List.of(),
        assessment);
    output.sources.put(dotted(companion), host);
    List<Change> changes = new ArrayList<>();
    for (String key : world.dispatch.of(host).keySet()) {
      changes.add(
          new Change(
              ChangeKind.METHOD_BODY_CHANGED,
              key,
              "dispatches to overrides the update adds to "
                  + world.dispatch.of(host).get(key).stream()
                      .map(e -> dotted(e.instanceOf() != null ? e.instanceOf() : e.kind()))
                      .toList()));
    }
    assessment.notes.add(
        0,
        dotted(host)
            + " does not change, but dispatches to overrides the update adds to its subclasses");
    Verdict verdict = assessment.refusals.isEmpty() ? Verdict.LIVE : Verdict.NOT_LIVE;
    output.classes.add(
        new ClassUpdate(
            dotted(host),
            ClassStatus.MODIFIED,
            ClassFingerprint.of(pre),
            ClassFingerprint.of(pre),
            changes,
            new Applicability(
                verdict,
                verdict == Verdict.LIVE ? assessment.mechanisms : EnumSet.noneOf(Mechanism.class),
                assessment.refusalsThenNotes())));
  }
}
