package io.jsplice.create.live;

import io.jsplice.bootstrap.MergedKinds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

/**
 * Builds the stand-in of a merged subclass ({@link MergedSubclasses}): a class of the same name
 * that extends {@code Object} and holds what the subclass had:
 *
 * <ul>
 *   <li>its static fields and methods, and its static initializer, as they are;
 *   <li>its instance fields as shadow fields keyed by the (final class's) object;
 *   <li>its instance methods as static methods taking the object first ({@code m$direct}, and
 *       {@code m}, which the rewritten callers use);
 *   <li>its constructors as factories {@code new$N(args, Class kind)} that build an object of the
 *       final class with the superclass constructor the subclass called, mark it with its kind, and
 *       run the rest of the constructor ({@code init$N}, static, the object first).
 * </ul>
 *
 * The stand-in is then written as a companion of the final class: its code is rewritten so that it
 * reaches the final class's private members through bridges, and the subclass as a type becomes the
 * final class ({@link KindRemapper}).
 */
final class StandIn {
  private static final String KINDS = Type.getInternalName(MergedKinds.class);

  private StandIn() {}

  /**
   * @param subclass the merged subclass as the fixed release has it (private members relaxed)
   * @return the stand-in, to be written as a companion
   */
  static ClassNode build(ClassNode subclass, InstalledWorld world) {
    String x = subclass.superName;
    CompanionBuilder builder = new CompanionBuilder(subclass.name, x, subclass.version);
    MethodNode clinit = null;
    for (FieldNode f : subclass.fields) {
      if ((f.access & Opcodes.ACC_STATIC) != 0) {
        builder.addStatic(f, true);
      } else {
        builder.addShadow(f, null);
      }
    }
    List<MethodNode> factories = new ArrayList<>();
    for (MethodNode m : subclass.methods) {
      if (m.name.equals("<clinit>")) {
        clinit = m;
      } else if (m.name.equals("<init>")) {
        ConstructorFactories.Parsed parsed =
            (ConstructorFactories.Parsed) ConstructorFactories.parse(subclass, m);
        factories.add(rest(subclass, m, parsed, world));
        factories.add(factory(subclass, m, parsed, world));
      } else {
        boolean instance = (m.access & Opcodes.ACC_STATIC) == 0;
        // A static method stays static in the stand-in, which has the subclass's name: its flag
        // locks the right class. An instance method becomes static: it locks the object itself.
        builder.addMethod(
            instance ? MonitorLowering.lockExplicitly(m, subclass.name) : m,
            m.name,
            instance,
            List.of());
      }
    }
    ClassNode out = builder.build();
    out.access = Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER | Opcodes.ACC_SYNTHETIC;
    out.innerClasses = new ArrayList<>(subclass.innerClasses);
    out.sourceFile = subclass.sourceFile;
    out.methods.addAll(factories);
    if (clinit != null) {
      appendStaticInitializer(out, clinit);
    }
    return out;
  }

  /** Runs the subclass's static initializer after the stand-in's own (its shadow fields). */
  private static void appendStaticInitializer(ClassNode out, MethodNode clinit) {
    MethodNode own =
        out.methods.stream().filter(m -> m.name.equals("<clinit>")).findFirst().orElse(null);
    if (own == null) {
      out.methods.add(clinit);
      return;
    }
    // Drop the stand-in's final return, then continue with the subclass's code.
    AbstractInsnNode last = own.instructions.getLast();
    while (last != null && last.getOpcode() != Opcodes.RETURN) {
      last = last.getPrevious();
    }
    own.instructions.remove(last);
    Map<LabelNode, LabelNode> labels = new HashMap<>();
    for (AbstractInsnNode insn : clinit.instructions) {
      if (insn instanceof LabelNode l) {
        labels.put(l, new LabelNode());
      }
    }
    for (AbstractInsnNode insn : clinit.instructions) {
      if (!(insn instanceof FrameNode)) {
        own.instructions.add(insn.clone(labels));
      }
    }
    for (TryCatchBlockNode b : clinit.tryCatchBlocks) {
      own.tryCatchBlocks.add(
          new TryCatchBlockNode(
              labels.get(b.start), labels.get(b.end), labels.get(b.handler), b.type));
    }
    own.maxLocals = Math.max(own.maxLocals, clinit.maxLocals);
    own.maxStack = Math.max(own.maxStack, clinit.maxStack);
  }

  /** The constructor's code after its super call, as {@code static init$N(X self, args)}. */
  private static MethodNode rest(
      ClassNode subclass,
      MethodNode ctor,
      ConstructorFactories.Parsed parsed,
      InstalledWorld world) {
    MethodNode rest =
        new MethodNode(
            Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC,
            world.constructors.restName(subclass.name, ctor.desc),
            CompanionBuilder.withReceiver(subclass.superName, ctor.desc),
            null,
            ctor.exceptions.toArray(String[]::new));
    Map<LabelNode, LabelNode> labels = new HashMap<>();
    for (AbstractInsnNode insn : ctor.instructions) {
      if (insn instanceof LabelNode l) {
        labels.put(l, new LabelNode());
      }
    }
    int at = ctor.instructions.indexOf(parsed.delegate().call());
    for (int i = at + 1; i < ctor.instructions.size(); i++) {
      AbstractInsnNode insn = ctor.instructions.get(i);
      if (!(insn instanceof FrameNode)) {
        rest.instructions.add(insn.clone(labels));
      }
    }
    for (TryCatchBlockNode b : ctor.tryCatchBlocks) {
      rest.tryCatchBlocks.add(
          new TryCatchBlockNode(
              labels.get(b.start), labels.get(b.end), labels.get(b.handler), b.type));
    }
    rest.maxLocals = ctor.maxLocals;
    rest.maxStack = ctor.maxStack;
    return rest;
  }

  /**
   * {@code static X new$N(args, Class kind)}: {@code new X(superArgs)} (or the factory of the
   * constructor a {@code this(...)} call names), marked with {@code kind}, then {@code init$N}.
   */
  private static MethodNode factory(
      ClassNode subclass,
      MethodNode ctor,
      ConstructorFactories.Parsed parsed,
      InstalledWorld world) {
    LoweredConstructors plan = world.constructors;
    String x = subclass.superName;
    MethodNode f =
        new MethodNode(
            Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC,
            plan.factoryName(subclass.name, ctor.desc),
            plan.factoryDescriptor(subclass.name, ctor.desc),
            null,
            ctor.exceptions.toArray(String[]::new));
    int kind = (Type.getArgumentsAndReturnSizes(ctor.desc) >> 2) - 1;
    int object = kind + 1;
    MethodInsnNode call = parsed.delegate().call();
    if (call.owner.equals(subclass.name)) {
      ConstructorFactories.pushArguments(f, parsed.arguments());
      f.visitVarInsn(Opcodes.ALOAD, kind);
      f.visitMethodInsn(
          Opcodes.INVOKESTATIC,
          subclass.name,
          plan.factoryName(subclass.name, call.desc),
          plan.factoryDescriptor(subclass.name, call.desc),
          false);
      f.visitVarInsn(Opcodes.ASTORE, object);
    } else {
      f.visitTypeInsn(Opcodes.NEW, x);
      f.visitInsn(Opcodes.DUP);
      ConstructorFactories.pushArguments(f, parsed.arguments());
      f.visitMethodInsn(Opcodes.INVOKESPECIAL, x, "<init>", call.desc, false);
      f.visitVarInsn(Opcodes.ASTORE, object);
      f.visitVarInsn(Opcodes.ALOAD, object);
      f.visitVarInsn(Opcodes.ALOAD, kind);
      f.visitMethodInsn(
          Opcodes.INVOKESTATIC, KINDS, "mark", "(Ljava/lang/Object;Ljava/lang/Class;)V", false);
    }
    for (var store : parsed.deferred()) {
      f.visitVarInsn(Opcodes.ALOAD, object);
      f.instructions.add(ConstructorFactories.shifted(store[0]));
      f.instructions.add(store[1].clone(Map.of()));
    }
    f.visitVarInsn(Opcodes.ALOAD, object);
    int slot = 0;
    for (Type t : Type.getArgumentTypes(ctor.desc)) {
      f.visitVarInsn(t.getOpcode(Opcodes.ILOAD), slot);
      slot += t.getSize();
    }
    f.visitMethodInsn(
        Opcodes.INVOKESTATIC,
        subclass.name,
        plan.restName(subclass.name, ctor.desc),
        CompanionBuilder.withReceiver(x, ctor.desc),
        false);
    f.visitVarInsn(Opcodes.ALOAD, object);
    f.visitInsn(Opcodes.ARETURN);
    f.visitMaxs(0, 0);
    return f;
  }
}
