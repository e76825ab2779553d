package io.jsplice.cli.render;

import org.objectweb.asm.Type;

/** Turns JVM member keys ({@code name(desc)ret}, {@code name:desc}) into Java-like text. */
public final class MemberNames {
  private MemberNames() {}

  /** {@code lookup(Ljava/lang/String;)Ljava/lang/String;} becomes {@code String lookup(String)}. */
  public static String pretty(String member) {
    if (member == null) {
      return "";
    }
    try {
      int paren = member.indexOf('(');
      if (paren > 0) {
        String name = member.substring(0, paren);
        Type method = Type.getMethodType(member.substring(paren));
        StringBuilder out = new StringBuilder();
        if (!name.equals("<init>") && !name.equals("<clinit>")) {
          out.append(simple(method.getReturnType())).append(' ');
        }
        out.append(name).append('(');
        Type[] args = method.getArgumentTypes();
        for (int i = 0; i < args.length; i++) {
          out.append(i == 0 ? "" : ", ").append(simple(args[i]));
        }
        return out.append(')').toString();
      }
      int colon = member.indexOf(':');
      if (colon > 0) {
        return simple(Type.getType(member.substring(colon + 1))) + " " + member.substring(0, colon);
      }
    } catch (IllegalArgumentException | StringIndexOutOfBoundsException notADescriptor) {
      // Fall through: show it as it is.
    }
    return member;
  }

  static String simple(Type type) {
    String name = type.getClassName();
    int dot = name.lastIndexOf('.');
    return dot < 0 ? name : name.substring(dot + 1);
  }
}
