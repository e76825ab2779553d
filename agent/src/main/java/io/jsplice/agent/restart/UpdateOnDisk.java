package io.jsplice.agent.restart;

import io.jsplice.agent.classfile.CodeLocation;
import io.jsplice.agent.classfile.DiskClasses;
import io.jsplice.bootstrap.Patched;
import io.jsplice.model.Artifact;
import io.jsplice.model.ClassStatus;
import io.jsplice.model.ClassUpdate;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.fingerprint.ClassFingerprint;
import io.jsplice.protocol.message.VerifyReply;
import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the disk holds now for one update's modified classes, place by place: for each loaded copy
 * of a class (in each class loader), the jar or directory a restart would load it from, and whether
 * the code there is what the update was built against, its fix, or other code; for a class not
 * loaded, where the update's class loaders would find it.
 *
 * <p>"Built against" walks the updates in order, as the engine's installation table does, so that
 * an update built on top of another matches the other's fixed code. A jar gone from disk is looked
 * for beside it ({@link DiskClasses#replacement}).
 */
final class UpdateOnDisk {
  /** What is on disk at one place. */
  enum Code {
    /** The code the update was built against: a restart patches it. */
    BUILT_AGAINST("built against"),
    /** The update's fixed class, or a release of its library at or past its fix. */
    FIXED("fixed"),
    /** Other code: the update does not apply to it. */
    OTHER("other"),
    /** The class is not there (or the jar is gone). */
    ABSENT("absent");

    final String word;

    Code(String word) {
      this.word = word;
    }
  }

  /**
   * One place a class of the update is loaded from, or would be.
   *
   * @param className binary name
   * @param location where on disk now; null if nowhere to be found
   * @param code what is there
   * @param loaded the loaded copy this place is for; null for a class not loaded
   * @param runsUpdate whether that loaded copy runs the update's code now
   */
  record Place(
      String className, CodeLocation location, Code code, Class<?> loaded, boolean runsUpdate) {
    VerifyReply.ClassPlace toReply() {
      return new VerifyReply.ClassPlace(
          className,
          location == null ? null : location.describe(),
          code.word,
          loaded != null,
          runsUpdate);
    }
  }

  private UpdateOnDisk() {}

  /**
   * The places of {@code update}'s modified classes.
   *
   * @param order every update considered, oldest first, for updates built on top of others
   */
  static List<Place> places(
      UpdatePackage update, List<UpdatePackage> order, LoadedClasses loaded, DiskClasses disk) {
    String id = update.update().id();
    List<Place> out = new ArrayList<>();
    for (ClassUpdate c : update.update().classes()) {
      if (c.status() != ClassStatus.MODIFIED) {
        continue;
      }
      String internalName = c.internalName();
      List<Class<?>> copies = loaded.named(c.name());
      if (!copies.isEmpty()) {
        for (Class<?> copy : copies) {
          CodeLocation at = CodeLocation.parse(LoadedClasses.location(copy.getProtectionDomain()));
          out.add(place(update, order, c, at, copy, runs(copy, id), disk));
        }
        continue;
      }
      Set<CodeLocation> found = resourceLocations(internalName, update, loaded);
      if (found.isEmpty()) {
        out.add(new Place(c.name(), null, Code.ABSENT, null, false));
      }
      for (CodeLocation at : found) {
        out.add(place(update, order, c, at, null, false, disk));
      }
    }
    return out;
  }

  private static Place place(
      UpdatePackage update,
      List<UpdatePackage> order,
      ClassUpdate c,
      CodeLocation at,
      Class<?> copy,
      boolean runs,
      DiskClasses disk) {
    if (at == null) {
      return new Place(c.name(), null, Code.ABSENT, copy, runs);
    }
    CodeLocation now = at;
    String fingerprint = null;
    try {
      now = disk.exists(at) ? at : disk.replacement(at, c.internalName());
      byte[] bytes = now == null ? null : disk.classFile(now, c.internalName());
      fingerprint = bytes == null ? null : ClassFingerprint.of(bytes);
    } catch (IOException | IllegalArgumentException unreadable) {
      fingerprint = null;
    }
    CodeLocation shown = now == null ? at : now;
    Code code;
    if (fingerprint == null) {
      code = Code.ABSENT;
    } else if (builtAgainst(update, c.name(), fingerprint, order)) {
      code = Code.BUILT_AGAINST;
    } else if (fingerprint.equals(c.postFingerprint()) || releasedPast(update, shown, disk)) {
      code = Code.FIXED;
    } else {
      code = Code.OTHER;
    }
    return new Place(c.name(), shown, code, copy, runs);
  }

  /** Whether the loaded class runs the code of update {@code id}: its {@link Patched} marker. */
  private static boolean runs(Class<?> type, String id) {
    Patched marker = type.getAnnotation(Patched.class);
    return marker != null && marker.update().equals(id);
  }

  /**
   * Whether {@code update}'s installation for a class whose disk code has {@code base} would apply,
   * walking the updates in order as the engine's installation table does.
   */
  private static boolean builtAgainst(
      UpdatePackage update, String className, String base, List<UpdatePackage> order) {
    String current = base;
    for (UpdatePackage candidate : order) {
      ClassUpdate c = candidate.update().classUpdate(className).orElse(null);
      boolean applies =
          c != null && c.status() == ClassStatus.MODIFIED && c.preFingerprint().equals(current);
      if (candidate == update) {
        return applies;
      }
      if (applies) {
        current = c.postFingerprint();
      }
    }
    return false;
  }

  /** Whether the jar at {@code at} is a release of the update's library at or past its fix. */
  private static boolean releasedPast(UpdatePackage update, CodeLocation at, DiskClasses disk) {
    for (Artifact artifact : update.update().artifacts()) {
      if (artifact.groupId() == null || artifact.toVersion() == null) {
        continue;
      }
      String version = disk.mavenVersion(at, artifact.groupId(), artifact.artifactId());
      if (version != null && ReleaseVersions.compare(version, artifact.toVersion()) >= 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * Where the class loaders of the update's loaded classes, and the system class loader, find a
   * class that is not loaded.
   */
  private static Set<CodeLocation> resourceLocations(
      String internalName, UpdatePackage update, LoadedClasses loaded) {
    Set<ClassLoader> loaders = new LinkedHashSet<>();
    for (ClassUpdate c : update.update().classes()) {
      for (Class<?> type : loaded.named(c.name())) {
        loaders.add(type.getClassLoader());
      }
    }
    loaders.add(ClassLoader.getSystemClassLoader());
    String path = internalName + ".class";
    Set<CodeLocation> out = new LinkedHashSet<>();
    for (ClassLoader loader : loaders) {
      URL resource = loader.getResource(path);
      CodeLocation at =
          resource == null ? null : CodeLocation.ofResource(resource.toString(), path);
      if (at != null) {
        out.add(at);
      }
    }
    return out;
  }
}
