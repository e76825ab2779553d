package io.jsplice.create.live;

import io.jsplice.bootstrap.ConstructorCall;
import io.jsplice.create.live.ConstructorSites.Kind;
import io.jsplice.create.live.ConstructorSites.Site;
import io.jsplice.create.live.LoweredConstructors.Carrier;
import io.jsplice.create.live.LoweredConstructors.Lowered;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Builds objects of a class the update adds whose superclass constructor it may not call in the
 * running JVM: javac let it call a private constructor of its host (as a nestmate, or through an
 * accessor constructor the loaded host lacks), which a class defined live cannot.
 *
 * <p>Each constructor {@code S(args)} of such a class becomes a static factory {@code S.new$N(args,
 * Class concrete)}: it computes the arguments of the superclass constructor the way the constructor
 * did (its code before the super call may only load parameters and constants, and store them into
 * the class's own fields), has that constructor run on a new object of {@code concrete} as
 * serialization does ({@link ConstructorCall#allocate}), and then runs the rest of the constructor,
 * moved to the private instance method {@code init$N}. A {@code this(...)} call or a superclass
 * that is itself built by factories chains to that class's factory. The class's instance fields
 * lose {@code final} (the rest of the constructor, a method now, assigns them); nothing relied on
 * it, the class being new.
 */
final class ConstructorFactories {
  private static final String CALL = Type.getInternalName(ConstructorCall.class);

  private ConstructorFactories() {}

  /** The parts of one constructor: what it stores before its delegate call, and that call. */
  record Parsed(
      List<AbstractInsnNode[]> deferred, List<AbstractInsnNode> arguments, Site delegate) {}

  /** Null if every constructor of {@code node} can become a factory; else why not. */
  static String whyNot(ClassNode node, InstalledWorld world) {
    for (MethodNode m : node.methods) {
      if (!m.name.equals("<init>")) {
        continue;
      }
      Object parsed = parse(node, m);
      if (parsed instanceof String why) {
        return node.name.replace('/', '.')
            + "'s constructor "
            + m.desc
            + " cannot be rebuilt as a factory (it must be, as its superclass's constructor is out"
            + " of its reach in the running JVM): "
            + why;
      }
    }
    return null;
  }

  /**
   * Adds a factory and an {@code init$N} method per constructor to a factory-built class, and drops
   * {@code final} from its instance fields.
   */
  static void build(ClassNode node, InstalledWorld world) {
    for (FieldNode f : node.fields) {
      if ((f.access & Opcodes.ACC_STATIC) == 0) {
        f.access &= ~Opcodes.ACC_FINAL;
      }
    }
    List<MethodNode> added = new ArrayList<>();
    for (MethodNode ctor : node.methods) {
      if (ctor.name.equals("<init>")) {
        Parsed parsed = (Parsed) parse(node, ctor);
        added.add(rest(node, ctor, parsed, world));
        added.add(factory(node, ctor, parsed, world));
      }
    }
    for (MethodNode ctor : node.methods) {
      if (ctor.name.equals("<init>")) {
        refuseDirectUse(node, ctor);
      }
    }
    node.methods.addAll(added);
  }

  /**
   * Replaces a constructor's code by a throw: its super call could not link in the running JVM, and
   * every {@code new} of the update goes through the factories. Only reflection reaches it.
   */
  private static void refuseDirectUse(ClassNode node, MethodNode ctor) {
    ctor.instructions.clear();
    ctor.tryCatchBlocks.clear();
    ctor.localVariables = null;
    ctor.visitTypeInsn(Opcodes.NEW, "java/lang/UnsupportedOperationException");
    ctor.visitInsn(Opcodes.DUP);
    ctor.visitLdcInsn(
        "jsplice: objects of "
            + node.name.replace('/', '.')
            + " are built by its factory "
            + "methods new$N while a live update is applied");
    ctor.visitMethodInsn(
        Opcodes.INVOKESPECIAL,
        "java/lang/UnsupportedOperationException",
        "<init>",
        "(Ljava/lang/String;)V",
        false);
    ctor.visitInsn(Opcodes.ATHROW);
    ctor.maxStack = 3;
  }

  /** A {@link Parsed}, or why the constructor cannot become a factory. */
  static Object parse(ClassNode node, MethodNode ctor) {
    Site delegate = null;
    for (Site site : ConstructorSites.of(node.name, ctor)) {
      if (site.kind() == Kind.SUPER_OR_THIS) {
        delegate = site;
        break;
      }
    }
    if (delegate == null) {
      return "its super call could not be found";
    }
    int at = ctor.instructions.indexOf(delegate.call());
    for (TryCatchBlockNode block : ctor.tryCatchBlocks) {
      if (ctor.instructions.indexOf(block.start) < at) {
        return "its super call is inside a try block";
      }
    }
    List<AbstractInsnNode> code = new ArrayList<>();
    for (int i = 0; i < at; i++) {
      AbstractInsnNode insn = ctor.instructions.get(i);
      if (!(insn instanceof LabelNode
          || insn instanceof LineNumberNode
          || insn instanceof FrameNode)) {
        code.add(insn);
      }
    }
    List<AbstractInsnNode[]> deferred = new ArrayList<>();
    int i = 0;
    while (i + 2 < code.size()
        && isThis(code.get(i))
        && isSimplePush(code.get(i + 1))
        && code.get(i + 2) instanceof FieldInsnNode f
        && f.getOpcode() == Opcodes.PUTFIELD
        && f.owner.equals(node.name)) {
      deferred.add(new AbstractInsnNode[] {code.get(i + 1), code.get(i + 2)});
      i += 3;
    }
    if (i >= code.size() || !isThis(code.get(i))) {
      return "its code before the super call does more than load parameters and constants";
    }
    List<AbstractInsnNode> arguments = code.subList(i + 1, code.size());
    if (arguments.size() != Type.getArgumentTypes(delegate.call().desc).length
        || !arguments.stream().allMatch(ConstructorFactories::isSimplePush)) {
      return "its code before the super call does more than load parameters and constants";
    }
    return new Parsed(deferred, new ArrayList<>(arguments), delegate);
  }

  private static boolean isThis(AbstractInsnNode insn) {
    return insn instanceof VarInsnNode v && v.getOpcode() == Opcodes.ALOAD && v.var == 0;
  }

  private static boolean isSimplePush(AbstractInsnNode insn) {
    if (insn instanceof VarInsnNode v) {
      return v.var > 0 && v.getOpcode() >= Opcodes.ILOAD && v.getOpcode() <= Opcodes.ALOAD;
    }
    if (insn instanceof LdcInsnNode || insn instanceof IntInsnNode) {
      return insn.getOpcode() != Opcodes.NEWARRAY;
    }
    int op = insn.getOpcode();
    return op >= Opcodes.ACONST_NULL && op <= Opcodes.DCONST_1;
  }

  /** The constructor's code after its delegate call, as the private method {@code init$N}. */
  private static MethodNode rest(
      ClassNode node, MethodNode ctor, Parsed parsed, InstalledWorld world) {
    MethodNode rest =
        new MethodNode(
            Opcodes.ACC_PRIVATE | Opcodes.ACC_SYNTHETIC,
            world.constructors.restName(node.name, ctor.desc),
            ctor.desc,
            null,
            ctor.exceptions.toArray(String[]::new));
    Map<LabelNode, LabelNode> labels = new HashMap<>();
    for (AbstractInsnNode insn : ctor.instructions) {
      if (insn instanceof LabelNode label) {
        labels.put(label, new LabelNode());
      }
    }
    int at = ctor.instructions.indexOf(parsed.delegate().call());
    for (int i = at + 1; i < ctor.instructions.size(); i++) {
      AbstractInsnNode insn = ctor.instructions.get(i);
      if (!(insn instanceof FrameNode)) {
        rest.instructions.add(insn.clone(labels));
      }
    }
    for (TryCatchBlockNode block : ctor.tryCatchBlocks) {
      rest.tryCatchBlocks.add(
          new TryCatchBlockNode(
              labels.get(block.start),
              labels.get(block.end),
              labels.get(block.handler),
              block.type));
    }
    rest.maxLocals = ctor.maxLocals;
    rest.maxStack = ctor.maxStack;
    return rest;
  }

  /** The static factory {@code new$N(args, Class concrete)} for one constructor. */
  private static MethodNode factory(
      ClassNode node, MethodNode ctor, Parsed parsed, InstalledWorld world) {
    LoweredConstructors plan = world.constructors;
    MethodNode f =
        new MethodNode(
            Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC,
            plan.factoryName(node.name, ctor.desc),
            plan.factoryDescriptor(node.name, ctor.desc),
            null,
            ctor.exceptions.toArray(String[]::new));
    int concrete = Type.getArgumentsAndReturnSizes(ctor.desc) >> 2; // after the params (no this)
    concrete -= 1;
    int object = concrete + 1;
    MethodInsnNode call = parsed.delegate().call();
    Type[] targetArgs = Type.getArgumentTypes(call.desc);
    if (call.owner.equals(node.name) || plan.isFactoryBuilt(call.owner)) {
      pushArguments(f, parsed.arguments());
      f.visitVarInsn(Opcodes.ALOAD, concrete);
      f.visitMethodInsn(
          Opcodes.INVOKESTATIC,
          call.owner,
          plan.factoryName(call.owner, call.desc),
          plan.factoryDescriptor(call.owner, call.desc),
          false);
    } else {
      Lowered lowered = plan.lowered(call.owner, call.desc);
      String runs = call.desc;
      boolean neutral = false;
      if (lowered != null) {
        pushArguments(f, parsed.arguments());
        f.visitMethodInsn(
            Opcodes.INVOKESTATIC,
            lowered.companion(),
            lowered.requestName(),
            lowered.requestDescriptor(),
            false);
        Carrier carrier = plan.carrier(call.owner);
        runs = carrier.descriptor();
        neutral = true;
      }
      f.visitVarInsn(Opcodes.ALOAD, concrete);
      f.visitLdcInsn(Type.getObjectType(call.owner));
      Type[] runArgs = Type.getArgumentTypes(runs);
      f.instructions.add(ConstructorLowering.push(runArgs.length));
      f.visitTypeInsn(Opcodes.ANEWARRAY, "java/lang/Class");
      for (int k = 0; k < runArgs.length; k++) {
        f.visitInsn(Opcodes.DUP);
        f.instructions.add(ConstructorLowering.push(k));
        pushClass(f, runArgs[k]);
        f.visitInsn(Opcodes.AASTORE);
      }
      f.instructions.add(ConstructorLowering.push(runArgs.length));
      f.visitTypeInsn(Opcodes.ANEWARRAY, "java/lang/Object");
      for (int k = 0; k < runArgs.length; k++) {
        f.visitInsn(Opcodes.DUP);
        f.instructions.add(ConstructorLowering.push(k));
        if (neutral) {
          Boxing.pushDefault(f, runArgs[k]);
        } else {
          f.instructions.add(shifted(parsed.arguments().get(k)));
        }
        Boxing.box(f, runArgs[k]);
        f.visitInsn(Opcodes.AASTORE);
      }
      f.visitMethodInsn(
          Opcodes.INVOKESTATIC,
          CALL,
          "allocate",
          "(Ljava/lang/Class;Ljava/lang/Class;[Ljava/lang/Class;[Ljava/lang/Object;)Ljava/lang/Object;",
          false);
    }
    f.visitTypeInsn(Opcodes.CHECKCAST, node.name);
    f.visitVarInsn(Opcodes.ASTORE, object);
    for (AbstractInsnNode[] store : parsed.deferred()) {
      f.visitVarInsn(Opcodes.ALOAD, object);
      f.instructions.add(shifted(store[0]));
      f.instructions.add(store[1].clone(Map.of()));
    }
    f.visitVarInsn(Opcodes.ALOAD, object);
    int slot = 0;
    for (Type t : Type.getArgumentTypes(ctor.desc)) {
      f.visitVarInsn(t.getOpcode(Opcodes.ILOAD), slot);
      slot += t.getSize();
    }
    f.visitMethodInsn(
        Opcodes.INVOKESPECIAL, node.name, plan.restName(node.name, ctor.desc), ctor.desc, false);
    f.visitVarInsn(Opcodes.ALOAD, object);
    f.visitInsn(Opcodes.ARETURN);
    f.visitMaxs(0, 0);
    return f;
  }

  static void pushArguments(MethodNode f, List<AbstractInsnNode> arguments) {
    for (AbstractInsnNode a : arguments) {
      f.instructions.add(shifted(a));
    }
  }

  /** A push of the constructor, for the static factory: parameter slots move down by one. */
  static AbstractInsnNode shifted(AbstractInsnNode push) {
    AbstractInsnNode copy = push.clone(Map.of());
    if (copy instanceof VarInsnNode v) {
      v.var -= 1;
    }
    return copy;
  }

  private static void pushClass(MethodNode f, Type t) {
    if (t.getSort() == Type.OBJECT || t.getSort() == Type.ARRAY) {
      f.visitLdcInsn(t);
      return;
    }
    String wrapper =
        switch (t.getSort()) {
          case Type.BOOLEAN -> "java/lang/Boolean";
          case Type.BYTE -> "java/lang/Byte";
          case Type.CHAR -> "java/lang/Character";
          case Type.SHORT -> "java/lang/Short";
          case Type.INT -> "java/lang/Integer";
          case Type.LONG -> "java/lang/Long";
          case Type.FLOAT -> "java/lang/Float";
          default -> "java/lang/Double";
        };
    f.visitFieldInsn(Opcodes.GETSTATIC, wrapper, "TYPE", "Ljava/lang/Class;");
  }
}
