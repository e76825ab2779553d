package io.jsplice.model.fingerprint;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.Attribute;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.RecordComponentVisitor;
import org.objectweb.asm.Type;

/**
 * The normalized fingerprint of a class file: a SHA-256 over what the class <em>does</em>, the same
 * for every class file the JVM would run identically.
 *
 * <p>It ignores what does not change behaviour and what the JVM itself does not keep, so that a
 * class read back from a running JVM (HotSpot reconstitutes class files from its internal form when
 * an agent retransforms a class) fingerprints like the class file on disk:
 *
 * <ul>
 *   <li>debug information: source file, line numbers, local variable tables;
 *   <li>stack map frames (derived from the code);
 *   <li>constant pool layout and instruction encoding ({@code ldc} vs {@code ldc_w}, {@code
 *       goto_w}, {@code iload_0} vs {@code iload 0}): the digest is taken over ASM's abstract view;
 *   <li>the order of fields and methods (HotSpot may reorder methods);
 *   <li>invisible and type annotations, {@code Deprecated}, {@code ACC_SUPER}, and unknown
 *       attributes (HotSpot drops them), and labels that no branch refers to;
 *   <li>{@code EnclosingMethod} and {@code MethodParameters}: HotSpot keeps them for reflection
 *       ({@code Class.getEnclosingMethod}, parameter names) but does not write them back when it
 *       reconstitutes a class ({@code EnclosingMethod} on every JDK, {@code MethodParameters} on
 *       JDK 17), so a fingerprint that counted them could never match a class read back from a
 *       running JVM. They do not change what the code does.
 *   <li>the flags of a class initializer other than {@code ACC_STATIC} (and {@code ACC_STRICT}
 *       before Java 17): HotSpot ignores them (JVMS 4.6) and does not keep them, so Kotlin's {@code
 *       static synthetic <clinit>} (its {@code $WhenMappings} classes) reads back as {@code
 *       static}.
 * </ul>
 *
 * <p>Everything else counts: versions, flags, names, descriptors, generic signatures, hierarchy,
 * nest and record attributes, constant values, visible annotations, and every instruction with its
 * operands, exception handlers and stack sizes.
 *
 * <p>Thread-safe; each call works on its own state.
 */
public final class ClassFingerprint {
  /**
   * Class bits without behaviour: {@code ACC_SUPER} (implied since Java 8) and {@code Deprecated}.
   */
  private static final int IGNORED_CLASS_ACCESS = Opcodes.ACC_SUPER | Opcodes.ACC_DEPRECATED;

  /**
   * Member bits without behaviour. Not {@code ACC_SUPER}: its bit 0x20 is {@code ACC_SYNCHRONIZED}
   * on a method.
   */
  private static final int IGNORED_MEMBER_ACCESS = Opcodes.ACC_DEPRECATED;

  private ClassFingerprint() {}

  /**
   * A class initializer's flags as HotSpot keeps them (classFileParser): only {@code ACC_STATIC}
   * before version 51, and {@code ACC_STATIC} with {@code ACC_STRICT} up to version 60 (Java 16). A
   * method named {@code <clinit>} without {@code ACC_STATIC} is left as it is: from version 51 the
   * JVM refuses such a class.
   */
  static int initializerAccess(int major, int access) {
    if (major < Opcodes.V1_7) {
      return Opcodes.ACC_STATIC;
    }
    if ((access & Opcodes.ACC_STATIC) == 0) {
      return access;
    }
    return access & (Opcodes.ACC_STATIC | (major <= Opcodes.V16 ? Opcodes.ACC_STRICT : 0));
  }

  /** The fingerprint of {@code classFile} as 64 lower-case hex digits. */
  public static String of(byte[] classFile) {
    ClassReader reader;
    try {
      reader = new ClassReader(classFile);
    } catch (RuntimeException malformed) {
      throw new IllegalArgumentException("not a valid class file: " + malformed, malformed);
    }
    Canonicalizer canonical = new Canonicalizer();
    reader.accept(canonical, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    return canonical.digest();
  }

  /**
   * The fingerprint of each member of {@code classFile}, by the same rules as {@link #of}, keyed
   * {@code F<name>:<descriptor>} for fields and {@code M<name><descriptor>} for methods. Tells
   * which methods two versions of a class have in common, e.g. which ones another agent left alone.
   */
  public static java.util.Map<String, String> members(byte[] classFile) {
    ClassReader reader;
    try {
      reader = new ClassReader(classFile);
    } catch (RuntimeException malformed) {
      throw new IllegalArgumentException("not a valid class file: " + malformed, malformed);
    }
    Canonicalizer canonical = new Canonicalizer();
    reader.accept(canonical, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    return canonical.memberDigests();
  }

  /**
   * Writes a canonical stream of the class: header first, then members sorted by name and
   * descriptor. Members are buffered separately so that they can be sorted.
   */
  private static final class Canonicalizer extends ClassVisitor {
    private final Encoder header = new Encoder();

    /**
     * Members by key; a class, not {@code Comparator.comparing} and a lambda, whose classes a first
     * apply in a JVM the agent was just attached to would spin (issue 13).
     */
    private static final Comparator<Member> BY_KEY =
        new Comparator<>() {
          @Override
          public int compare(Member a, Member b) {
            return a.key.compareTo(b.key);
          }
        };

    private final List<Member> members = new ArrayList<>();
    private int major;

    Canonicalizer() {
      super(Opcodes.ASM9);
    }

    java.util.Map<String, String> memberDigests() {
      java.util.Map<String, String> out = new java.util.TreeMap<>();
      for (Member member : members) {
        out.put(member.key, sha256(member.encoder.bytes()));
      }
      return out;
    }

    private static String sha256(byte[] bytes) {
      try {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is required of every JVM", e);
      }
    }

    String digest() {
      members.sort(BY_KEY);
      try {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(header.bytes());
        for (Member member : members) {
          sha.update(member.encoder.bytes());
        }
        return HexFormat.of().formatHex(sha.digest());
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is required of every JVM", e);
      }
    }

    @Override
    public void visit(
        int version,
        int access,
        String name,
        String signature,
        String superName,
        String[] interfaces) {
      major = version & 0xFFFF;
      header.tag('C').i(version & 0xFFFF).i(access & ~IGNORED_CLASS_ACCESS).s(name).s(signature);
      header.s(superName).strings(interfaces);
    }

    @Override
    public void visitNestHost(String nestHost) {
      header.tag('H').s(nestHost);
    }

    @Override
    public void visitOuterClass(String owner, String name, String descriptor) {
      // EnclosingMethod: HotSpot keeps it but never writes it back when it reconstitutes a class.
    }

    @Override
    public void visitNestMember(String nestMember) {
      header.tag('N').s(nestMember);
    }

    @Override
    public void visitPermittedSubclass(String permittedSubclass) {
      header.tag('P').s(permittedSubclass);
    }

    @Override
    public void visitInnerClass(String name, String outerName, String innerName, int access) {
      header.tag('I').s(name).s(outerName).s(innerName).i(access);
    }

    @Override
    public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
      return visible ? new AnnotationEncoder(header.tag('A').s(descriptor)) : null;
    }

    @Override
    public RecordComponentVisitor visitRecordComponent(
        String name, String descriptor, String signature) {
      header.tag('R').s(name).s(descriptor).s(signature);
      return new RecordComponentVisitor(Opcodes.ASM9) {
        @Override
        public AnnotationVisitor visitAnnotation(String annotation, boolean visible) {
          return visible ? new AnnotationEncoder(header.tag('A').s(annotation)) : null;
        }
      };
    }

    @Override
    public void visitAttribute(Attribute attribute) {
      // Unknown attributes are not kept by the JVM.
    }

    @Override
    public FieldVisitor visitField(
        int access, String name, String descriptor, String signature, Object value) {
      Member member = new Member("F" + name + ":" + descriptor);
      members.add(member);
      Encoder out = member.encoder;
      // The JVM ignores a ConstantValue attribute on an instance field (JVMS 4.7.2) and drops it.
      Object constant = (access & Opcodes.ACC_STATIC) != 0 ? value : null;
      out.tag('F').i(access & ~IGNORED_MEMBER_ACCESS).s(name).s(descriptor).s(signature);
      out.constant(constant);
      return new FieldVisitor(Opcodes.ASM9) {
        @Override
        public AnnotationVisitor visitAnnotation(String annotation, boolean visible) {
          return visible ? new AnnotationEncoder(out.tag('A').s(annotation)) : null;
        }
      };
    }

    @Override
    public MethodVisitor visitMethod(
        int access, String name, String descriptor, String signature, String[] exceptions) {
      Member member = new Member("M" + name + descriptor);
      members.add(member);
      Encoder out = member.encoder;
      int kept = name.equals("<clinit>") ? initializerAccess(major, access) : access;
      out.tag('M').i(kept & ~IGNORED_MEMBER_ACCESS).s(name).s(descriptor).s(signature);
      out.strings(exceptions);
      return new CodeEncoder(out);
    }
  }

  private static final class Member {
    final String key;
    final Encoder encoder = new Encoder();

    Member(String key) {
      this.key = key;
    }
  }

  /**
   * Encodes a method's annotations and code. A branch target (jump, switch, exception handler
   * range) is encoded as its position, the number of instructions before it, resolved when the
   * method ends. So labels that nothing refers to leave no trace: ASM creates them at the offsets
   * of debug information and of type annotations inside code, which HotSpot drops and never
   * reconstitutes.
   */
  private static final class CodeEncoder extends MethodVisitor {
    private final Encoder out;
    private final Map<Label, Integer> positions = new IdentityHashMap<>();
    private final List<Label> targets = new ArrayList<>();
    private int instructions;

    CodeEncoder(Encoder out) {
      super(Opcodes.ASM9);
      this.out = out;
    }

    /** Writes an instruction's opcode and counts it. */
    private Encoder insn(int opcode) {
      instructions++;
      return out.op(opcode);
    }

    /** Notes a reference to {@code label}; its position is written at the end of the method. */
    private Encoder target(Encoder encoder, Label label) {
      targets.add(label);
      return encoder.tag('>');
    }

    @Override
    public AnnotationVisitor visitAnnotationDefault() {
      return new AnnotationEncoder(out.tag('d'));
    }

    @Override
    public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
      return visible ? new AnnotationEncoder(out.tag('A').s(descriptor)) : null;
    }

    @Override
    public AnnotationVisitor visitParameterAnnotation(
        int parameter, String descriptor, boolean visible) {
      return visible ? new AnnotationEncoder(out.tag('a').i(parameter).s(descriptor)) : null;
    }

    @Override
    public void visitAttribute(Attribute attribute) {}

    @Override
    public void visitInsn(int opcode) {
      insn(opcode);
    }

    @Override
    public void visitIntInsn(int opcode, int operand) {
      insn(opcode).i(operand);
    }

    @Override
    public void visitVarInsn(int opcode, int varIndex) {
      insn(opcode).i(varIndex);
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
      insn(opcode).s(type);
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
      insn(opcode).s(owner).s(name).s(descriptor);
    }

    @Override
    public void visitMethodInsn(
        int opcode, String owner, String name, String descriptor, boolean isInterface) {
      insn(opcode).s(owner).s(name).s(descriptor).i(isInterface ? 1 : 0);
    }

    @Override
    public void visitInvokeDynamicInsn(
        String name, String descriptor, Handle bootstrap, Object... arguments) {
      insn(Opcodes.INVOKEDYNAMIC).s(name).s(descriptor).constant(bootstrap);
      out.i(arguments.length);
      for (Object argument : arguments) {
        out.constant(argument);
      }
    }

    @Override
    public void visitJumpInsn(int opcode, Label target) {
      target(insn(opcode), target);
    }

    @Override
    public void visitLabel(Label label) {
      positions.putIfAbsent(label, instructions);
    }

    @Override
    public void visitLdcInsn(Object value) {
      insn(Opcodes.LDC).constant(value);
    }

    @Override
    public void visitIincInsn(int varIndex, int increment) {
      insn(Opcodes.IINC).i(varIndex).i(increment);
    }

    @Override
    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... targets) {
      target(insn(Opcodes.TABLESWITCH).i(min).i(max), dflt);
      for (Label target : targets) {
        target(out, target);
      }
    }

    @Override
    public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] targets) {
      target(insn(Opcodes.LOOKUPSWITCH), dflt).i(keys.length);
      for (int i = 0; i < keys.length; i++) {
        target(out.i(keys[i]), targets[i]);
      }
    }

    @Override
    public void visitMultiANewArrayInsn(String descriptor, int dimensions) {
      insn(Opcodes.MULTIANEWARRAY).s(descriptor).i(dimensions);
    }

    @Override
    public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
      target(target(target(out.tag('T'), start), end), handler).s(type);
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
      out.tag('X').i(maxStack).i(maxLocals);
    }

    @Override
    public void visitEnd() {
      out.tag('J').i(targets.size());
      for (Label label : targets) {
        out.i(positions.getOrDefault(label, -1));
      }
    }
  }

  private static final class AnnotationEncoder extends AnnotationVisitor {
    private final Encoder out;

    AnnotationEncoder(Encoder out) {
      super(Opcodes.ASM9);
      this.out = out;
    }

    @Override
    public void visit(String name, Object value) {
      out.tag('v').s(name);
      if (value.getClass().isArray()) {
        out.tag('[').s(value.getClass().getComponentType().getName());
        int length = java.lang.reflect.Array.getLength(value);
        out.i(length);
        for (int i = 0; i < length; i++) {
          out.constant(java.lang.reflect.Array.get(value, i));
        }
      } else {
        out.constant(value);
      }
    }

    @Override
    public void visitEnum(String name, String descriptor, String value) {
      out.tag('e').s(name).s(descriptor).s(value);
    }

    @Override
    public AnnotationVisitor visitAnnotation(String name, String descriptor) {
      out.tag('@').s(name).s(descriptor);
      return this;
    }

    @Override
    public AnnotationVisitor visitArray(String name) {
      out.tag('[').s(name);
      return this;
    }

    @Override
    public void visitEnd() {
      out.tag(';');
    }
  }

  /**
   * Length-prefixed, tagged primitives so that no two different streams encode alike: bytes, and
   * ints and longs big-endian, as {@link java.io.DataOutputStream} writes them, written straight
   * into the buffer (which cannot fail), not through lambdas: the agent fingerprints classes in an
   * apply, where each lambda's class would be spun at its first run.
   */
  private static final class Encoder {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);

    byte[] bytes() {
      return buffer.toByteArray();
    }

    Encoder tag(char c) {
      buffer.write(c);
      return this;
    }

    Encoder op(int opcode) {
      buffer.write('o');
      buffer.write(opcode);
      return this;
    }

    Encoder i(int value) {
      buffer.write(value >>> 24);
      buffer.write(value >>> 16);
      buffer.write(value >>> 8);
      buffer.write(value);
      return this;
    }

    private Encoder j(long value) {
      i((int) (value >>> 32));
      return i((int) value);
    }

    Encoder s(String value) {
      if (value == null) {
        buffer.write(0);
        return this;
      }
      buffer.write(1);
      byte[] utf = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      i(utf.length);
      buffer.writeBytes(utf);
      return this;
    }

    Encoder strings(String[] values) {
      i(values == null ? -1 : values.length);
      if (values != null) {
        for (String value : values) {
          s(value);
        }
      }
      return this;
    }

    Encoder constant(Object value) {
      if (value == null) {
        return tag('0');
      } else if (value instanceof String s) {
        return tag('s').s(s);
      } else if (value instanceof Integer v) {
        return tag('i').i(v);
      } else if (value instanceof Float v) {
        return tag('f').i(Float.floatToRawIntBits(v));
      } else if (value instanceof Long v) {
        return tag('j').j(v);
      } else if (value instanceof Double v) {
        return tag('d').j(Double.doubleToRawLongBits(v));
      } else if (value instanceof Type t) {
        return tag('t').s(t.getDescriptor());
      } else if (value instanceof Handle h) {
        return tag('h')
            .i(h.getTag())
            .s(h.getOwner())
            .s(h.getName())
            .s(h.getDesc())
            .i(h.isInterface() ? 1 : 0);
      } else if (value instanceof ConstantDynamic c) {
        tag('c').s(c.getName()).s(c.getDescriptor()).constant(c.getBootstrapMethod());
        i(c.getBootstrapMethodArgumentCount());
        for (int k = 0; k < c.getBootstrapMethodArgumentCount(); k++) {
          constant(c.getBootstrapMethodArgument(k));
        }
        return this;
      } else if (value instanceof Byte || value instanceof Short) {
        return tag('i').i(((Number) value).intValue());
      } else if (value instanceof Character c) {
        return tag('C').i(c);
      } else if (value instanceof Boolean b) {
        return tag('Z').i(b ? 1 : 0);
      }
      throw new IllegalArgumentException("unexpected constant " + value.getClass());
    }
  }
}
