package io.jsplice.create.live;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.MethodNode;

/**
 * Decides which classes' implementations an instance method moved to a companion must dispatch to.
 * The JVM's method tables do not know the moved method, so its companion entry tests the receiver
 * against every subtype that overrides it, most derived first, and calls that implementation where
 * it lives: in the subtype, or in the subtype's own companion when the update added it there too.
 * Only classes that exist live count: those of the release that the update leaves out do not.
 */
final class OverrideDispatch {
  private final UpdateClasses update;
  private final InstalledWorld world;
  private final Map<String, String> companions; // host -> companion

  OverrideDispatch(UpdateClasses update, InstalledWorld world, Map<String, String> companions) {
    this.update = update;
    this.world = world;
    this.companions = companions;
  }

  /** The classes whose implementation of an added method the companion must dispatch to. */
  List<CompanionBuilder.Dispatch> overriders(String host, MethodNode m) {
    String key = m.name + m.desc;
    List<String> found = implementors(host, key);
    // Most derived first, so that the first instanceof test that matches is the right one.
    found.sort(
        (a, b) ->
            world.post.isSubtype(a, b) ? -1 : world.post.isSubtype(b, a) ? 1 : a.compareTo(b));
    List<CompanionBuilder.Dispatch> out = new ArrayList<>();
    for (String name : found) {
      boolean moved = world.relocations.method(name, key) != null;
      out.add(
          new CompanionBuilder.Dispatch(
              name, moved ? companions.get(name) : null, world.post.info(name).isInterface()));
    }
    return out;
  }

  /** The live subtypes of the host that implement the method {@code key}. */
  private List<String> implementors(String host, String key) {
    List<String> found = new ArrayList<>();
    for (String name : update.post.names()) {
      if (name.equals(host) || !update.existsInstalled(name) || !world.post.isSubtype(name, host)) {
        continue; // classes of the release that the update leaves out do not exist live
      }
      Integer access = world.post.info(name).members().get(key);
      if (access != null
          && (access & (Opcodes.ACC_STATIC | Opcodes.ACC_PRIVATE | Opcodes.ACC_ABSTRACT)) == 0) {
        found.add(name);
      }
    }
    return found;
  }
}
