package io.jsplice.create.diff;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;

/** Access flags in words, and how two sets of them differ ("public -> private, final added"). */
final class AccessFlags {
  /** What the flags belong to: the same bit means different things on each. */
  enum Target {
    CLASS,
    /** A nested class's entry in the inner-class table: source-level modifiers. */
    INNER_CLASS,
    FIELD,
    METHOD
  }

  private static final int VISIBILITY =
      Opcodes.ACC_PUBLIC | Opcodes.ACC_PRIVATE | Opcodes.ACC_PROTECTED;

  private AccessFlags() {}

  /** Modifiers in source order, e.g. {@code public static final}; empty for none. */
  static String describe(int access, Target target) {
    List<String> words = new ArrayList<>();
    String visibility = visibility(access);
    if (!visibility.equals("package-private")) {
      words.add(visibility);
    }
    flags(target)
        .forEach(
            (bit, word) -> {
              if ((access & bit) != 0) {
                words.add(word);
              }
            });
    return String.join(" ", words);
  }

  /** e.g. {@code public -> private, final added, synchronized removed}; empty when equal. */
  static String change(int before, int after, Target target) {
    List<String> parts = new ArrayList<>();
    if ((before & VISIBILITY) != (after & VISIBILITY)) {
      parts.add(visibility(before) + " -> " + visibility(after));
    }
    flags(target)
        .forEach(
            (bit, word) -> {
              if ((before & bit) != (after & bit)) {
                parts.add(word + ((after & bit) != 0 ? " added" : " removed"));
              }
            });
    int known = VISIBILITY | flags(target).keySet().stream().reduce(0, (a, b) -> a | b);
    int ignored =
        target == Target.CLASS
            ? CanonicalForm.IGNORED_CLASS_ACCESS
            : CanonicalForm.IGNORED_MEMBER_ACCESS;
    int unknown = (before ^ after) & ~known & ~ignored;
    if (unknown != 0) {
      parts.add("flags 0x" + Integer.toHexString(unknown) + " changed");
    }
    return String.join(", ", parts);
  }

  private static String visibility(int access) {
    if ((access & Opcodes.ACC_PUBLIC) != 0) {
      return "public";
    } else if ((access & Opcodes.ACC_PROTECTED) != 0) {
      return "protected";
    } else if ((access & Opcodes.ACC_PRIVATE) != 0) {
      return "private";
    }
    return "package-private";
  }

  private static Map<Integer, String> flags(Target target) {
    Map<Integer, String> flags = new LinkedHashMap<>();
    switch (target) {
      case CLASS -> {
        flags.put(Opcodes.ACC_ABSTRACT, "abstract");
        flags.put(Opcodes.ACC_FINAL, "final");
        flags.put(Opcodes.ACC_INTERFACE, "interface");
        flags.put(Opcodes.ACC_ANNOTATION, "annotation");
        flags.put(Opcodes.ACC_ENUM, "enum");
        flags.put(Opcodes.ACC_RECORD, "record");
        flags.put(Opcodes.ACC_SYNTHETIC, "synthetic");
        flags.put(Opcodes.ACC_MODULE, "module");
      }
      case INNER_CLASS -> {
        flags.put(Opcodes.ACC_STATIC, "static");
        flags.put(Opcodes.ACC_ABSTRACT, "abstract");
        flags.put(Opcodes.ACC_FINAL, "final");
        flags.put(Opcodes.ACC_INTERFACE, "interface");
        flags.put(Opcodes.ACC_ANNOTATION, "annotation");
        flags.put(Opcodes.ACC_ENUM, "enum");
        flags.put(Opcodes.ACC_SYNTHETIC, "synthetic");
      }
      case FIELD -> {
        flags.put(Opcodes.ACC_STATIC, "static");
        flags.put(Opcodes.ACC_FINAL, "final");
        flags.put(Opcodes.ACC_VOLATILE, "volatile");
        flags.put(Opcodes.ACC_TRANSIENT, "transient");
        flags.put(Opcodes.ACC_ENUM, "enum");
        flags.put(Opcodes.ACC_SYNTHETIC, "synthetic");
      }
      case METHOD -> {
        flags.put(Opcodes.ACC_ABSTRACT, "abstract");
        flags.put(Opcodes.ACC_STATIC, "static");
        flags.put(Opcodes.ACC_FINAL, "final");
        flags.put(Opcodes.ACC_SYNCHRONIZED, "synchronized");
        flags.put(Opcodes.ACC_NATIVE, "native");
        flags.put(Opcodes.ACC_STRICT, "strictfp");
        flags.put(Opcodes.ACC_VARARGS, "varargs");
        flags.put(Opcodes.ACC_BRIDGE, "bridge");
        flags.put(Opcodes.ACC_SYNTHETIC, "synthetic");
      }
    }
    return flags;
  }
}
