package io.jsplice.create.live;

import io.jsplice.create.live.StaticInitializerSlices.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Decides which static fields of the patched classes need a new value in the running JVM, and how
 * it gets there, without re-running the rest of any static initializer.
 *
 * <p>A static field needs a new value when its slice of the static initializer changed, when the
 * update adds it, or when its slice reads a field that needs a new value or calls code the update
 * changed (a singleton built through a changed constructor). The new value is computed by the same
 * slice, copied into the companion's initializer, when the slice has no side effects. Then:
 *
 * <ul>
 *   <li>an added field lives in the companion;
 *   <li>a final field moves to the companion for the patched code, and the agent merges the new
 *       value into the object the old field holds, so that other references to it see the fix, then
 *       points the companion's field at that object, so that all code reads one object;
 *   <li>a non-final field is assigned the new value by the agent.
 * </ul>
 *
 * Enum constants are never recomputed: their identity is what an enum is. The array of them an
 * enum's {@code values()} copies is, when the update adds constants ({@link Strategy#ENUM_VALUES}).
 */
final class StaticStatePlanner {
  enum Strategy {
    ADDED,
    REDIRECT_AND_MERGE,
    /**
     * The array of an enum's constants ({@code $VALUES}) when the update adds constants: the
     * companion holds the fixed release's, with the loaded constants and the added ones, and the
     * installed enum's code reads it there; the loaded array stays as it is (an array cannot grow),
     * for the old code after an undo.
     */
    ENUM_VALUES,
    ASSIGN,
    HOOK
  }

  record Decision(String owner, String field, Strategy strategy, String reason) {}

  /** Per class: the decisions and the initializer statements its companion must run. */
  record ClassState(
      List<Decision> decisions,
      List<Statement> statements,
      StaticInitializerSlices slices,
      List<String> notes) {}

  private StaticStatePlanner() {}

  /**
   * @param classes per modified class (internal name): its pre and renamed post form
   */
  static Map<String, ClassState> plan(
      Map<String, ClassNode[]> classes, CallGraph calls, SideEffectCheck sideEffects) {
    return plan(classes, calls, calls, new GuardCalls(null, null), sideEffects);
  }

  /**
   * @param beyondConstructors calls reaching changed code other than constructors: a field whose
   *     value a constructor built, and whose construction reaches changed constructor code only,
   *     holds an object like any other of its class; when its slice cannot be re-run, it is left to
   *     the look for those objects at apply rather than named as a static field needing a hook
   * @param checks calls a value cannot depend on even when they reach changed code (a changed
   *     precondition check)
   */
  static Map<String, ClassState> plan(
      Map<String, ClassNode[]> classes,
      CallGraph calls,
      CallGraph beyondConstructors,
      GuardCalls checks,
      SideEffectCheck sideEffects) {
    Map<String, StaticInitializerSlices> pre = new LinkedHashMap<>();
    Map<String, StaticInitializerSlices> post = new LinkedHashMap<>();
    classes.forEach(
        (name, pair) -> {
          pre.put(name, StaticInitializerSlices.of(pair[0]));
          post.put(name, StaticInitializerSlices.of(pair[1]));
        });
    Map<String, String> why = new LinkedHashMap<>(); // owner.field -> why it needs a new value
    Set<String> heldObjects =
        new HashSet<>(); // owner.field: an object built by a changed constructor
    for (String owner : classes.keySet()) {
      ClassNode preNode = classes.get(owner)[0];
      ClassNode postNode = classes.get(owner)[1];
      Set<String> preFields = fieldKeys(preNode);
      for (FieldNode f : postNode.fields) {
        String key = f.name + ":" + f.desc;
        if ((f.access & Opcodes.ACC_STATIC) == 0) {
          continue;
        }
        if (!preFields.contains(key)) {
          why.put(owner + "." + key, "added by the update");
        } else if (post.get(owner).assignedFields().contains(key)
            && !pre.get(owner).sliceText(key).equals(post.get(owner).sliceText(key))) {
          why.put(owner + "." + key, "its initializer changed");
        }
      }
    }
    classes.forEach(
        (owner, pair) -> {
          String values = addedConstantsValues(pair);
          if (values != null) {
            why.put(owner + "." + values, "the enum adds constants, which values() lists");
          }
        });
    Map<String, String> triggered = new LinkedHashMap<>(); // owner.field -> field key
    boolean grew = true;
    while (grew) {
      grew = false;
      for (String owner : classes.keySet()) {
        StaticInitializerSlices slices = post.get(owner);
        for (String key : slices.assignedFields()) {
          String id = owner + "." + key;
          if (why.containsKey(id) || isEnumConstant(classes.get(owner)[1], key)) {
            continue;
          }
          String trigger = trigger(owner, slices, key, why.keySet(), calls, checks);
          if (trigger != null) {
            why.put(id, trigger);
            triggered.put(id, key);
            grew = true;
          }
        }
      }
    }
    // Judged once every field that needs a new value is known: reading one of them is no object.
    triggered.forEach(
        (id, key) -> {
          String owner = id.substring(0, id.length() - key.length() - 1);
          if (builtOnlyByChangedConstructors(
              post.get(owner), key, calls, beyondConstructors, why.keySet())) {
            heldObjects.add(id);
          }
        });
    Map<String, ClassState> out = new LinkedHashMap<>();
    for (String owner : classes.keySet()) {
      out.put(
          owner, decide(owner, classes.get(owner), post.get(owner), why, heldObjects, sideEffects));
    }
    return out;
  }

  private static ClassState decide(
      String owner,
      ClassNode[] pair,
      StaticInitializerSlices slices,
      Map<String, String> why,
      Set<String> heldObjects,
      SideEffectCheck sideEffects) {
    List<Decision> decisions = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    Set<Statement> statements = new HashSet<>();
    Set<String> preFields = fieldKeys(pair[0]);
    for (FieldNode f : pair[1].fields) {
      String key = f.name + ":" + f.desc;
      String reason = why.get(owner + "." + key);
      if (reason == null || (f.access & Opcodes.ACC_STATIC) == 0) {
        continue;
      }
      String field = dotted(owner) + "." + f.name;
      if (key.equals(addedConstantsValues(pair))) {
        // Only reads of the constants, loaded and added, and array stores: nothing to check.
        decisions.add(new Decision(owner, key, Strategy.ENUM_VALUES, reason));
        statements.addAll(slices.slice(key));
        continue;
      }
      if (isEnumConstant(pair[1], key) && preFields.contains(key)) {
        notes.add("enum constant " + field + " is kept as the running JVM has it");
        continue;
      }
      List<Statement> slice = slices.slice(key);
      List<AbstractInsnNode> code = instructions(slices, slice);
      MethodNode clinit = slices.clinit();
      Optional<String> effect =
          clinit == null ? sideEffects.check(owner, code) : sideEffects.check(owner, code, clinit);
      boolean added = !preFields.contains(key);
      if (added) {
        decisions.add(new Decision(owner, key, Strategy.ADDED, reason));
        statements.addAll(slice);
        effect.ifPresent(
            e ->
                notes.add(
                    "computing the added field "
                        + field
                        + " "
                        + e
                        + "; it runs once, when the update's code first uses the field"));
      } else if (effect.isPresent() && heldObjects.contains(owner + "." + key)) {
        notes.add(
            field
                + " holds an object built by a constructor the update changes ("
                + reason
                + "); computing a new one "
                + effect.get()
                + ", so it is kept: it is one of the objects of that class looked for at apply");
      } else if (effect.isPresent()) {
        decisions.add(new Decision(owner, key, Strategy.HOOK, reason));
        notes.add(
            field
                + " needs a new value ("
                + reason
                + "), but computing it "
                + effect.get()
                + "; jsplice will not re-run that: a hook must set it");
      } else if ((f.access & Opcodes.ACC_FINAL) != 0) {
        decisions.add(new Decision(owner, key, Strategy.REDIRECT_AND_MERGE, reason));
        String kept = keptOutside(pair[1], f);
        if (kept != null) {
          notes.add(field + " " + kept);
        }
        statements.addAll(slice);
      } else {
        decisions.add(new Decision(owner, key, Strategy.ASSIGN, reason));
        statements.addAll(slice);
      }
    }
    List<Statement> ordered = slices.statements().stream().filter(statements::contains).toList();
    return new ClassState(decisions, ordered, slices, notes);
  }

  /**
   * Why code outside the release keeps the old value of a final static field the update gives a new
   * one, or null. The agent merges the new value into the object the field holds, so that every
   * holder sees it; a final class of the JDK that is no collection (a {@code Pattern}, a {@code
   * String}, a boxed number) cannot take another value in place, and the field cannot be
   * reassigned, so only the update's code, which reads the companion's cell, gets the new one. That
   * is all the code that reads a field only the release can name; a public field of a public class
   * (or a protected one of a class that can be extended) can be read by the program too, which
   * keeps the old value (commons-io 2.14.0's {@code XmlStreamReader.ENCODING_PATTERN}).
   */
  static String keptOutside(ClassNode owner, FieldNode f) {
    if (f.value != null || !f.desc.startsWith("L")) {
      return null; // a compile-time constant (copied into its readers), an array or a primitive
    }
    boolean publicClass = (classAccess(owner) & Opcodes.ACC_PUBLIC) != 0;
    boolean extendable = (classAccess(owner) & Opcodes.ACC_FINAL) == 0;
    boolean readable =
        publicClass
            && ((f.access & Opcodes.ACC_PUBLIC) != 0
                || ((f.access & Opcodes.ACC_PROTECTED) != 0 && extendable));
    String type = f.desc.substring(1, f.desc.length() - 1).replace('/', '.');
    if (!readable || !unmergeableJdkType(type)) {
      return null;
    }
    return "holds a "
        + type
        + ", which cannot take the fixed release's value in place, and code outside the release"
        + " can read the "
        + ((f.access & Opcodes.ACC_PUBLIC) != 0 ? "public" : "protected")
        + " field: where the new value differs from the one it holds, such code (the program's"
        + " own included) keeps the old one, and apply names the field as not in force";
  }

  /** A class's access as its users see it: a nested class's from its inner-class entry. */
  private static int classAccess(ClassNode c) {
    for (org.objectweb.asm.tree.InnerClassNode inner : c.innerClasses) {
      if (inner.name.equals(c.name)) {
        return inner.access;
      }
    }
    return c.access;
  }

  /** A final class of the JDK that is neither a collection nor a map (the agent merges those). */
  private static boolean unmergeableJdkType(String type) {
    Class<?> c;
    try {
      c = Class.forName(type, false, ClassLoader.getPlatformClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return false; // the library's own type: the agent copies a new object's fields into it
    }
    return java.lang.reflect.Modifier.isFinal(c.getModifiers())
        && !java.util.Collection.class.isAssignableFrom(c)
        && !java.util.Map.class.isAssignableFrom(c);
  }

  /**
   * Whether the field's slice reaches changed code only through constructors it calls: the value is
   * an object built by changed constructor code, nothing else the slice runs changed, and it reads
   * no other field that needs a new value (a logger it reads is no part of what changed).
   */
  private static boolean builtOnlyByChangedConstructors(
      StaticInitializerSlices slices,
      String key,
      CallGraph calls,
      CallGraph beyondConstructors,
      Set<String> needNewValues) {
    boolean throughConstructor = false;
    for (AbstractInsnNode insn : instructions(slices, slices.slice(key))) {
      if (insn instanceof FieldInsnNode f
          && f.getOpcode() == Opcodes.GETSTATIC
          && needNewValues.contains(f.owner + "." + f.name + ":" + f.desc)) {
        return false; // computed from another field that changes: judged as that field is
      }
      if (insn instanceof MethodInsnNode m) {
        if (beyondConstructors.reachesChange(m.owner, m.name, m.desc)) {
          return false;
        }
        throughConstructor |=
            m.name.equals("<init>") && calls.reachesChange(m.owner, m.name, m.desc);
      }
    }
    return throughConstructor;
  }

  /** Why a field not itself changed needs a new value; null if it does not. */
  private static String trigger(
      String owner,
      StaticInitializerSlices slices,
      String key,
      Set<String> recomputed,
      CallGraph calls,
      GuardCalls checks) {
    for (AbstractInsnNode insn : instructions(slices, slices.slice(key))) {
      if (insn instanceof FieldInsnNode f && f.getOpcode() == Opcodes.GETSTATIC) {
        String read = f.owner + "." + f.name + ":" + f.desc;
        if (recomputed.contains(read)) {
          return "it is computed from " + dotted(f.owner) + "." + f.name + ", which changes";
        }
      } else if (insn instanceof MethodInsnNode m && !checks.isCheck(slices.clinit(), m)) {
        if (calls.reachesChange(m.owner, m.name, m.desc)) {
          return "it is built by "
              + dotted(m.owner)
              + "."
              + m.name
              + ", which runs code the update changes";
        }
        for (String read : calls.staticReads(m.owner, m.name, m.desc)) {
          if (recomputed.contains(read)) {
            return "it is built by "
                + dotted(m.owner)
                + "."
                + m.name
                + ", which reads "
                + dotted(read.substring(0, read.indexOf(':')))
                + ", which changes";
          }
        }
      }
    }
    return null;
  }

  static List<AbstractInsnNode> instructions(
      StaticInitializerSlices slices, List<Statement> slice) {
    List<AbstractInsnNode> out = new ArrayList<>();
    for (Statement s : slice) {
      for (int i = s.start(); i < s.end(); i++) {
        out.add(slices.clinit().instructions.get(i));
      }
    }
    return out;
  }

  /**
   * The key of the array of an enum's constants (javac's {@code $VALUES}, the Eclipse compiler's
   * {@code ENUM$VALUES}: the static synthetic field of the enum's array type) when the fixed class
   * adds constants and both versions have it; null otherwise.
   */
  static String addedConstantsValues(ClassNode[] pair) {
    ClassNode pre = pair[0];
    ClassNode post = pair[1];
    if ((post.access & Opcodes.ACC_ENUM) == 0
        || SchemaComparison.enumConstants(post).stream()
            .allMatch(SchemaComparison.enumConstants(pre)::contains)) {
      return null;
    }
    String desc = "[L" + post.name + ";";
    int flags = Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC;
    Set<String> preFields = fieldKeys(pre);
    return post.fields.stream()
        .filter(f -> f.desc.equals(desc) && (f.access & flags) == flags)
        .map(f -> f.name + ":" + f.desc)
        .filter(preFields::contains)
        .findFirst()
        .orElse(null);
  }

  private static boolean isEnumConstant(ClassNode node, String key) {
    if ((node.access & Opcodes.ACC_ENUM) == 0) {
      return false;
    }
    String name = key.substring(0, key.indexOf(':'));
    return name.equals("$VALUES")
        || node.fields.stream()
            .anyMatch(f -> f.name.equals(name) && (f.access & Opcodes.ACC_ENUM) != 0);
  }

  private static Set<String> fieldKeys(ClassNode node) {
    Set<String> keys = new TreeSet<>();
    node.fields.forEach(f -> keys.add(f.name + ":" + f.desc));
    return keys;
  }

  static String dotted(String internal) {
    return internal.replace('/', '.');
  }
}
