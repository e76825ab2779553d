package io.jsplice.create.diff;

import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The {@code $deserializeLambda$} method javac writes into a class with serializable lambdas. It
 * names lambda bodies by string and switches on the strings' hash codes, so renaming a lambda
 * changes its constants, not its logic.
 */
final class SerializedLambdas {
  static final String DESERIALIZER = "$deserializeLambda$";

  private SerializedLambdas() {}

  static boolean isDeserializer(MethodNode method) {
    return method.name.equals(DESERIALIZER)
        && method.desc.equals("(Ljava/lang/invoke/SerializedLambda;)Ljava/lang/Object;");
  }

  /**
   * Renames inside a deserializer: every string constant through {@code strings}, and every
   * lookup-switch key that is the hash code of a renamed string to the new string's hash code
   * (cases re-sorted by key, as the JVM requires).
   *
   * @param renamedStrings old string to new string, for the strings whose switch keys move
   */
  static void rename(
      MethodNode deserializer, UnaryOperator<String> strings, Map<String, String> renamedStrings) {
    Map<Integer, Integer> keys = new TreeMap<>();
    renamedStrings.forEach((from, to) -> keys.put(from.hashCode(), to.hashCode()));
    for (AbstractInsnNode insn : deserializer.instructions) {
      if (insn instanceof LdcInsnNode ldc && ldc.cst instanceof String string) {
        ldc.cst = strings.apply(string);
      } else if (insn instanceof LookupSwitchInsnNode lookup && !keys.isEmpty()) {
        Map<Integer, LabelNode> cases = new TreeMap<>();
        for (int i = 0; i < lookup.keys.size(); i++) {
          int key = lookup.keys.get(i);
          cases.put(keys.getOrDefault(key, key), lookup.labels.get(i));
        }
        lookup.keys.clear();
        lookup.keys.addAll(cases.keySet());
        lookup.labels.clear();
        lookup.labels.addAll(new ArrayList<>(cases.values()));
      }
    }
  }
}
