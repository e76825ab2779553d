package io.jsplice.create.live;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Finds the initializer of an instance field an update adds, so that objects built before the
 * update get the value their constructor would have given them instead of the JVM's default (a
 * limit of -1 "unlimited" must not read as 0 "nothing allowed").
 *
 * <p>javac copies a field initializer ({@code private long max = -1;}) into every constructor that
 * calls {@code super(...)}, right after that call, as {@code aload_0; <expression>; putfield}. The
 * initializer is usable when every such constructor has the same expression and the expression
 * reads nothing but {@code this} and constants: then it can run later, on an old object, as {@code
 * field$init(self)}.
 */
final class FieldInitializers {
  private FieldInitializers() {}

  /**
   * The descriptor the running JVM gives a field the fixed release references ({@link
   * InstalledWorld#loadedFieldDescriptor}): constructors that differ only in the type a retyped
   * field's store or load names do the same to the object.
   */
  @FunctionalInterface
  interface LoadedFields {
    /** Every reference keeps the descriptor it is written with. */
    LoadedFields AS_WRITTEN = (owner, name, desc) -> desc;

    String descriptor(String owner, String name, String desc);
  }

  /** The expression's instructions (without the leading aload_0 or the putfield); or null. */
  static InsnList initializer(ClassNode post, String fieldName, String fieldDesc) {
    List<String> texts = new ArrayList<>();
    InsnList found = null;
    for (MethodNode ctor : post.methods) {
      if (!ctor.name.equals("<init>") || delegatesToThis(post.name, ctor)) {
        continue;
      }
      InsnList expression = expressionFor(post.name, ctor, fieldName, fieldDesc);
      if (expression == null) {
        return null; // this constructor does not initialize it as a field initializer
      }
      StringBuilder text = new StringBuilder();
      InstructionText printer = new InstructionText();
      for (AbstractInsnNode insn : expression) {
        printer.append(insn, text);
      }
      texts.add(text.toString());
      if (found == null) {
        found = expression;
      }
    }
    if (found == null || texts.stream().distinct().count() != 1) {
      return null;
    }
    return found;
  }

  /**
   * What gives an added field its value on objects built before the update: its initializer, or the
   * conversion of the removed field it takes over from ({@link FieldSuccession}); null if neither.
   */
  static InsnList forOldObjects(ClassNode pre, ClassNode post, String fieldName, String fieldDesc) {
    InsnList initializer = initializer(post, fieldName, fieldDesc);
    return initializer != null
        ? initializer
        : FieldSuccession.expression(pre, post, fieldName, fieldDesc);
  }

  /**
   * As {@link #forOldObjects(ClassNode, ClassNode, String, String)}, or else the constant the
   * creation sites of the objects agree on ({@link CreationSites}); null if none.
   */
  static InsnList forOldObjects(
      SchemaComparison schema, ClassNode post, String fieldName, String fieldDesc) {
    InsnList found = forOldObjects(schema.pre, post, fieldName, fieldDesc);
    CreationSites.Derivation derived = schema.fromCreationSites.get(fieldName);
    return found != null || derived == null || derived.value() == null
        ? found
        : copy(derived.value());
  }

  /** A fresh copy: a shadow field's initializer is spliced into generated code, once per use. */
  private static InsnList copy(InsnList insns) {
    InsnList out = new InsnList();
    for (AbstractInsnNode insn : insns) {
      out.add(insn.clone(null));
    }
    return out;
  }

  /**
   * Whether the update changes constructors only in what objects built before it get otherwise: the
   * initializers of added fields ({@code initialized}), the stores of added fields that take over
   * from removed ones ({@code successions}), and old statements that make no difference once the
   * fixed code runs ({@link ConstructorStatements#idle}).
   *
   * @param writes whether a call ({@code owner.name+desc}) of the old release may write a field
   *     ({@code |name:desc})
   */
  static boolean onlyAddsInitializers(
      ClassNode pre,
      ClassNode post,
      java.util.Set<String> initialized,
      java.util.Set<String> successions,
      LoadedFields loaded,
      java.util.function.Predicate<String> writes) {
    boolean changed = false;
    for (MethodNode now : post.methods) {
      if (!now.name.equals("<init>")) {
        continue;
      }
      MethodNode old = sameConstructor(pre, now);
      if (old == null) {
        continue; // an added constructor builds only objects made after the update
      }
      java.util.Set<AbstractInsnNode> added = statements(post.name, now, initialized);
      added.addAll(copies(post.name, now, addedTo(pre, initialized)));
      for (String field : successions) {
        FieldNode f =
            post.fields.stream().filter(x -> x.name.equals(field)).findFirst().orElseThrow();
        int[] range = ConstructorStatements.straightLine(post.name, now, f.name, f.desc);
        if (range != null && !delegatesToThis(post.name, now)) {
          for (int i = range[0]; i <= range[1]; i++) {
            added.add(now.instructions.get(i));
          }
        }
      }
      java.util.Set<AbstractInsnNode> idle = ConstructorStatements.idle(pre, post, old, writes);
      changed |= !added.isEmpty() || !idle.isEmpty();
      if (!text(old, idle, LoadedFields.AS_WRITTEN).equals(text(now, added, loaded))) {
        return false;
      }
    }
    return changed;
  }

  /** Whether a constructor starts with {@code this(...)} (its field initializers run elsewhere). */
  private static boolean delegatesToThis(String owner, MethodNode ctor) {
    for (AbstractInsnNode insn : ctor.instructions) {
      if (insn instanceof MethodInsnNode m
          && m.getOpcode() == Opcodes.INVOKESPECIAL
          && m.name.equals("<init>")) {
        return m.owner.equals(owner);
      }
    }
    return false;
  }

  /**
   * Whether the update changes constructors only by adding initializers of the given added fields
   * (those whose {@link #initializer} was found): then objects built before the update lack nothing
   * the shadow fields do not give them on first use. Constructors are compared by instructions,
   * with the added statements {@code aload_0 <expression> putfield owner.field} taken out.
   */
  static boolean onlyAddsInitializers(
      ClassNode pre, ClassNode post, java.util.Set<String> fields, LoadedFields loaded) {
    return !fields.isEmpty()
        && differOnlyIn(pre, post, java.util.Set.of(), fields, loaded) == Boolean.TRUE;
  }

  /**
   * Compares the constructors of two versions of a class, each without the field initializer
   * statements ({@code aload_0 <expression> putfield owner.field}) of the given fields, and with
   * the new constructors' field references typed as the running JVM types them (a field the update
   * retypes keeps its old descriptor).
   *
   * @param preFields fields whose initializer statements are taken out of the old constructors
   * @param postFields fields whose initializer statements are taken out of the new constructors
   * @param loaded how the running JVM types the fields the new constructors reference
   * @return true when they are then the same and some statement was taken out of a new constructor,
   *     false when they are the same without any, null when they differ
   */
  static Boolean differOnlyIn(
      ClassNode pre,
      ClassNode post,
      java.util.Set<String> preFields,
      java.util.Set<String> postFields,
      LoadedFields loaded) {
    boolean changed = false;
    for (MethodNode now : post.methods) {
      if (!now.name.equals("<init>")) {
        continue;
      }
      MethodNode old = sameConstructor(pre, now);
      if (old == null) {
        continue; // an added constructor builds only objects made after the update
      }
      java.util.Set<AbstractInsnNode> added = statements(post.name, now, postFields);
      added.addAll(copies(post.name, now, addedTo(pre, postFields)));
      changed |= !added.isEmpty();
      String before = text(old, statements(pre.name, old, preFields), LoadedFields.AS_WRITTEN);
      if (!before.equals(text(now, added, loaded))) {
        return null;
      }
    }
    return changed;
  }

  /** The instructions of the initializer statements of the given fields in a constructor. */
  private static java.util.Set<AbstractInsnNode> statements(
      String owner, MethodNode ctor, java.util.Set<String> fields) {
    java.util.Set<AbstractInsnNode> out = new java.util.HashSet<>();
    if (delegatesToThis(owner, ctor)) {
      return out;
    }
    for (String field : fields) {
      int[] range = statementFor(owner, ctor, field);
      if (range != null) {
        for (int i = range[0]; i <= range[1]; i++) {
          out.add(ctor.instructions.get(i));
        }
      }
    }
    return out;
  }

  /** Of the given fields, those the old version of the class does not declare. */
  private static java.util.Set<String> addedTo(ClassNode pre, java.util.Set<String> fields) {
    java.util.Set<String> out = new java.util.HashSet<>(fields);
    pre.fields.forEach(f -> out.remove(f.name));
    return out;
  }

  /**
   * The statements {@code this.f = other.f;} of a constructor ({@code aload_0; aload n; getfield
   * owner.f; putfield owner.f}, from an empty operand stack) for an added field {@code f} with an
   * initializer, as a copy constructor carries a setting over from the object it starts from. Such
   * a statement gives an object built before the update what the initializer gives it: the object
   * it copied from was built before the update too, when no code could set {@code f}, so under the
   * fixed release it held the initializer's value as well (by induction over the objects built
   * before the update, each of which gets that value on first use). A copy from a null object
   * throws, which refuses the object: the old code built nothing the new code would not.
   */
  private static java.util.Set<AbstractInsnNode> copies(
      String owner, MethodNode ctor, java.util.Set<String> fields) {
    java.util.Set<AbstractInsnNode> out = new java.util.HashSet<>();
    if (fields.isEmpty()) {
      return out;
    }
    org.objectweb.asm.tree.analysis.Frame<org.objectweb.asm.tree.analysis.BasicValue>[] frames =
        frames(owner, ctor);
    if (frames == null) {
      return out;
    }
    InsnList insns = ctor.instructions;
    for (int i = 0; i < insns.size(); i++) {
      if (!(insns.get(i) instanceof VarInsnNode self)
          || self.getOpcode() != Opcodes.ALOAD
          || self.var != 0
          || frames[i] == null
          || frames[i].getStackSize() != 0) {
        continue;
      }
      List<Integer> at = new ArrayList<>();
      for (int k = i + 1; k < insns.size() && at.size() < 3; k++) {
        if (insns.get(k).getOpcode() >= 0) {
          at.add(k);
        }
      }
      if (at.size() == 3
          && insns.get(at.get(0)) instanceof VarInsnNode other
          && other.getOpcode() == Opcodes.ALOAD
          && insns.get(at.get(1)) instanceof FieldInsnNode read
          && read.getOpcode() == Opcodes.GETFIELD
          && insns.get(at.get(2)) instanceof FieldInsnNode write
          && write.getOpcode() == Opcodes.PUTFIELD
          && read.owner.equals(owner)
          && write.owner.equals(owner)
          && read.name.equals(write.name)
          && read.desc.equals(write.desc)
          && fields.contains(write.name)) {
        for (int k = i; k <= at.get(2); k++) {
          out.add(insns.get(k));
        }
      }
    }
    return out;
  }

  /**
   * A constructor's code as text, without the given instructions or labels nothing jumps to, its
   * field references typed by {@code loaded}.
   */
  private static String text(
      MethodNode method, java.util.Set<AbstractInsnNode> without, LoadedFields loaded) {
    java.util.Set<LabelNode> targets = new java.util.HashSet<>();
    for (AbstractInsnNode insn : method.instructions) {
      if (insn instanceof JumpInsnNode j) {
        targets.add(j.label);
      } else if (insn instanceof org.objectweb.asm.tree.TableSwitchInsnNode t) {
        targets.add(t.dflt);
        targets.addAll(t.labels);
      } else if (insn instanceof org.objectweb.asm.tree.LookupSwitchInsnNode l) {
        targets.add(l.dflt);
        targets.addAll(l.labels);
      }
    }
    for (var block : method.tryCatchBlocks) {
      targets.add(block.start);
      targets.add(block.end);
      targets.add(block.handler);
    }
    StringBuilder out = new StringBuilder();
    InstructionText printer = new InstructionText();
    for (AbstractInsnNode insn : method.instructions) {
      if (without.contains(insn) || insn instanceof LabelNode l && !targets.contains(l)) {
        continue;
      }
      if (insn instanceof FieldInsnNode f) {
        String desc = loaded.descriptor(f.owner, f.name, f.desc);
        printer.append(new FieldInsnNode(f.getOpcode(), f.owner, f.name, desc), out);
      } else {
        printer.append(insn, out);
      }
    }
    for (var block : method.tryCatchBlocks) {
      out.append("try ").append(block.type).append(' ');
      printer.append(block.start, out);
      printer.append(block.end, out);
      printer.append(block.handler, out);
    }
    return out.toString();
  }

  private static InsnList expressionFor(String owner, MethodNode ctor, String name, String desc) {
    int[] range = statementFor(owner, ctor, name);
    if (range == null
        || !(ctor.instructions.get(range[1]) instanceof FieldInsnNode f)
        || !f.desc.equals(desc)) {
      return null;
    }
    return selfContained(ctor.instructions, range[0] + 1, range[1]);
  }

  /**
   * The constructor's frames by value kind (each instruction's, null where unreachable); null when
   * its code cannot be analyzed (callers then find nothing in it).
   */
  private static org.objectweb.asm.tree.analysis.Frame<org.objectweb.asm.tree.analysis.BasicValue>[]
      frames(String owner, MethodNode ctor) {
    try {
      return new org.objectweb.asm.tree.analysis.Analyzer<>(
              new org.objectweb.asm.tree.analysis.BasicInterpreter())
          .analyze(owner, ctor);
    } catch (org.objectweb.asm.tree.analysis.AnalyzerException e) {
      return null;
    }
  }

  /**
   * Where a constructor initializes the field as a field initializer: the indexes of its {@code
   * aload_0} and its {@code putfield}; or null.
   */
  private static int[] statementFor(String owner, MethodNode ctor, String name) {
    InsnList insns = ctor.instructions;
    org.objectweb.asm.tree.analysis.Frame<org.objectweb.asm.tree.analysis.BasicValue>[] frames =
        frames(owner, ctor);
    if (frames == null) {
      return null;
    }
    int superCall = -1;
    for (int i = 0; i < insns.size(); i++) {
      if (insns.get(i) instanceof MethodInsnNode m
          && m.getOpcode() == Opcodes.INVOKESPECIAL
          && m.name.equals("<init>")) {
        superCall = i;
        break;
      }
    }
    if (superCall < 0) {
      return null;
    }
    // After the super call come the field initializers, one statement each:
    // aload_0 <expression> putfield owner.field. The first other statement ends them.
    int start = -1;
    for (int i = superCall + 1; i < insns.size(); i++) {
      AbstractInsnNode insn = insns.get(i);
      if (insn.getOpcode() < 0 || frames[i] == null) {
        continue;
      }
      if (start < 0) {
        if (frames[i].getStackSize() != 0
            || !(insn instanceof VarInsnNode v && v.getOpcode() == Opcodes.ALOAD && v.var == 0)) {
          return null;
        }
        start = i;
      } else if (insn instanceof FieldInsnNode f
          && f.getOpcode() == Opcodes.PUTFIELD
          && f.owner.equals(owner)
          && frames[i].getStackSize() == 2) {
        if (f.name.equals(name)) {
          return new int[] {start, i};
        }
        start = -1;
      } else if (frames[i].getStackSize() == 0) {
        return null; // a statement that is not a field initializer: the initializers are over
      }
    }
    return null;
  }

  /** A copy of [from, to) if it reads no local but {@code this} and has no control flow. */
  private static InsnList selfContained(InsnList insns, int from, int to) {
    InsnList copy = new InsnList();
    java.util.Map<LabelNode, LabelNode> labels = new java.util.HashMap<>();
    for (int i = from; i < to; i++) {
      AbstractInsnNode insn = insns.get(i);
      if (insn instanceof LabelNode label) {
        labels.put(label, new LabelNode());
      }
    }
    for (int i = from; i < to; i++) {
      AbstractInsnNode insn = insns.get(i);
      if (insn instanceof VarInsnNode v && v.var != 0
          || insn instanceof IincInsnNode
          || insn instanceof JumpInsnNode
          || insn.getOpcode() == Opcodes.TABLESWITCH
          || insn.getOpcode() == Opcodes.LOOKUPSWITCH) {
        return null;
      }
      if (insn.getOpcode() >= 0 || insn instanceof LabelNode) {
        copy.add(insn.clone(labels));
      }
    }
    return copy;
  }

  /** The constructor of {@code pre} with {@code now}'s descriptor, or null when it has none. */
  private static MethodNode sameConstructor(ClassNode pre, MethodNode now) {
    return pre.methods.stream()
        .filter(m -> m.name.equals("<init>") && m.desc.equals(now.desc))
        .findFirst()
        .orElse(null);
  }
}
