package io.jsplice.create.diff;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.InnerClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.RecordComponentNode;

/**
 * Canonical text of classes and members: equal text means the JVM would run them identically.
 *
 * <p>It sees what {@link io.jsplice.model.fingerprint.ClassFingerprint} sees, from a class read
 * with {@code SKIP_DEBUG | SKIP_FRAMES}: no debug information, frames, constant-pool layout, member
 * order, invisible annotations, {@code ACC_SUPER} on classes or {@code Deprecated}. It differs in
 * two lenient ways: branch targets are instruction indices ({@link NormalizedCode}), and the order
 * of the inner-class table does not count. So two classes with equal fingerprints have equal text.
 */
final class CanonicalForm {
  /** Class access bits without behaviour: {@code ACC_SUPER} and ASM's {@code Deprecated} bit. */
  static final int IGNORED_CLASS_ACCESS = Opcodes.ACC_SUPER | Opcodes.ACC_DEPRECATED;

  /**
   * Field and method access bits without behaviour: only {@code Deprecated}. The bit of {@code
   * ACC_SUPER} is {@code ACC_SYNCHRONIZED} on a method.
   */
  static final int IGNORED_MEMBER_ACCESS = Opcodes.ACC_DEPRECATED;

  private CanonicalForm() {}

  /** The whole class: header, then fields and methods each in key order. */
  static String ofClass(ClassNode node) {
    StringBuilder out = new StringBuilder(header(node));
    List<String> members = new ArrayList<>();
    node.fields.forEach(f -> members.add(field(f)));
    Collections.sort(members);
    List<String> methods = new ArrayList<>();
    node.methods.forEach(m -> methods.add(method(m, true)));
    Collections.sort(methods);
    members.addAll(methods);
    members.forEach(m -> out.append('\n').append(m));
    return out.toString();
  }

  /** Everything about a class but its members. */
  static String header(ClassNode node) {
    StringBuilder out = new StringBuilder();
    out.append("class ").append(node.version & 0xFFFF).append('.').append(node.version >>> 16);
    out.append(' ').append(node.access & ~IGNORED_CLASS_ACCESS).append(' ').append(node.name);
    out.append(" sig ").append(node.signature).append(" extends ").append(node.superName);
    out.append(" implements ").append(node.interfaces);
    out.append("\nnest ").append(node.nestHostClass).append(' ').append(node.nestMembers);
    out.append("\npermits ").append(node.permittedSubclasses);
    out.append("\nouter ").append(node.outerClass).append('.').append(node.outerMethod);
    out.append(node.outerMethodDesc);
    out.append("\ninner ").append(innerClasses(node));
    out.append("\n@ ").append(annotations(node.visibleAnnotations));
    if (node.recordComponents != null) {
      for (RecordComponentNode component : node.recordComponents) {
        out.append("\nrecord ").append(component.name).append(':').append(component.descriptor);
        out.append(" sig ").append(component.signature);
        out.append(" @ ").append(annotations(component.visibleAnnotations));
      }
    }
    return out.toString();
  }

  /** The inner-class table as a sorted set: its order does not change behaviour. */
  static TreeSet<String> innerClasses(ClassNode node) {
    TreeSet<String> entries = new TreeSet<>();
    for (InnerClassNode inner : node.innerClasses) {
      entries.add(
          inner.name + " in " + inner.outerName + " as " + inner.innerName + " " + inner.access);
    }
    return entries;
  }

  static String field(FieldNode field) {
    return "field "
        + field.name
        + ':'
        + field.desc
        + ' '
        + (field.access & ~IGNORED_MEMBER_ACCESS)
        + " sig "
        + field.signature
        + " = "
        + constant(field.value)
        + " @ "
        + annotations(field.visibleAnnotations);
  }

  /**
   * A method with everything the JVM keeps of it.
   *
   * @param withName false to leave the name out, for matching synthetic methods whose names were
   *     renumbered
   */
  static String method(MethodNode method, boolean withName) {
    StringBuilder out = new StringBuilder("method ");
    out.append(withName ? method.name : "").append(method.desc);
    out.append(' ').append(method.access & ~IGNORED_MEMBER_ACCESS);
    out.append(' ').append(metadata(method));
    out.append(" @ ").append(annotations(method));
    return out.append('\n').append(NormalizedCode.of(method).text()).toString();
  }

  /** The generic signature and {@code throws} clause. */
  static String metadata(MethodNode method) {
    return "sig " + method.signature + " throws " + method.exceptions;
  }

  /** Visible annotations of the method and its parameters, and an annotation default value. */
  static String annotations(MethodNode method) {
    StringBuilder out = new StringBuilder(annotations(method.visibleAnnotations));
    if (method.visibleParameterAnnotations != null) {
      for (int p = 0; p < method.visibleParameterAnnotations.length; p++) {
        out.append(" p").append(p).append(annotations(method.visibleParameterAnnotations[p]));
      }
    }
    if (method.annotationDefault != null) {
      out.append(" default ").append(value(method.annotationDefault));
    }
    return out.toString();
  }

  /** Annotations in order; null (none) renders like an empty list. */
  static String annotations(List<AnnotationNode> annotations) {
    if (annotations == null || annotations.isEmpty()) {
      return "[]";
    }
    List<String> texts = new ArrayList<>();
    annotations.forEach(a -> texts.add(annotation(a)));
    return texts.toString();
  }

  static String annotation(AnnotationNode annotation) {
    StringBuilder out = new StringBuilder("@").append(annotation.desc).append('(');
    if (annotation.values != null) {
      for (int i = 0; i < annotation.values.size(); i += 2) {
        out.append(i == 0 ? "" : ", ").append(annotation.values.get(i)).append('=');
        out.append(value(annotation.values.get(i + 1)));
      }
    }
    return out.append(')').toString();
  }

  private static String value(Object value) {
    if (value instanceof AnnotationNode nested) {
      return annotation(nested);
    } else if (value instanceof List<?> list) {
      List<String> items = new ArrayList<>();
      list.forEach(item -> items.add(value(item)));
      return items.toString();
    } else if (value instanceof String[] enumValue) {
      return "enum " + enumValue[0] + '.' + enumValue[1];
    }
    return constant(value);
  }

  /** A typed constant: no two different constants render alike. */
  static String constant(Object value) {
    if (value == null) {
      return "null";
    } else if (value instanceof String s) {
      return "S" + s.length() + ':' + s;
    } else if (value instanceof Integer i) {
      return "I" + i;
    } else if (value instanceof Long l) {
      return "J" + l;
    } else if (value instanceof Float f) {
      return "F" + Float.floatToRawIntBits(f);
    } else if (value instanceof Double d) {
      return "D" + Double.doubleToRawLongBits(d);
    } else if (value instanceof Type t) {
      return "T" + t.getDescriptor();
    } else if (value instanceof Handle h) {
      return "H"
          + h.getTag()
          + ' '
          + h.getOwner()
          + '.'
          + h.getName()
          + h.getDesc()
          + (h.isInterface() ? " itf" : "");
    } else if (value instanceof ConstantDynamic c) {
      StringBuilder out = new StringBuilder("C").append(c.getName()).append(c.getDescriptor());
      out.append(' ').append(constant(c.getBootstrapMethod()));
      for (int k = 0; k < c.getBootstrapMethodArgumentCount(); k++) {
        out.append(' ').append(constant(c.getBootstrapMethodArgument(k)));
      }
      return out.toString();
    } else if (value instanceof Character c) {
      return "c" + (int) c;
    } else if (value instanceof Boolean b) {
      return "Z" + b;
    } else if (value instanceof Byte || value instanceof Short) {
      return "I" + ((Number) value).intValue();
    }
    throw new IllegalArgumentException("unexpected constant " + value.getClass().getName());
  }
}
