package io.jsplice.create.live;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The JDK's calls that use the default charset without naming it, and their forms that name it:
 * {@code new InputStreamReader(in)} decodes exactly as {@code new InputStreamReader(in,
 * Charset.defaultCharset())}, so in a JVM whose default charset is C it builds what {@code new
 * InputStreamReader(in, C)} builds. Each API here is one whose explicit form takes the same
 * arguments with the charset appended (by {@link java.nio.charset.Charset} or by name), and whose
 * documentation says the implicit form uses the default (platform) charset.
 *
 * <p>{@link #explicit} rewrites a class's implicit calls into explicit ones with a constant
 * charset, spelled as the fixed code spells it: two versions rewritten so compare equal where they
 * differ only in that charset, and then build the same objects in every JVM whose default charset
 * is that one.
 */
final class DefaultCharsetCalls {
  private DefaultCharsetCalls() {}

  private static final String CHARSET = "Ljava/nio/charset/Charset;";
  private static final String NAME = "Ljava/lang/String;";

  /** An implicit call: owner, name and descriptor; its explicit forms append a charset. */
  private record Implicit(String owner, String name, String desc) {
    String explicit(String charsetType) {
      int close = desc.indexOf(')');
      return desc.substring(0, close) + charsetType + desc.substring(close);
    }

    boolean namesCharsetByString() {
      // FileReader and FileWriter take a Charset only: their String forms are file names.
      return !owner.equals("java/io/FileReader") && !owner.equals("java/io/FileWriter");
    }
  }

  private static final List<Implicit> IMPLICIT =
      List.of(
          new Implicit("java/io/InputStreamReader", "<init>", "(Ljava/io/InputStream;)V"),
          new Implicit("java/io/OutputStreamWriter", "<init>", "(Ljava/io/OutputStream;)V"),
          new Implicit("java/lang/String", "<init>", "([B)V"),
          new Implicit("java/lang/String", "<init>", "([BII)V"),
          new Implicit("java/lang/String", "getBytes", "()[B"),
          new Implicit("java/util/Scanner", "<init>", "(Ljava/io/InputStream;)V"),
          new Implicit("java/io/ByteArrayOutputStream", "toString", "()Ljava/lang/String;"),
          new Implicit("java/io/FileReader", "<init>", "(Ljava/lang/String;)V"),
          new Implicit("java/io/FileReader", "<init>", "(Ljava/io/File;)V"),
          new Implicit("java/io/FileWriter", "<init>", "(Ljava/lang/String;)V"),
          new Implicit("java/io/FileWriter", "<init>", "(Ljava/io/File;)V"));

  /**
   * How the fixed code spells one constant charset: the instructions that push it as a {@link
   * java.nio.charset.Charset} (null when it never does) and as a name (null likewise).
   */
  record Spelling(InsnList asCharset, InsnList asName) {}

  /**
   * The constant charsets the class passes to the explicit forms, by canonical name (UTF-8), each
   * with its spelling: {@code StandardCharsets.UTF_8}, {@code Charset.forName("UTF-8")} or {@code
   * "UTF-8"}.
   */
  static Map<String, Spelling> constants(ClassNode node) {
    Map<String, Spelling> out = new LinkedHashMap<>();
    for (MethodNode m : node.methods) {
      for (AbstractInsnNode insn : m.instructions) {
        if (!(insn instanceof MethodInsnNode call) || explicitOf(call) == null) {
          continue;
        }
        boolean byName = call.desc.contains(NAME + ")");
        AbstractInsnNode last = previous(insn);
        String charset = null;
        InsnList push = new InsnList();
        if (!byName
            && last instanceof FieldInsnNode f
            && f.getOpcode() == Opcodes.GETSTATIC
            && f.owner.equals("java/nio/charset/StandardCharsets")
            && f.desc.equals(CHARSET)) {
          charset = f.name.replace('_', '-');
          push.add(new FieldInsnNode(f.getOpcode(), f.owner, f.name, f.desc));
        } else if (!byName
            && last instanceof MethodInsnNode forName
            && forName.getOpcode() == Opcodes.INVOKESTATIC
            && forName.owner.equals("java/nio/charset/Charset")
            && forName.name.equals("forName")
            && forName.desc.equals("(" + NAME + ")" + CHARSET)
            && previous(last) instanceof LdcInsnNode ldc
            && ldc.cst instanceof String name) {
          charset = name;
          push.add(new LdcInsnNode(name));
          push.add(
              new MethodInsnNode(
                  Opcodes.INVOKESTATIC, forName.owner, forName.name, forName.desc, false));
        } else if (byName && last instanceof LdcInsnNode ldc && ldc.cst instanceof String name) {
          charset = name;
          push.add(new LdcInsnNode(name));
        }
        String canonical = charset == null ? null : canonical(charset);
        if (canonical == null) {
          continue;
        }
        Spelling known = out.getOrDefault(canonical, new Spelling(null, null));
        out.put(
            canonical,
            byName
                ? new Spelling(known.asCharset(), known.asName() == null ? push : known.asName())
                : new Spelling(
                    known.asCharset() == null ? push : known.asCharset(), known.asName()));
      }
    }
    return out;
  }

  /**
   * A copy of the class whose implicit-charset calls name the charset as {@code spelling} does (by
   * name where the fixed code names it so for that call, else as a Charset). Equivalent to the
   * class in every JVM whose default charset is that one.
   */
  static ClassNode explicit(ClassNode node, Spelling spelling, Map<String, Boolean> byNameFor) {
    ClassNode copy = new ClassNode();
    node.accept(copy);
    for (MethodNode m : copy.methods) {
      boolean rewritten = false;
      for (AbstractInsnNode insn : m.instructions.toArray()) {
        if (!(insn instanceof MethodInsnNode call)) {
          continue;
        }
        Implicit implicit = implicit(call);
        if (implicit == null) {
          continue;
        }
        boolean byName =
            implicit.namesCharsetByString()
                && (spelling.asCharset() == null
                    || byNameFor.getOrDefault(key(implicit), false) && spelling.asName() != null);
        InsnList push = byName ? spelling.asName() : spelling.asCharset();
        if (push == null) {
          continue;
        }
        m.instructions.insertBefore(call, copy(push));
        call.desc = implicit.explicit(byName ? NAME : CHARSET);
        rewritten = true;
      }
      if (rewritten) {
        m.maxStack += 1; // at most one value more at a time: the charset, or its name
      }
    }
    return copy;
  }

  /** For each implicit call, whether the class names it by charset name in its explicit form. */
  static Map<String, Boolean> byName(ClassNode node) {
    Map<String, Boolean> out = new LinkedHashMap<>();
    for (MethodNode m : node.methods) {
      for (AbstractInsnNode insn : m.instructions) {
        if (insn instanceof MethodInsnNode call) {
          Implicit of = explicitOf(call);
          if (of != null) {
            out.merge(key(of), call.desc.contains(NAME + ")"), Boolean::logicalOr);
          }
        }
      }
    }
    return out;
  }

  private static String key(Implicit implicit) {
    return implicit.owner() + "." + implicit.name() + implicit.desc();
  }

  private static Implicit implicit(MethodInsnNode call) {
    for (Implicit i : IMPLICIT) {
      if (i.owner().equals(call.owner)
          && i.name().equals(call.name)
          && i.desc().equals(call.desc)) {
        return i;
      }
    }
    return null;
  }

  /** The implicit call whose explicit form this call is, or null. */
  private static Implicit explicitOf(MethodInsnNode call) {
    for (Implicit i : IMPLICIT) {
      if (i.owner().equals(call.owner)
          && i.name().equals(call.name)
          && (call.desc.equals(i.explicit(CHARSET))
              || i.namesCharsetByString() && call.desc.equals(i.explicit(NAME)))) {
        return i;
      }
    }
    return null;
  }

  private static AbstractInsnNode previous(AbstractInsnNode insn) {
    AbstractInsnNode p = insn == null ? null : insn.getPrevious();
    while (p != null && p.getOpcode() < 0) {
      p = p.getPrevious();
    }
    return p;
  }

  private static InsnList copy(InsnList list) {
    InsnList out = new InsnList();
    for (AbstractInsnNode insn : list) {
      out.add(insn.clone(Map.of()));
    }
    return out;
  }

  /** The charset's canonical name in the JVM that builds the update; null when it has none. */
  private static String canonical(String name) {
    try {
      return java.nio.charset.Charset.forName(name).name();
    } catch (IllegalArgumentException unknown) {
      return null;
    }
  }
}
