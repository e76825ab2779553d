package io.jsplice.create;

import io.jsplice.create.diff.ClassDiff;
import io.jsplice.create.diff.ClassSetDiff;
import io.jsplice.create.live.LivePlanner;
import io.jsplice.model.Change;
import io.jsplice.model.ChangeKind;
import io.jsplice.model.ClassStatus;
import io.jsplice.model.ClassUpdate;
import io.jsplice.model.Verdict;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.ClassNode;

/**
 * The largest part of a release diff that applies live and is consistent: no class of it uses what
 * it leaves out. Classes the planner refuses are left out, then every class whose code uses a
 * member that a left-out class adds or changes (or a class the update would have added), and the
 * remaining classes are planned again, until nothing is refused. A member whose only change is its
 * code ({@link #SAME_MEMBER}) is no such use: the left-out class keeps its old class file in the
 * running JVM, where that member has the same name, descriptor and flags, so fixed code links to it
 * and runs its old body, as the release's unchanged callers do (tomcat 9.0.83's {@code
 * InputBuffer}, which builds a {@code ClientAbortException} whose superclass 9.0.83 changes); fixed
 * code that relies on the left-out class's new hierarchy fails the verifier run every installed
 * class gets, and is left out for that. What is left out takes effect when the JVM restarts on the
 * fixed release.
 *
 * <p>Each round plans the subset against the release the running JVM will have once it is applied:
 * the classes left out keep their old class files ({@link #running}), so that the planner never
 * runs a left-out class's fixed static initializer for it. A refusal can name a class the subset
 * does not change: the static state of such a class, built by code the subset changes, cannot be
 * recomputed live. Then the subset's classes its static initializer calls into are left out ({@link
 * StateBuilders}), so that its state needs no recomputing. When a round's refusals leave out
 * nothing new, the reduction stops there and the plan keeps them: the subset is then not live, and
 * says why, rather than being planned again without end.
 *
 * <p>The in-force subset leaves out, in the same way, the classes the planner finds only partly in
 * force ({@link Verdict#LIVE_NEEDS_HOOK}: objects or static state the program built before the
 * update would keep the old behaviour, which apply refuses over when such objects exist), so that
 * everything the update holds is in force for old state as well. Whether what it leaves out is the
 * part of the fix the operator needs only the operator can tell: the report names each class and
 * why.
 */
final class LiveSubset {
  private LiveSubset() {}

  /**
   * The reduced plan.
   *
   * @param diff the classes it covers
   * @param plan their plan, with no class refused
   * @param leftOut each class left out (dotted name) and why, in the order they were found
   */
  record Result(ClassSetDiff diff, LivePlanner.Plan plan, Map<String, String> leftOut) {}

  /**
   * @param planner plans a diff
   * @param inForce whether to leave out also the classes only partly in force
   */
  static Result reduce(
      ClassSetDiff diff, Function<ClassSetDiff, LivePlanner.Plan> planner, boolean inForce) {
    Map<String, String> leftOut = new LinkedHashMap<>(); // internal name -> why
    Map<String, ClassDiff> byName = new HashMap<>();
    diff.classes().forEach(c -> byName.put(c.name(), c));
    while (true) {
      ClassSetDiff subset = without(diff, leftOut.keySet());
      LivePlanner.Plan plan = planner.apply(running(subset, leftOut.keySet()));
      Map<String, String> refused = refused(plan, inForce);
      Map<String, String> stateOf = new LinkedHashMap<>(refused);
      stateOf.keySet().removeIf(name -> subset.find(name).isPresent());
      refused.keySet().removeIf(name -> !byName.containsKey(name) || leftOut.containsKey(name));
      if (refused.isEmpty()) {
        // Only classes the subset does not change are refused (or nothing is): hosts of the
        // dispatch to added overrides, or classes whose state the subset would recompute.
        refused = overridersOf(subset, stateOf.keySet());
      }
      if (refused.isEmpty()) {
        refused = StateBuilders.leaveOut(running(subset, leftOut.keySet()), stateOf);
      }
      if (refused.isEmpty() || subset.classes().isEmpty()) {
        return new Result(subset, plan, dotted(leftOut));
      }
      leftOut.putAll(refused);
      addUsers(subset, byName, leftOut);
    }
  }

  /**
   * The classes of the subset that add an override of a method one of {@code hosts} (refused
   * classes the subset does not change) declares, with why: the override is reached through a
   * dispatch prologue installed in the host's method, and the host cannot carry it (its original
   * body, copied for the override's super calls, reaches what its companion cannot, as a private
   * lambda of an interface). Left out, the override takes effect at the next restart and the host
   * stays as loaded.
   */
  private static Map<String, String> overridersOf(ClassSetDiff subset, Set<String> hosts) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String host : hosts) {
      byte[] hostFile = subset.post().bytes(host);
      if (hostFile == null) {
        continue;
      }
      Set<String> declared = new HashSet<>();
      ClassNode hostNode = new ClassNode();
      new ClassReader(hostFile).accept(hostNode, ClassReader.SKIP_CODE);
      hostNode.methods.forEach(m -> declared.add(m.name + m.desc));
      for (ClassDiff c : subset.classes()) {
        if (c.post() == null || !isSubtype(subset.post(), c.name(), host)) {
          continue;
        }
        for (Change change : c.changes()) {
          if (change.kind() == ChangeKind.METHOD_ADDED && declared.contains(change.member())) {
            out.putIfAbsent(
                c.name(),
                "adds "
                    + change.member()
                    + ", an override reached through a dispatch prologue in "
                    + host.replace('/', '.')
                    + ", which cannot carry it live");
          }
        }
      }
    }
    return out;
  }

  /** Whether {@code name} extends or implements {@code type}, through classes of {@code post}. */
  private static boolean isSubtype(
      io.jsplice.create.source.ClassSet post, String name, String type) {
    if (name == null) {
      return false;
    }
    if (name.equals(type)) {
      return true;
    }
    byte[] file = post.bytes(name);
    if (file == null) {
      return false;
    }
    ClassReader reader = new ClassReader(file);
    if (isSubtype(post, reader.getSuperName(), type)) {
      return true;
    }
    for (String i : reader.getInterfaces()) {
      if (isSubtype(post, i, type)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The subset as the running JVM will have it: a class the subset leaves out, and that the JVM has
   * loaded, keeps its old class file, and with it its old static initializer and code.
   */
  private static ClassSetDiff running(ClassSetDiff subset, Set<String> leftOut) {
    Map<String, byte[]> classes = new HashMap<>(subset.post().classes());
    boolean kept = false;
    for (String name : leftOut) {
      byte[] old = subset.pre().bytes(name);
      if (old != null) {
        classes.put(name, old);
        kept = true;
      }
    }
    if (!kept) {
      return subset;
    }
    io.jsplice.create.source.ClassSet post =
        new io.jsplice.create.source.ClassSet(
            subset.post().origin(), classes, subset.post().artifacts());
    return new ClassSetDiff(subset.pre(), post, subset.classes(), subset.renamedClasses());
  }

  /**
   * The diff classes the plan refuses (and, for an in-force subset, those only partly in force),
   * with the first reason given for each.
   */
  private static Map<String, String> refused(LivePlanner.Plan plan, boolean inForce) {
    Map<String, String> out = new LinkedHashMap<>();
    for (ClassUpdate c : plan.classes()) {
      Verdict verdict = c.applicability().verdict();
      String source = plan.sources().getOrDefault(c.name(), c.name().replace('.', '/'));
      if (verdict == Verdict.NOT_LIVE) {
        List<String> notes = c.applicability().notes();
        out.putIfAbsent(source, notes.isEmpty() ? "cannot be applied live" : notes.get(0));
      } else if (inForce
          && verdict == Verdict.LIVE_NEEDS_HOOK
          && !c.applicability().stale().isEmpty()) {
        out.putIfAbsent(
            source, "only partly in force: " + c.applicability().stale().get(0).describe());
      }
    }
    return out;
  }

  /** Leaves out, in turn, the classes that use what is left out; to a fixed point. */
  private static void addUsers(
      ClassSetDiff subset, Map<String, ClassDiff> byName, Map<String, String> leftOut) {
    boolean grew = true;
    while (grew) {
      grew = false;
      Map<String, Set<String>> gone = goneMembers(byName, leftOut.keySet());
      for (ClassDiff c : subset.classes()) {
        if (leftOut.containsKey(c.name()) || c.post() == null) {
          continue;
        }
        String use = firstUse(c.post(), gone, subset.post());
        if (use != null) {
          leftOut.put(c.name(), "uses " + use + ", which is left out");
          grew = true;
        }
      }
    }
  }

  /**
   * Changes after which a member of a left-out class is, in the running JVM, one with the same
   * name, descriptor and flags: only its code, annotations or generic metadata differ.
   */
  private static final Set<ChangeKind> SAME_MEMBER =
      Set.of(
          ChangeKind.METHOD_BODY_CHANGED,
          ChangeKind.INIT_ONLY_CODE_CHANGED,
          ChangeKind.ANNOTATIONS_CHANGED,
          ChangeKind.METADATA_CHANGED);

  /**
   * Per left-out class: the member keys whose fixed form is left out, or null for the whole class
   * (a class the update would have added). A member only {@link #SAME_MEMBER} changes is not among
   * them.
   */
  private static Map<String, Set<String>> goneMembers(
      Map<String, ClassDiff> byName, Set<String> leftOut) {
    Map<String, Set<String>> out = new HashMap<>();
    for (String name : leftOut) {
      ClassDiff c = byName.get(name);
      if (c == null) {
        continue;
      }
      if (c.status() == ClassStatus.ADDED) {
        out.put(name, null);
        continue;
      }
      Set<String> members = new HashSet<>();
      for (Change change : c.changes()) {
        if (change.member() != null && !SAME_MEMBER.contains(change.kind())) {
          members.add(change.member());
        }
      }
      out.put(name, members);
    }
    return out;
  }

  /** The first use in {@code classFile} of something gone, in words; null if none. */
  private static String firstUse(
      byte[] classFile, Map<String, Set<String>> gone, io.jsplice.create.source.ClassSet post) {
    String[] found = new String[1];
    new ClassReader(classFile)
        .accept(
            new ClassVisitor(Opcodes.ASM9) {
              @Override
              public void visit(
                  int version,
                  int access,
                  String name,
                  String signature,
                  String superName,
                  String[] interfaces) {
                type(superName);
                for (String i : interfaces) {
                  type(i);
                }
              }

              @Override
              public org.objectweb.asm.FieldVisitor visitField(
                  int access, String name, String desc, String signature, Object value) {
                descriptor(desc);
                return null;
              }

              @Override
              public MethodVisitor visitMethod(
                  int access, String name, String desc, String signature, String[] exceptions) {
                descriptor(desc);
                return new MethodVisitor(Opcodes.ASM9) {
                  @Override
                  public void visitMethodInsn(
                      int op, String owner, String method, String d, boolean itf) {
                    member(owner, method + d);
                    descriptor(d);
                  }

                  @Override
                  public void visitFieldInsn(int op, String owner, String field, String d) {
                    member(owner, field + ":" + d);
                    descriptor(d);
                  }

                  @Override
                  public void visitInvokeDynamicInsn(
                      String name, String d, org.objectweb.asm.Handle bsm, Object... args) {
                    descriptor(d);
                  }

                  @Override
                  public void visitMultiANewArrayInsn(String d, int dims) {
                    descriptor(d);
                  }

                  @Override
                  public void visitTryCatchBlock(
                      org.objectweb.asm.Label start,
                      org.objectweb.asm.Label end,
                      org.objectweb.asm.Label handler,
                      String t) {
                    type(t);
                  }

                  @Override
                  public void visitTypeInsn(int op, String t) {
                    Type type = Type.getObjectType(t);
                    type(
                        type.getSort() == Type.ARRAY ? type.getElementType().getInternalName() : t);
                  }

                  @Override
                  public void visitLdcInsn(Object value) {
                    if (value instanceof Type t && t.getSort() == Type.OBJECT) {
                      type(t.getInternalName());
                    }
                  }
                };
              }

              /**
               * The verifier loads the types of a class's own fields and methods, and of what its
               * code calls, to check assignments (snakeyaml 2.3's JsonRepresenter$RepresentDate
               * names its left-out outer class only in descriptors: NoClassDefFoundError at apply).
               */
              private void descriptor(String desc) {
                Type t = Type.getType(desc);
                if (t.getSort() == Type.METHOD) {
                  for (Type a : t.getArgumentTypes()) {
                    object(a);
                  }
                  object(t.getReturnType());
                } else {
                  object(t);
                }
              }

              private void object(Type t) {
                Type element = t.getSort() == Type.ARRAY ? t.getElementType() : t;
                if (element.getSort() == Type.OBJECT) {
                  type(element.getInternalName());
                }
              }

              private void type(String name) {
                if (found[0] == null
                    && name != null
                    && gone.containsKey(name)
                    && gone.get(name) == null) {
                  found[0] = name.replace('/', '.');
                }
              }

              /**
               * A member is named through the class of the reference, which may inherit it: jsoup
               * 1.22.2's enum constant bodies read an added constant as their own static field.
               */
              private void member(String owner, String key) {
                type(owner);
                Set<String> seen = new HashSet<>();
                List<String> pending = new ArrayList<>(List.of(owner));
                while (found[0] == null && !pending.isEmpty()) {
                  String t = pending.remove(pending.size() - 1);
                  if (!seen.add(t)) {
                    continue;
                  }
                  if (gone.get(t) != null && gone.get(t).contains(key)) {
                    found[0] = t.replace('/', '.') + "." + key;
                  }
                  byte[] bytes = post.bytes(t);
                  if (bytes != null) {
                    ClassReader r = new ClassReader(bytes);
                    if (r.getSuperName() != null) {
                      pending.add(r.getSuperName());
                    }
                    pending.addAll(List.of(r.getInterfaces()));
                  }
                }
              }
            },
            ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    return found[0];
  }

  private static ClassSetDiff without(ClassSetDiff diff, Set<String> leftOut) {
    List<ClassDiff> kept = new ArrayList<>();
    for (ClassDiff c : diff.classes()) {
      if (!leftOut.contains(c.name())) {
        kept.add(c);
      }
    }
    return new ClassSetDiff(diff.pre(), diff.post(), kept, diff.renamedClasses());
  }

  private static Map<String, String> dotted(Map<String, String> leftOut) {
    Map<String, String> out = new LinkedHashMap<>();
    leftOut.forEach((name, why) -> out.put(name.replace('/', '.'), why));
    return out;
  }
}
