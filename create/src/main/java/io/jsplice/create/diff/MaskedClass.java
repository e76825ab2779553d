package io.jsplice.create.diff;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.commons.ClassRemapper;
import org.objectweb.asm.commons.Remapper;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * A class's canonical text with every javac counter masked ({@code Outer$#}, {@code lambda$run$#}),
 * together with the counter-named things it refers to, in order.
 *
 * <p>Two classes (or methods) whose masked texts are equal differ at most in which numbered classes
 * and methods they name; comparing their {@link Member#references()} position by position says
 * which pairs of those must correspond for them to be the same code. This is how {@link
 * SyntheticMatcher} finds candidates and checks them against each other.
 *
 * <p>Immutable.
 */
final class MaskedClass {
  private final String name;
  private final String header;
  private final List<String> headerReferences;
  private final List<Member> members;

  /**
   * One field or method.
   *
   * @param key the member's own key in the unmasked class ({@code name + desc} for methods, {@code
   *     name:desc} for fields)
   * @param method whether it is a method
   * @param text masked canonical text, with the member's (masked) name
   * @param textWithoutName masked canonical text without the name (for methods)
   * @param references the numbered classes ({@code C} + internal name) and methods ({@code M} +
   *     owner + {@code .} + name + desc) it names, in order, its own name included
   */
  record Member(
      String key, boolean method, String text, String textWithoutName, List<String> references) {}

  private MaskedClass(
      String name, String header, List<String> headerReferences, List<Member> members) {
    this.name = name;
    this.header = header;
    this.headerReferences = headerReferences;
    this.members = members;
  }

  static MaskedClass of(ClassNode node) {
    Recorder recorder = new Recorder();
    ClassNode masked = new ClassNode();
    node.accept(new MemberBoundaries(masked, recorder));
    zeroDeserializationKeys(masked);
    List<List<String>> references = recorder.lists;
    List<Member> members = new ArrayList<>();
    for (int i = 0; i < node.fields.size(); i++) {
      String text = CanonicalForm.field(masked.fields.get(i));
      String key = node.fields.get(i).name + ':' + node.fields.get(i).desc;
      members.add(new Member(key, false, text, text, references.get(1 + i)));
    }
    for (int i = 0; i < node.methods.size(); i++) {
      MethodNode method = masked.methods.get(i);
      String key = node.methods.get(i).name + node.methods.get(i).desc;
      members.add(
          new Member(
              key,
              true,
              CanonicalForm.method(method, true),
              CanonicalForm.method(method, false),
              references.get(1 + node.fields.size() + i)));
    }
    // Canonical order; equal texts fall back to their references so that the order is total.
    members.sort(
        Comparator.comparing(Member::text).thenComparing(m -> String.join(" ", m.references())));
    return new MaskedClass(
        node.name, CanonicalForm.header(masked), references.get(0), List.copyOf(members));
  }

  String name() {
    return name;
  }

  List<Member> members() {
    return members;
  }

  /** The masked text of the whole class, members in canonical order. */
  String text() {
    StringBuilder out = new StringBuilder(header);
    members.forEach(m -> out.append('\n').append(m.text()));
    return out.toString();
  }

  /** The references of the whole class, in the order of {@link #text()}. */
  List<String> references() {
    List<String> all = new ArrayList<>(headerReferences);
    members.forEach(m -> all.addAll(m.references()));
    return all;
  }

  /**
   * The masked text of what a class looks like from outside: superclass, interfaces and the method
   * it was written in. Two numbered classes of the same name are taken for two versions of one
   * class only if these agree.
   */
  static String shape(ClassNode node) {
    return SyntheticNames.maskClass(String.valueOf(node.superName))
        + " "
        + node.interfaces.stream().map(SyntheticNames::maskClass).toList()
        + " in "
        + (node.outerMethod == null ? "" : SyntheticNames.maskMethod(node.outerMethod))
        + SyntheticNames.maskClass(String.valueOf(node.outerMethodDesc));
  }

  /**
   * Whether a field of {@code pre} has another type in {@code post} (counters masked): javac gives
   * an anonymous class a field per captured variable, so a fixed release that captures a value of
   * another type (commons-lang3 3.18.0's {@code ClassUtils$1}: a {@code MutableObject} became an
   * {@code AtomicReference}) makes a class the running JVM's cannot become: a loaded class keeps
   * its fields' types.
   */
  static boolean retypesAField(ClassNode pre, ClassNode post) {
    for (FieldNode field : post.fields) {
      for (FieldNode old : pre.fields) {
        if (old.name.equals(field.name)
            && !SyntheticNames.maskClass(old.desc).equals(SyntheticNames.maskClass(field.desc))) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * A {@code $deserializeLambda$} method switches on the hash codes of lambda method names; with
   * the names masked the keys mean nothing, so they are cleared.
   */
  private static void zeroDeserializationKeys(ClassNode masked) {
    for (MethodNode method : masked.methods) {
      if (SerializedLambdas.isDeserializer(method)) {
        for (AbstractInsnNode insn : method.instructions) {
          if (insn instanceof LookupSwitchInsnNode lookup) {
            lookup.keys.replaceAll(key -> 0);
          }
        }
      }
    }
  }

  /** Masks counters and records what it masked, one list per member (index 0: the header). */
  private static final class Recorder extends Remapper {
    final List<List<String>> lists = new ArrayList<>(List.of(new ArrayList<>()));

    Recorder() {
      super(Opcodes.ASM9);
    }

    void nextMember() {
      lists.add(new ArrayList<>());
    }

    private List<String> current() {
      return lists.get(lists.size() - 1);
    }

    @Override
    public String map(String internalName) {
      if (SyntheticNames.isNumberedClass(internalName)) {
        current().add("C" + internalName);
        return SyntheticNames.maskClass(internalName);
      }
      return internalName;
    }

    @Override
    public String mapMethodName(String owner, String name, String descriptor) {
      if (SyntheticNames.isNumberedMethod(name)) {
        current().add("M" + owner + '.' + name + descriptor);
        return SyntheticNames.maskMethod(name);
      }
      return name;
    }

    @Override
    public Object mapValue(Object value) {
      if (value instanceof String string) {
        // Strings name lambdas and their classes only in $deserializeLambda$; masking any other
        // string that happens to look alike only makes the candidate search coarser.
        return SyntheticNames.isNumberedMethod(string)
            ? SyntheticNames.maskMethod(string)
            : SyntheticNames.maskClass(string);
      }
      return super.mapValue(value);
    }
  }

  /** Starts a new reference list at each field and method. */
  private static final class MemberBoundaries extends ClassRemapper {
    private final Recorder recorder;

    MemberBoundaries(ClassVisitor next, Recorder recorder) {
      super(Opcodes.ASM9, next, recorder);
      this.recorder = recorder;
    }

    @Override
    public FieldVisitor visitField(
        int access, String name, String descriptor, String signature, Object value) {
      recorder.nextMember();
      return super.visitField(access, name, descriptor, signature, value);
    }

    @Override
    public MethodVisitor visitMethod(
        int access, String name, String descriptor, String signature, String[] exceptions) {
      recorder.nextMember();
      return super.visitMethod(access, name, descriptor, signature, exceptions);
    }
  }
}
