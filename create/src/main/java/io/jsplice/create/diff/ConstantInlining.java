package io.jsplice.create.diff;

import io.jsplice.model.Change;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    for (ConstantChange constant : constants) {
      List<String> places = new ArrayList<>();
      for (ClassPair pair : changed) {
        places.addAll(inlinedInto(constant, pair));
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

  private static List<String> inlinedInto(ConstantChange constant, ClassPair pair) {
    Map<String, MethodNode> after = new LinkedHashMap<>();
    pair.remapped().methods.forEach(m -> after.put(m.name + m.desc, m));
    List<String> places = new ArrayList<>();
    for (MethodNode old : pair.pre().methods) {
      MethodNode now = after.get(old.name + old.desc);
      if (now == null || !pushes(old, constant.oldValue())) {
        continue;
      }
      boolean replaced =
          constant.newValue() == null
              ? !pushes(now, constant.oldValue())
              : pushes(now, constant.newValue());
      if (replaced && !NormalizedCode.of(old).text().equals(NormalizedCode.of(now).text())) {
        places.add(JavaSyntax.methodReference(pair.pre().name, old.name, old.desc));
      }
    }
    return places;
  }

  /** Whether the method's code pushes {@code value} as javac pushes constants. */
  static boolean pushes(MethodNode method, Object value) {
    for (AbstractInsnNode insn : method.instructions) {
      if (pushes(insn, value)) {
        return true;
      }
    }
    return false;
  }

  private static boolean pushes(AbstractInsnNode insn, Object value) {
    int opcode = insn.getOpcode();
    if (insn instanceof LdcInsnNode ldc) {
      return sameConstant(ldc.cst, value)
          || value instanceof String s
              && s.length() >= MIN_SUBSTRING
              && ldc.cst instanceof String text
              && text.contains(s);
    }
    if (insn instanceof InvokeDynamicInsnNode indy && value instanceof String s) {
      for (Object argument : indy.bsmArgs) {
        if (argument instanceof String recipe
            && (recipe.equals(s) || s.length() >= MIN_SUBSTRING && recipe.contains(s))) {
          return true;
        }
      }
      return false;
    }
    if (value instanceof Integer i) {
      if (opcode >= Opcodes.ICONST_M1 && opcode <= Opcodes.ICONST_5) {
        return i == opcode - Opcodes.ICONST_0;
      }
      return (opcode == Opcodes.BIPUSH || opcode == Opcodes.SIPUSH)
          && ((IntInsnNode) insn).operand == i;
    }
    if (value instanceof Long l) {
      return (opcode == Opcodes.LCONST_0 && l == 0L) || (opcode == Opcodes.LCONST_1 && l == 1L);
    }
    if (value instanceof Float f) {
      return opcode >= Opcodes.FCONST_0
          && opcode <= Opcodes.FCONST_2
          && Float.floatToRawIntBits(f) == Float.floatToRawIntBits(opcode - Opcodes.FCONST_0);
    }
    if (value instanceof Double d) {
      return opcode >= Opcodes.DCONST_0
          && opcode <= Opcodes.DCONST_1
          && Double.doubleToRawLongBits(d) == Double.doubleToRawLongBits(opcode - Opcodes.DCONST_0);
    }
    return false;
  }

  private static boolean sameConstant(Object a, Object b) {
    return CanonicalForm.constant(a).equals(CanonicalForm.constant(b));
  }
}
