package io.jsplice.create;

import io.jsplice.create.live.LivePlanner;
import io.jsplice.model.ClassStatus;
import io.jsplice.model.ClassUpdate;
import io.jsplice.model.InstanceAction;
import io.jsplice.model.StateAction;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.fingerprint.ClassFingerprint;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.commons.ClassRemapper;
import org.objectweb.asm.commons.SimpleRemapper;

/**
 * Gives the classes jsplice generates for an update (companions, named {@code Host$$jsplice$ID}) a
 * name that also carries a digest of the update's code: {@code Host$$jsplice$ID$0123456789abcdef}.
 *
 * <p>Classes defined in an application's class loaders cannot be undefined. An apply that failed or
 * was undone leaves its companions there, and the agent reuses a class of the right name rather
 * than define it twice. Named by id alone, a rebuilt update with the same id (the default id is the
 * CVE) would then run an earlier build's companion: with the digest, a different build has other
 * names and the same build finds exactly its own classes again.
 *
 * <p>The digest is over every class file the plan installs, with the names before renaming, so two
 * plans get the same names exactly when they install the same code.
 */
final class GeneratedClassNames {
  /** What every jsplice-generated class name contains; the agent and {@code verify} know it. */
  static final String MARKER = "$$jsplice$";

  private static final int DIGEST_HEX = 16;

  private GeneratedClassNames() {}

  static LivePlanner.Plan addDigest(LivePlanner.Plan plan) {
    Map<String, String> renames = new LinkedHashMap<>(); // internal name -> internal name
    String digest = digest(plan.files());
    for (String path : plan.files().keySet()) {
      String name = installedClass(path);
      if (name != null && name.contains(MARKER)) {
        renames.put(name, name + "$" + digest);
      }
    }
    if (renames.isEmpty()) {
      return plan;
    }
    SimpleRemapper remapper = new SimpleRemapper(renames);
    Map<String, byte[]> files = new LinkedHashMap<>();
    plan.files()
        .forEach(
            (path, bytes) -> {
              String name = installedClass(path);
              if (name == null && generatedHook(path)) {
                files.put(path, remap(bytes, remapper)); // it names the companions it calls
              } else if (name == null) {
                files.put(path, bytes); // post/: the fixed release as built, never renamed
              } else {
                files.put(
                    UpdatePackage.INSTALL + renames.getOrDefault(name, name) + ".class",
                    remap(bytes, remapper));
              }
            });
    List<ClassUpdate> classes = new ArrayList<>();
    for (ClassUpdate c : plan.classes()) {
      String renamed = renames.get(c.internalName());
      if (renamed == null || c.status() != ClassStatus.ADDED) {
        classes.add(c);
      } else {
        classes.add(
            new ClassUpdate(
                renamed.replace('/', '.'),
                c.status(),
                c.preFingerprint(),
                ClassFingerprint.of(files.get(UpdatePackage.INSTALL + renamed + ".class")),
                c.changes(),
                c.applicability()));
      }
    }
    List<StateAction> actions = new ArrayList<>();
    for (StateAction a : plan.stateActions()) {
      String source = a.source() == null ? null : renames.get(a.source().replace('.', '/'));
      actions.add(
          source == null
              ? a
              : new StateAction(
                  a.kind(), a.owner(), a.field(), source.replace('/', '.'), a.reason()));
    }
    List<InstanceAction> objects = new ArrayList<>();
    for (InstanceAction a : plan.instanceActions()) {
      String source = a.source() == null ? null : renames.get(a.source().replace('.', '/'));
      objects.add(
          source == null
              ? a
              : new InstanceAction(
                  a.kind(),
                  a.owner(),
                  a.member(),
                  source.replace('/', '.'),
                  a.fields(),
                  a.reason()));
    }
    Map<String, String> sources = new LinkedHashMap<>();
    plan.sources().forEach((name, source) -> sources.put(renamedBinary(renames, name), source));
    List<String> hooks = plan.hooks().stream().map(h -> renamedBinary(renames, h)).toList();
    return new LivePlanner.Plan(
        classes,
        actions,
        objects,
        files,
        plan.verdict(),
        plan.notes(),
        plan.stale(),
        sources,
        hooks);
  }

  /** A binary (dotted) name after renaming: generated hooks and companions carry the digest. */
  private static String renamedBinary(Map<String, String> renames, String binary) {
    String renamed = renames.get(binary.replace('.', '/'));
    return renamed == null ? binary : renamed.replace('/', '.');
  }

  /** The internal name of an {@code install/} class file; null for other files. */
  private static String installedClass(String path) {
    if (!path.startsWith(UpdatePackage.INSTALL) || !path.endsWith(".class")) {
      return null;
    }
    return path.substring(UpdatePackage.INSTALL.length(), path.length() - ".class".length());
  }

  /** A hook jsplice generated for a mechanism, not one the operator gave. */
  private static boolean generatedHook(String path) {
    return path.startsWith(UpdatePackage.HOOK + "jsplice/hooks/") && path.endsWith(".class");
  }

  private static byte[] remap(byte[] bytes, SimpleRemapper remapper) {
    ClassReader reader = new ClassReader(bytes);
    ClassWriter writer = new ClassWriter(0);
    reader.accept(new ClassRemapper(writer, remapper), 0);
    return writer.toByteArray();
  }

  /** SHA-256 over the files in path order, each as its path and its bytes; 16 hex digits. */
  private static String digest(Map<String, byte[]> files) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, byte[]> file : new TreeMap<>(files).entrySet()) {
        byte[] path = file.getKey().getBytes(StandardCharsets.UTF_8);
        sha.update(intBytes(path.length));
        sha.update(path);
        sha.update(intBytes(file.getValue().length));
        sha.update(file.getValue());
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, DIGEST_HEX);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is in every JDK", e);
    }
  }

  private static byte[] intBytes(int n) {
    return new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
  }
}
