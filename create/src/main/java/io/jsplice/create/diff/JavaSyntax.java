package io.jsplice.create.diff;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Type;

/**
 * Renders JVM names and descriptors the way a Java programmer writes them, for change details:
 * {@code boolean check(String, int)} rather than {@code check(Ljava/lang/String;I)Z}. {@code
 * java.lang} types lose their package; other classes keep it.
 */
final class JavaSyntax {
  private JavaSyntax() {}

  /** {@code p.Outer$1} for {@code p/Outer$1}. */
  static String className(String internalName) {
    return Renames.display(internalName).replace('/', '.');
  }

  /** {@code Outer$1} for {@code p/Outer$1}. */
  static String simpleName(String internalName) {
    String name = Renames.display(internalName);
    return name.substring(name.lastIndexOf('/') + 1);
  }

  static String type(Type type) {
    String name = Renames.display(type.getClassName());
    return name.startsWith("java.lang.") && name.indexOf('.', "java.lang.".length()) < 0
        ? name.substring("java.lang.".length())
        : name;
  }

  /** A field or return type from its descriptor. */
  static String type(String descriptor) {
    return type(Type.getType(descriptor));
  }

  /**
   * A method as declared: {@code boolean check(String, int)}, {@code Guard(int)} for a constructor,
   * {@code static initializer} for {@code <clinit>}.
   */
  static String method(String owner, String name, String descriptor) {
    if (name.equals("<clinit>")) {
      return "static initializer";
    }
    String parameters = parameters(descriptor);
    if (name.equals("<init>")) {
      return simpleName(owner) + parameters;
    }
    return type(Type.getReturnType(descriptor)) + " " + Renames.display(name) + parameters;
  }

  /** A method as referred to from elsewhere: {@code p.B.check(int)}. */
  static String methodReference(String owner, String name, String descriptor) {
    String shown = name.equals("<init>") ? simpleName(owner) : Renames.display(name);
    return className(owner) + "." + shown + parameters(descriptor);
  }

  /** A method's key ({@code name + desc}) as declared. */
  static String methodKey(String owner, String key) {
    int paren = key.indexOf('(');
    return method(owner, key.substring(0, paren), key.substring(paren));
  }

  private static String parameters(String descriptor) {
    List<String> parameters = new ArrayList<>();
    for (Type argument : Type.getArgumentTypes(descriptor)) {
      parameters.add(type(argument));
    }
    return "(" + String.join(", ", parameters) + ")";
  }

  /**
   * A constant as Java source writes it: {@code "dns"}, {@code 10L}, {@code 'x'}, {@code true}.
   *
   * @param descriptor the field's type, which says how an {@code int} constant is meant
   */
  static String literal(Object value, String descriptor) {
    if (value == null) {
      return "null";
    } else if (value instanceof String s) {
      return quote(s);
    } else if (value instanceof Long l) {
      return l + "L";
    } else if (value instanceof Float f) {
      return f + "f";
    } else if (value instanceof Integer i && descriptor.equals("Z")) {
      return i != 0 ? "true" : "false";
    } else if (value instanceof Integer i && descriptor.equals("C")) {
      return quote(String.valueOf((char) i.intValue())).replace('"', '\'');
    }
    return String.valueOf(value);
  }

  private static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    int shown = Math.min(s.length(), 60);
    for (int i = 0; i < shown; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append(shown < s.length() ? "...\"" : "\"").toString();
  }
}
