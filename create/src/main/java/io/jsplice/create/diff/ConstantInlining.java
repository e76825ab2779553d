package io.jsplice.create.diff;

import io.jsplice.model.Change;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Finds where javac inlined the old value of a changed compile-time constant: a {@code static
 * final} primitive or String is copied into every method that reads it, in any class.
 *
 * <p>A method is named when its pre code pushes the old value, its post code pushes the new one
 * (or, for a field that stopped being a constant, no longer pushes the old one), and its code
 * changed. Best effort: small numbers such as 0 or 1 also match unrelated code that changed in the
 * same way; a String is also found inside a longer constant or a string-concatenation recipe when
 * it has at least four characters (javac folds {@code "prefix" + CONSTANT} into one constant);
 * inlining into classes outside the class set, or into classes that were not recompiled, cannot be
 * seen.
 */
final class ConstantInlining {
  private static final int MAX_NAMED = 5;
  private static final int MIN_SUBSTRING = 4;

  private ConstantInlining() {}

  /**
   * @param changed the classes present in both versions whose code changed
   * @return for each constant change, the change with its detail naming where the old value was
   *     inlined; changes with no such place are left out
   */
  static Map<Change, Change> explain(List<ConstantChange> constants, List<ClassPair> changed) {
    Map<Change, Change> explained = new IdentityHashMap<>();
    if (constants.isEmpty()) {
      return explained;
    }
    List<ChangedMethod> methods = changedMethods(changed);
    for (ConstantChange constant : constants) {
      List<String> places = new ArrayList<>();
      for (ChangedMethod method : methods) {
        if (method.inlined(constant)) {
          places.add(method.where());
        }
      }
      if (!places.isEmpty()) {
        String named = String.join(", ", places.subList(0, Math.min(MAX_NAMED, places.size())));
        if (places.size() > MAX_NAMED) {
          named += " and " + (places.size() - MAX_NAMED) + " more";
        }
        Change change = constant.change();
        explained.put(
            change,
            new Change(
                change.kind(),
                change.member(),
                change.detail() + "; javac inlined the old value into " + named));
      }
    }
    return explained;
  }

  /**
   * A method in both versions whose code changed, named as Java refers to it, with the constants
   * each version pushes.
   */
  private record ChangedMethod(String where, Pushes pre, Pushes post) {
    boolean inlined(ConstantChange constant) {
      if (!pre.contains(constant.oldValue())) {
        return false;
      }
      return constant.newValue() == null
          ? !post.contains(constant.oldValue())
          : post.contains(constant.newValue());
    }
  }

  /** Every method whose code changed, indexed once for all constants. */
  private static List<ChangedMethod> changedMethods(List<ClassPair> changed) {
    List<ChangedMethod> methods = new ArrayList<>();
    for (ClassPair pair : changed) {
      Map<String, MethodNode> after = new LinkedHashMap<>();
      pair.remapped().methods.forEach(m -> after.put(m.name + m.desc, m));
      for (MethodNode old : pair.pre().methods) {
        MethodNode now = after.get(old.name + old.desc);
        if (now != null && !NormalizedCode.of(old).text().equals(NormalizedCode.of(now).text())) {
          String where = JavaSyntax.methodReference(pair.pre().name, old.name, old.desc);
          methods.add(new ChangedMethod(where, Pushes.of(old), Pushes.of(now)));
        }
      }
    }
    return methods;
  }

  /** The constants a method's code pushes, the way javac pushes an inlined constant. */
  private static final class Pushes {
    /** {@link CanonicalForm#constant} of each value pushed. */
    private final Set<String> constants = new HashSet<>();

    /** String constants and string-concatenation recipes, for substring search. */
    private final List<String> strings = new ArrayList<>();

    static Pushes of(MethodNode method) {
      Pushes pushes = new Pushes();
      for (AbstractInsnNode insn : method.instructions) {
        pushes.add(insn);
      }
      return pushes;
    }

    boolean contains(Object value) {
      if (constants.contains(CanonicalForm.constant(value))) {
        return true;
      }
      if (value instanceof String s && s.length() >= MIN_SUBSTRING) {
        for (String string : strings) {
          if (string.contains(s)) {
            return true;
          }
        }
      }
      return false;
    }

    private void add(AbstractInsnNode insn) {
      int opcode = insn.getOpcode();
      if (insn instanceof LdcInsnNode ldc) {
        constants.add(CanonicalForm.constant(ldc.cst));
        if (ldc.cst instanceof String string) {
          strings.add(string);
        }
      } else if (insn instanceof InvokeDynamicInsnNode indy) {
        for (Object argument : indy.bsmArgs) {
          if (argument instanceof String recipe) {
            constants.add(CanonicalForm.constant(recipe));
            strings.add(recipe);
          }
        }
      } else if (opcode >= Opcodes.ICONST_M1 && opcode <= Opcodes.ICONST_5) {
        constants.add(CanonicalForm.constant(opcode - Opcodes.ICONST_0));
      } else if (opcode == Opcodes.BIPUSH || opcode == Opcodes.SIPUSH) {
        constants.add(CanonicalForm.constant(((IntInsnNode) insn).operand));
      } else if (opcode == Opcodes.LCONST_0 || opcode == Opcodes.LCONST_1) {
        constants.add(CanonicalForm.constant((long) (opcode - Opcodes.LCONST_0)));
      } else if (opcode >= Opcodes.FCONST_0 && opcode <= Opcodes.FCONST_2) {
        constants.add(CanonicalForm.constant((float) (opcode - Opcodes.FCONST_0)));
      } else if (opcode == Opcodes.DCONST_0 || opcode == Opcodes.DCONST_1) {
        constants.add(CanonicalForm.constant((double) (opcode - Opcodes.DCONST_0)));
      }
    }
  }
}
