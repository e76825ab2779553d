package io.jsplice.create.live;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * A constructor an update adds to a loaded class, for the one use a stock JVM can serve: the super
 * call of a class the update adds ({@code class RuntimeStrSubstitutor extends StrSubstitutor {
 * RuntimeStrSubstitutor(StrSubstitutor other) { super(other); } }}).
 *
 * <p>The added constructor {@code X(D)} is split into the constructor call it starts with and the
 * rest. The subclass calls an existing constructor of {@code X} instead, then the rest, which the
 * companion holds as {@code init$N(X self, D...)}:
 *
 * <ul>
 *   <li>if {@code X(D)} starts with {@code this(...)}, that existing constructor, with the same
 *       argument expressions (which must not branch);
 *   <li>if it starts with {@code super()} (no arguments), {@code X}'s existing no-argument
 *       constructor. Its body then runs before the rest: field initializers run twice, and the rest
 *       overwrites what the no-argument constructor set. The report says so.
 * </ul>
 *
 * The rest may not assign final fields: only a constructor of {@code X} may.
 */
final class ConstructorLowering {
  /**
   * A lowered constructor.
   *
   * @param delegateDescriptor the existing constructor of the host the subclass calls
   * @param prefix instructions that push the delegate's arguments (after {@code aload_0}), with the
   *     added constructor's parameters as locals 1..n; empty for {@code super()}
   * @param rest the remaining body, as a method with the added constructor's locals
   * @param viaNoArgs whether the no-argument constructor stands in for {@code super()}
   */
  record Lowered(
      String descriptor,
      String delegateDescriptor,
      InsnList prefix,
      MethodNode rest,
      boolean viaNoArgs) {}

  private ConstructorLowering() {}

  /**
   * @return the lowering, or the reason it is impossible
   */
  static Object lower(ClassNode pre, ClassNode post, MethodNode added) {
    int delegate = delegateCall(post.name, added);
    if (delegate < 0) {
      return "its first constructor call could not be found";
    }
    MethodInsnNode call = (MethodInsnNode) added.instructions.get(delegate);
    InsnList prefix = new InsnList();
    boolean viaNoArgs;
    String delegateDesc;
    if (call.owner.equals(post.name)) {
      delegateDesc = call.desc;
      if (pre.methods.stream()
          .noneMatch(m -> m.name.equals("<init>") && m.desc.equals(call.desc))) {
        return "it calls this" + call.desc + ", which the loaded class does not have";
      }
      Map<LabelNode, LabelNode> labels = new HashMap<>();
      boolean first = true;
      for (int i = 0; i < delegate; i++) {
        AbstractInsnNode insn = added.instructions.get(i);
        if (insn instanceof JumpInsnNode
            || insn instanceof TableSwitchInsnNode
            || insn instanceof LookupSwitchInsnNode) {
          return "the arguments of its this(...) call branch";
        }
        if (insn.getOpcode() < 0) {
          continue;
        }
        if (first && insn instanceof VarInsnNode v && v.var == 0) {
          first = false;
          continue; // the receiver; the caller's own aload_0 takes its place
        }
        prefix.add(insn.clone(labels));
      }
      viaNoArgs = false;
    } else {
      if (!call.desc.equals("()V")) {
        return "it calls super"
            + call.desc
            + " with arguments, which only the loaded class's"
            + " constructors could pass on";
      }
      boolean hasNoArgs =
          pre.methods.stream()
              .anyMatch(
                  m ->
                      m.name.equals("<init>")
                          && m.desc.equals("()V")
                          && (m.access & Opcodes.ACC_PRIVATE) == 0);
      if (!hasNoArgs) {
        return "the loaded class has no non-private no-argument constructor to build on";
      }
      delegateDesc = "()V";
      viaNoArgs = true;
    }
    for (int i = 0; i < added.tryCatchBlocks.size(); i++) {
      TryCatchBlockNode block = added.tryCatchBlocks.get(i);
      if (added.instructions.indexOf(block.start) < delegate) {
        return "its constructor call is inside a try block";
      }
    }
    MethodNode rest =
        new MethodNode(
            Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC,
            null,
            CompanionBuilder.withReceiver(post.name, added.desc),
            null,
            added.exceptions.toArray(String[]::new));
    Map<LabelNode, LabelNode> labels = new HashMap<>();
    for (AbstractInsnNode insn : added.instructions) {
      if (insn instanceof LabelNode label) {
        labels.put(label, new LabelNode());
      }
    }
    for (int i = delegate + 1; i < added.instructions.size(); i++) {
      AbstractInsnNode insn = added.instructions.get(i);
      if (insn instanceof FieldInsnNode f
          && f.getOpcode() == Opcodes.PUTFIELD
          && f.owner.equals(post.name)
          && isFinal(pre, f)) {
        return "it assigns the final field " + f.name + ", which only a constructor may";
      }
      if (insn.getOpcode() >= 0 || insn instanceof LabelNode) {
        rest.instructions.add(insn.clone(labels));
      }
    }
    for (TryCatchBlockNode block : added.tryCatchBlocks) {
      rest.tryCatchBlocks.add(
          new TryCatchBlockNode(
              labels.get(block.start),
              labels.get(block.end),
              labels.get(block.handler),
              block.type));
    }
    rest.maxLocals = added.maxLocals;
    rest.maxStack = added.maxStack;
    return new Lowered(added.desc, delegateDesc, prefix, rest, viaNoArgs);
  }

  /**
   * Rewrites the super calls of {@code subclass}'s constructors that target a lowered constructor
   * of {@code host}. The arguments are stored in fresh locals, the existing constructor is called,
   * then the rest of the added constructor from the companion.
   */
  static void rewriteSuperCalls(
      ClassNode subclass,
      String host,
      Map<String, Lowered> lowered,
      Map<String, String> initNames,
      String companion) {
    for (MethodNode ctor : subclass.methods) {
      if (!ctor.name.equals("<init>")) {
        continue;
      }
      for (AbstractInsnNode insn : ctor.instructions.toArray()) {
        if (insn instanceof MethodInsnNode call
            && call.getOpcode() == Opcodes.INVOKESPECIAL
            && call.owner.equals(host)
            && call.name.equals("<init>")
            && lowered.containsKey(call.desc)) {
          Lowered l = lowered.get(call.desc);
          ctor.instructions.insertBefore(
              call, replacement(ctor, host, l, initNames.get(call.desc), companion));
          ctor.instructions.remove(call);
        }
      }
    }
  }

  private static InsnList replacement(
      MethodNode ctor, String host, Lowered l, String initName, String companion) {
    Type[] args = Type.getArgumentTypes(l.descriptor());
    int base = ctor.maxLocals;
    int[] slots = new int[args.length];
    int next = base;
    for (int i = 0; i < args.length; i++) {
      slots[i] = next;
      next += args[i].getSize();
    }
    ctor.maxLocals = next;
    ctor.maxStack += next - base + 2;
    InsnList out = new InsnList();
    for (int i = args.length - 1; i >= 0; i--) {
      out.add(new VarInsnNode(args[i].getOpcode(Opcodes.ISTORE), slots[i]));
    }
    out.add(new InsnNode(Opcodes.POP)); // the uninitialized receiver; aload_0 pushes it again
    out.add(new VarInsnNode(Opcodes.ALOAD, 0));
    Map<LabelNode, LabelNode> labels = new HashMap<>();
    for (AbstractInsnNode insn : l.prefix()) {
      AbstractInsnNode copy = insn.clone(labels);
      if (copy instanceof VarInsnNode v) {
        v.var = remap(v.var, args, slots);
      }
      out.add(copy);
    }
    out.add(
        new MethodInsnNode(Opcodes.INVOKESPECIAL, host, "<init>", l.delegateDescriptor(), false));
    out.add(new VarInsnNode(Opcodes.ALOAD, 0));
    for (int i = 0; i < args.length; i++) {
      out.add(new VarInsnNode(args[i].getOpcode(Opcodes.ILOAD), slots[i]));
    }
    out.add(
        new MethodInsnNode(
            Opcodes.INVOKESTATIC,
            companion,
            initName,
            CompanionBuilder.withReceiver(host, l.descriptor()),
            false));
    return out;
  }

  /** Local {@code var} of the added constructor (1.. = parameters) in the caller's frame. */
  private static int remap(int var, Type[] args, int[] slots) {
    int slot = 1;
    for (int i = 0; i < args.length; i++) {
      if (var == slot) {
        return slots[i];
      }
      slot += args[i].getSize();
    }
    return var;
  }

  private static boolean isFinal(ClassNode pre, FieldInsnNode f) {
    return pre.fields.stream()
        .anyMatch(
            x ->
                x.name.equals(f.name)
                    && x.desc.equals(f.desc)
                    && (x.access & Opcodes.ACC_FINAL) != 0);
  }

  /** The index of the constructor call on the uninitialized receiver; -1 if none. */
  private static int delegateCall(String owner, MethodNode ctor) {
    int maxStack = ctor.maxStack;
    int maxLocals = ctor.maxLocals;
    ctor.maxStack = Math.max(maxStack, 1024);
    ctor.maxLocals = Math.max(maxLocals, 256);
    Frame<SourceValue>[] frames;
    try {
      frames = new Analyzer<>(new SourceInterpreter()).analyze(owner, ctor);
    } catch (AnalyzerException e) {
      return -1;
    } finally {
      ctor.maxStack = maxStack;
      ctor.maxLocals = maxLocals;
    }
    for (int i = 0; i < ctor.instructions.size(); i++) {
      if (ctor.instructions.get(i) instanceof MethodInsnNode m
          && m.getOpcode() == Opcodes.INVOKESPECIAL
          && m.name.equals("<init>")
          && frames[i] != null) {
        int args = Type.getArgumentTypes(m.desc).length;
        SourceValue receiver = frames[i].getStack(frames[i].getStackSize() - args - 1);
        if (receiver.insns.stream().allMatch(s -> s instanceof VarInsnNode v && v.var == 0)) {
          return i;
        }
      }
    }
    return -1;
  }

  /** Where the lowering stands in the planner's notes. */
  static List<String> notes(String host, Map<String, Lowered> lowered) {
    List<String> out = new ArrayList<>();
    lowered.forEach(
        (desc, l) ->
            out.add(
                "the added constructor "
                    + host.replace('/', '.')
                    + desc
                    + " runs, for the new subclasses that call it, as "
                    + (l.viaNoArgs()
                        ? "the existing no-argument constructor followed by its body (field initializers run twice)"
                        : "the existing constructor "
                            + l.delegateDescriptor()
                            + " followed by its body")));
    return out;
  }
}
