package io.jsplice.create.live;

import static io.jsplice.create.live.LivePlanner.dotted;

import io.jsplice.model.StaleState;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Decides which objects built before the update may hold static state the update replaces: their
 * construction (the constructors and the methods of their class those run on the object) called an
 * accessor of static state, a method whose old version returns a static field (as it is, or through
 * {@code Collections.unmodifiable*}), and whose code the update changes. What the accessor returned
 * then is the old static state; the object may keep it, or a copy of it (a map of default lookups
 * copied into an interpolator), however unchanged its own code is. An accessor whose fixed version
 * returns the same field is left to the static state planner, which merges a new value into the
 * object the field holds. Recomputing or merging the static field reaches neither a copy nor an
 * object the accessor no longer returns, and what the object took from it cannot be told from the
 * bytecode: the objects are named as stale.
 *
 * <p>Only the old release's code matters here: the objects were built by it.
 */
final class StaticStateCopies {
  /** Changed accessors (owner.name+desc) to the static field (dotted owner.name) they returned. */
  private final Map<String, String> accessors = new LinkedHashMap<>();

  /**
   * @param pairs the modified classes, by internal name: their loaded and fixed versions
   * @param changedMethods the methods whose code the update changes, as owner.name+desc
   */
  StaticStateCopies(Map<String, ClassNode[]> pairs, Set<String> changedMethods) {
    pairs.forEach(
        (owner, pair) -> {
          for (MethodNode m : pair[0].methods) {
            String key = owner + "." + m.name + m.desc;
            String returned = returnedStaticField(m);
            if (returned != null
                && changedMethods.contains(key)
                && !returned.equals(returnedStaticField(pair[1], m.name + m.desc))) {
              accessors.put(key, returned);
            }
          }
        });
  }

  /** What the fixed version of a method returns, as {@link #returnedStaticField(MethodNode)}. */
  private static String returnedStaticField(ClassNode post, String method) {
    return post.methods.stream()
        .filter(m -> (m.name + m.desc).equals(method))
        .findFirst()
        .map(StaticStateCopies::returnedStaticField)
        .orElse(null);
  }

  /** Whether the update changes any accessor of static state (else no object took one). */
  boolean any() {
    return !accessors.isEmpty();
  }

  /**
   * The objects of {@code pre}'s class built before the update that may hold old static state, or
   * null when its construction calls no changed accessor of static state.
   */
  StaleState staleObjects(ClassNode pre) {
    if ((pre.access & (Opcodes.ACC_INTERFACE | Opcodes.ACC_ANNOTATION)) != 0
        || accessors.isEmpty()) {
      return null;
    }
    Set<String> took = new TreeSet<>();
    for (String method : SetupMethods.reachedFromConstructors(pre)) {
      MethodNode m =
          pre.methods.stream()
              .filter(x -> (x.name + x.desc).equals(method))
              .findFirst()
              .orElse(null);
      if (m == null) {
        continue;
      }
      for (AbstractInsnNode insn : m.instructions) {
        if (insn instanceof MethodInsnNode call) {
          String accessor = call.owner + "." + call.name + call.desc;
          String field = accessors.get(accessor);
          if (field != null) {
            took.add(dotted(call.owner) + "." + call.name + "() (old value: " + field + ")");
          }
        }
      }
    }
    if (took.isEmpty()) {
      return null;
    }
    return new StaleState(
        StaleState.Kind.OBJECTS,
        dotted(pre.name),
        null,
        "their construction took "
            + String.join(", ", took)
            + ", static state the update replaces: they may hold it, or a copy of it, which"
            + " neither the fixed code nor a new static value reaches");
  }

  /**
   * The static field (dotted owner.name) a method returns on every path, as it is or wrapped by
   * {@code Collections.unmodifiable*}; null when it returns anything else or is abstract.
   */
  static String returnedStaticField(MethodNode m) {
    String returned = null;
    boolean any = false;
    for (AbstractInsnNode insn : m.instructions) {
      if (insn.getOpcode() != Opcodes.ARETURN) {
        continue;
      }
      any = true;
      AbstractInsnNode value = previous(insn);
      if (value instanceof MethodInsnNode wrap
          && wrap.getOpcode() == Opcodes.INVOKESTATIC
          && wrap.owner.equals("java/util/Collections")
          && wrap.name.startsWith("unmodifiable")) {
        value = previous(wrap);
      }
      if (!(value instanceof FieldInsnNode f) || f.getOpcode() != Opcodes.GETSTATIC) {
        return null;
      }
      String field = dotted(f.owner) + "." + f.name;
      if (returned != null && !returned.equals(field)) {
        return null;
      }
      returned = field;
    }
    return any ? returned : null;
  }

  /** The instruction before {@code insn}, skipping labels, line numbers and frames. */
  private static AbstractInsnNode previous(AbstractInsnNode insn) {
    AbstractInsnNode p = insn.getPrevious();
    while (p != null && p.getOpcode() < 0) {
      p = p.getPrevious();
    }
    return p;
  }
}
