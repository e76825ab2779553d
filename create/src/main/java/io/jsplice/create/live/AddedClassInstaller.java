package io.jsplice.create.live;

import static io.jsplice.create.live.LivePlanner.dotted;

import io.jsplice.create.diff.ClassDiff;
import io.jsplice.model.Applicability;
import io.jsplice.model.ClassStatus;
import io.jsplice.model.ClassUpdate;
import io.jsplice.model.Mechanism;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.Verdict;
import io.jsplice.model.fingerprint.ClassFingerprint;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.tree.ClassNode;

/**
 * Installs a class the fixed release adds: it is defined in the patched classes' loader, with its
 * super calls of lowered constructors pointed at the superclass's companion. It is live unless its
 * code cannot be rewritten to reach members where the running JVM has them.
 */
final class AddedClassInstaller {
  private final UpdateClasses update;
  private final InstalledWorld world;
  private final String updateId;
  private final AddedConstructors constructors;
  private final MergePlanner merges;
  private final PlanOutput output;

  AddedClassInstaller(
      UpdateClasses update,
      InstalledWorld world,
      String updateId,
      AddedConstructors constructors,
      MergePlanner merges,
      PlanOutput output) {
    this.update = update;
    this.world = world;
    this.updateId = updateId;
    this.constructors = constructors;
    this.merges = merges;
    this.output = output;
  }

  /**
   * @param relaxed the class as the fixed release has it, with access relaxed for the update's
   *     other new classes
   */
  void install(String name, ClassNode relaxed) {
    ClassDiff c = update.added.get(name);
    if (world.merged.isMerged(name)) {
      installStandIn(name, c, relaxed);
      return;
    }
    List<String> refusals = new ArrayList<>();
    String factoryRefusal = constructors.factoryRefusal(name);
    if (factoryRefusal != null) {
      refusals.add(factoryRefusal);
    } else if (world.constructors.isFactoryBuilt(name)) {
      ConstructorFactories.build(relaxed, world);
      world.installed.put(ClassWrites.plain(relaxed)); // its factories, for the link check
    }
    int before = world.refusals.size();
    byte[] installed = ClassWrites.install(relaxed, world, updateId, false);
    refusals.addAll(world.refusals.subList(before, world.refusals.size()));
    String mergeRefusal = merges.refusal(name);
    if (mergeRefusal != null) {
      refusals.add(mergeRefusal);
    } else {
      refusals.addAll(HierarchyCheck.problems(installed, world.installed));
    }
    output.sources.put(dotted(name), c.name());
    output.files.put(UpdatePackage.POST + UpdatePackage.classPath(c.postName()), c.post());
    output.files.put(UpdatePackage.INSTALL + UpdatePackage.classPath(name), installed);
    Verdict verdict = refusals.isEmpty() ? Verdict.LIVE : Verdict.NOT_LIVE;
    List<String> unloadable = update.firstLoad.get(name);
    if (unloadable != null) {
      installFirstLoad(name, c, verdict, refusals, unloadable);
      return;
    }
    output.classes.add(
        new ClassUpdate(
            dotted(name),
            ClassStatus.ADDED,
            null,
            ClassFingerprint.of(c.post()),
            c.changes(),
            new Applicability(
                verdict,
                verdict == Verdict.LIVE ? EnumSet.of(Mechanism.NEW_CLASSES) : Set.of(),
                refusals)));
  }

  /**
   * A modified class a loaded class could not become ({@code why}): installed whole, as the fixed
   * release has it, where it first loads; apply refuses a JVM where a class loader has loaded it.
   */
  private void installFirstLoad(
      String name, ClassDiff c, Verdict verdict, List<String> refusals, List<String> why) {
    List<String> notes = new ArrayList<>(refusals);
    if (verdict == Verdict.LIVE) {
      for (String reason : why) {
        notes.add(
            FIRST_LOAD_NOTE
                + dotted(name)
                + " ("
                + reason
                    .replace("; a loaded class's hierarchy cannot change", "")
                    .replace("; a loaded class's kind cannot change", "")
                + "): installed as it first loads; apply refuses a JVM where a class loader has"
                + " loaded it");
      }
    } else {
      notes.addAll(why);
    }
    output.classes.add(
        new ClassUpdate(
            dotted(name),
            ClassStatus.MODIFIED,
            ClassFingerprint.of(c.pre()),
            ClassFingerprint.of(c.post()),
            c.changes(),
            new Applicability(
                verdict,
                verdict == Verdict.LIVE ? EnumSet.of(Mechanism.FIRST_LOAD) : Set.of(),
                notes)));
  }

  /** How a note of a class installed as it first loads ({@link Mechanism#FIRST_LOAD}) starts. */
  static final String FIRST_LOAD_NOTE = "live where the class is not loaded yet: ";

  /** A merged subclass: its stand-in, written as a companion of the final class. */
  private void installStandIn(String name, ClassDiff c, ClassNode relaxed) {
    ClassNode standIn = StandIn.build(relaxed, world);
    world.installed.put(ClassWrites.plain(standIn));
    int before = world.refusals.size();
    byte[] installed = ClassWrites.companion(standIn, world);
    List<String> refusals = new ArrayList<>(world.refusals.subList(before, world.refusals.size()));
    output.sources.put(dotted(name), c.name());
    output.files.put(UpdatePackage.POST + UpdatePackage.classPath(c.postName()), c.post());
    output.files.put(UpdatePackage.INSTALL + UpdatePackage.classPath(name), installed);
    Verdict verdict = refusals.isEmpty() ? Verdict.LIVE : Verdict.NOT_LIVE;
    List<String> notes = new ArrayList<>(refusals);
    notes.add(
        "its objects are "
            + dotted(relaxed.superName)
            + " objects marked with its kind, as "
            + dotted(relaxed.superName)
            + " is final in the running JVM; getClass() on them answers "
            + dotted(relaxed.superName));
    output.classes.add(
        new ClassUpdate(
            dotted(name),
            ClassStatus.ADDED,
            null,
            ClassFingerprint.of(c.post()),
            c.changes(),
            new Applicability(
                verdict,
                verdict == Verdict.LIVE
                    ? EnumSet.of(Mechanism.NEW_CLASSES, Mechanism.MERGED_SUBCLASSES)
                    : Set.of(),
                notes)));
  }
}
