package io.jsplice.create.live;

import static io.jsplice.create.live.LivePlanner.read;

import io.jsplice.create.diff.ClassDiff;
import io.jsplice.create.diff.ClassSetDiff;
import io.jsplice.model.Change;
import io.jsplice.model.ClassStatus;
import io.jsplice.model.fingerprint.ClassFingerprint;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The classes of a diff sorted by what the planner does with them, keyed by the names they have in
 * the running JVM: loaded classes the update modifies (redefined), classes it adds (defined), and
 * unchanged classes whose static state was built through changed code. A modified class whose only
 * change is a synthetic rename is no change at all: the running code is already the fixed code.
 */
final class UpdateClasses {
  final ClassSetDiff diff;
  final PostView post;
  final Map<String, ClassDiff> modified = new LinkedHashMap<>(); // installed name
  final Map<String, ClassDiff> added = new LinkedHashMap<>(); // installed name
  final Map<String, ClassNode[]> pairs = new LinkedHashMap<>(); // pre, post (renamed)
  final Map<String, SchemaComparison> schemas = new LinkedHashMap<>();

  /**
   * Modified classes planned as the fixed release has them, among {@link #added}, to be installed
   * as they first load: why a loaded class could not take their change, by installed name.
   */
  final Map<String, List<String>> firstLoad = new LinkedHashMap<>();

  UpdateClasses(ClassSetDiff diff, SyntheticRenames renames, PostView post) {
    this(diff, renames, post, false);
  }

  /**
   * @param firstLoad whether a modified class whose shape a loaded class cannot take ({@link
   *     SchemaComparison#refusals}) moves to the added classes, to be installed as it first loads
   */
  UpdateClasses(ClassSetDiff diff, SyntheticRenames renames, PostView post, boolean firstLoad) {
    this.diff = diff;
    this.post = post;
    for (ClassDiff c : diff.classes()) {
      if (c.status() == ClassStatus.MODIFIED) {
        sortModified(c, renames);
      } else if (c.status() == ClassStatus.ADDED) {
        added.put(renames.installedName(c.postName()), c);
      }
    }
    ClassHierarchy preTypes = new ClassHierarchy(diff.pre()::bytes);
    ClassHierarchy postTypes = new ClassHierarchy(n -> postBytes(diff, post, n));
    pairs.forEach(
        (name, pair) ->
            schemas.put(name, SchemaComparison.of(pair[0], pair[1], preTypes, postTypes)));
    if (firstLoad) {
      for (var it = schemas.entrySet().iterator(); it.hasNext(); ) {
        var e = it.next();
        if (!e.getValue().refusals.isEmpty()) {
          String name = e.getKey();
          this.firstLoad.put(name, List.copyOf(e.getValue().refusals));
          added.put(name, modified.remove(name));
          pairs.remove(name);
          it.remove();
        }
      }
    }
    CreationSites sites =
        new CreationSites(
            diff.pre()::bytes,
            diff.pre().classes().keySet(),
            n -> postBytes(diff, post, n),
            diff.post().classes().keySet());
    schemas.forEach(
        (name, schema) -> {
          for (var f : schema.addedFields.values()) {
            if ((f.access & org.objectweb.asm.Opcodes.ACC_STATIC) == 0
                && FieldInitializers.initializer(schema.post, f.name, f.desc) == null
                && FieldSuccession.expression(schema.pre, schema.post, f.name, f.desc) == null) {
              schema.fromCreationSites.put(f.name, sites.derive(schema.pre, schema.post, f));
            }
          }
        });
  }

  /** A class of the fixed release by its installed name (renamed), else by its own; or null. */
  private static byte[] postBytes(ClassSetDiff diff, PostView post, String name) {
    byte[] renamed = post.bytes(name);
    return renamed != null ? renamed : diff.post().bytes(name);
  }

  private void sortModified(ClassDiff c, SyntheticRenames renames) {
    String name = c.preName();
    ClassNode preNode = read(c.pre());
    ClassNode postNode = read(post.bytes(renames.installedName(c.postName())));
    if (ClassFingerprint.of(ClassWrites.plain(postNode)).equals(ClassFingerprint.of(c.pre()))) {
      return; // only synthetic renames: the running code is already this
    }
    modified.put(name, c);
    pairs.put(name, new ClassNode[] {preNode, postNode});
  }

  /** Whether a class exists in the running JVM once the update is installed. */
  boolean existsInstalled(String name) {
    return pairs.containsKey(name) || added.containsKey(name) || diff.pre().bytes(name) != null;
  }

  /** The classes the update modifies or adds, modified first. */
  Set<String> touched() {
    Set<String> out = new java.util.LinkedHashSet<>(pairs.keySet());
    out.addAll(added.keySet());
    return out;
  }

  /** Every method whose code the update changes, as owner.name+desc (installed names). */
  Set<String> changedMethods() {
    Set<String> out = new HashSet<>();
    for (Map.Entry<String, ClassDiff> e : modified.entrySet()) {
      for (Change change : e.getValue().changes()) {
        if (change.member() != null && change.member().contains("(")) {
          out.add(e.getKey() + "." + change.member());
        }
      }
      SchemaComparison schema =
          SchemaComparison.of(pairs.get(e.getKey())[0], pairs.get(e.getKey())[1]);
      schema.addedMethods.keySet().forEach(k -> out.add(e.getKey() + "." + k));
    }
    return out;
  }

  /**
   * Classes the update does not change whose static initializer calls into classes it does: their
   * static state may have been built by changed code (a singleton built through a fixed
   * constructor), and the static state planner decides which fields to recompute.
   */
  Set<String> builtThroughUpdate(CallGraph calls) {
    Set<String> touched = touched();
    Set<String> out = new TreeSet<>();
    for (String name : post.names()) {
      if (touched.contains(name) || diff.pre().bytes(name) == null) {
        continue;
      }
      MethodNode clinit = staticInitializer(read(post.bytes(name)));
      if (clinit != null && callsIntoUpdate(clinit, touched, calls)) {
        out.add(name);
      }
    }
    return out;
  }

  private static MethodNode staticInitializer(ClassNode node) {
    return node.methods.stream().filter(m -> m.name.equals("<clinit>")).findFirst().orElse(null);
  }

  private static boolean callsIntoUpdate(MethodNode clinit, Set<String> touched, CallGraph calls) {
    for (var insn : clinit.instructions) {
      if (insn instanceof MethodInsnNode m
          && (touched.contains(m.owner) || calls.reachesChange(m.owner, m.name, m.desc))) {
        return true;
      }
    }
    return false;
  }
}
