package io.jsplice.agent.engine;

import io.jsplice.model.Change;
import io.jsplice.model.ChangeKind;
import io.jsplice.model.ClassStatus;
import io.jsplice.model.ClassUpdate;
import io.jsplice.model.Update;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.control.FailureException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the engine reads out of an update package: the code it installs in each modified class, the
 * classes it defines (added classes and hooks), and the methods whose running frames it replaces.
 */
final class UpdateContents {
  /** What the name of every class jsplice generates for an update contains (companions). */
  static final String GENERATED = "$$jsplice$";

  private UpdateContents() {}

  /** The installation of each class the update modifies. */
  static List<Installation> installations(UpdatePackage pkg) throws FailureException {
    return installations(pkg, null);
  }

  /**
   * The installation of each class the update modifies.
   *
   * @param recordedSha256 the SHA-256 of the recorded file the update was read from; null if none
   */
  static List<Installation> installations(UpdatePackage pkg, String recordedSha256)
      throws FailureException {
    Update update = pkg.update();
    // Loops, not lambdas or streams: the first apply in a JVM the agent was attached to for it
    // would spin each lambda's class there as it runs.
    boolean structural = false;
    for (ClassUpdate c : update.classes()) {
      structural |= c.status() == ClassStatus.ADDED;
    }
    List<Installation> out = new ArrayList<>();
    for (ClassUpdate c : update.classes()) {
      if (c.status() != ClassStatus.MODIFIED) {
        continue;
      }
      byte[] bytes = pkg.installBytes(c.name()).orElse(null);
      if (bytes == null) {
        throw new FailureException(
            FailureCause.CORRUPT_UPDATE,
            "update " + update.id() + " has no code to install for " + c.name());
      }
      out.add(
          new Installation(
              update.id(),
              c.internalName(),
              c.preFingerprint(),
              c.postFingerprint(),
              bytes,
              structural,
              recordedSha256));
    }
    return out;
  }

  /** The classes the update defines next to the ones it modifies: added classes and hooks. */
  static List<SupportClasses.ClassBytes> supportClasses(UpdatePackage pkg) {
    List<SupportClasses.ClassBytes> out = new ArrayList<>();
    for (Map.Entry<String, byte[]> file : pkg.files().entrySet()) {
      String path = file.getKey();
      if (path.startsWith(UpdatePackage.HOOK) && path.endsWith(".class")) {
        String name =
            path.substring(UpdatePackage.HOOK.length(), path.length() - ".class".length());
        out.add(new SupportClasses.ClassBytes(name.replace('/', '.'), file.getValue(), false));
      }
    }
    for (ClassUpdate c : pkg.update().classes()) {
      if (c.status() == ClassStatus.ADDED) {
        boolean ofRelease = !c.name().contains(GENERATED);
        byte[] bytes = pkg.installBytes(c.name()).orElse(null);
        if (bytes != null) {
          out.add(new SupportClasses.ClassBytes(c.name(), bytes, ofRelease));
        }
      }
    }
    return out;
  }

  /** The methods, by class, that a thread must not be inside while the update switches. */
  static Map<String, Set<String>> replacedMethods(Update update) {
    Map<String, Set<String>> replaced = new HashMap<>();
    for (ClassUpdate c : update.classes()) {
      for (Change change : c.changes()) {
        if (change.member() != null && change.member().contains("(") && replaces(change.kind())) {
          String name = change.member().substring(0, change.member().indexOf('('));
          Set<String> names = replaced.get(c.name());
          if (names == null) {
            names = new HashSet<>();
            replaced.put(c.name(), names);
          }
          names.add(name);
        }
      }
    }
    return replaced;
  }

  private static boolean replaces(ChangeKind kind) {
    return kind == ChangeKind.METHOD_BODY_CHANGED
        || kind == ChangeKind.METHOD_REMOVED
        || kind == ChangeKind.METHOD_SIGNATURE_CHANGED
        || kind == ChangeKind.INIT_ONLY_CODE_CHANGED
        || kind == ChangeKind.STATIC_INITIALIZER_CHANGED;
  }
}
