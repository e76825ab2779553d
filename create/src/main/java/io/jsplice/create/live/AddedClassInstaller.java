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
import java.util.Map;
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
  private final Map<String, String> companions; // host -> companion
  private final PlanOutput output;

  AddedClassInstaller(
      UpdateClasses update,
      InstalledWorld world,
      String updateId,
      AddedConstructors constructors,
      Map<String, String> companions,
      PlanOutput output) {
    this.update = update;
    this.world = world;
    this.updateId = updateId;
    this.constructors = constructors;
    this.companions = companions;
    this.output = output;
  }

  /**
   * @param relaxed the class as the fixed release has it, with access relaxed for the update's
   *     other new classes
   */
  void install(String name, ClassNode relaxed) {
    ClassDiff c = update.added.get(name);
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
    refusals.addAll(HierarchyCheck.problems(installed, world.installed));
    output.sources.put(dotted(name), c.name());
    output.files.put(UpdatePackage.POST + UpdatePackage.classPath(c.postName()), c.post());
    output.files.put(UpdatePackage.INSTALL + UpdatePackage.classPath(name), installed);
    Verdict verdict = refusals.isEmpty() ? Verdict.LIVE : Verdict.NOT_LIVE;
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
}
