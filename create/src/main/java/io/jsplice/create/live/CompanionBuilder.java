package io.jsplice.create.live;

import io.jsplice.bootstrap.ShadowField;
import io.jsplice.create.live.StaticInitializerSlices.Statement;
import io.jsplice.create.live.StaticStatePlanner.Decision;
import io.jsplice.create.live.StaticStatePlanner.Strategy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

/**
 * Builds the companion of a patched class: the class, defined next to it in its class loader and
 * package, that holds what a stock JVM cannot add to a loaded class. Its members are public and
 * static; the code in them still reads as the host's (the receiver is the first argument), and
 * {@link CodeRewriter} later routes what only the host may touch through bridges.
 */
final class CompanionBuilder {
  private static final String SHADOW = Type.getInternalName(ShadowField.class);
  private static final String HOOK = Type.getInternalName(io.jsplice.bootstrap.UpdateHook.class);

  /** Set by the agent to the update's hook in this loader; read by shadow getters. */
  static final String HOOK_FIELD = "$hook";

  private final ClassNode node = new ClassNode();
  private final String host;
  private final MethodNode clinit;

  CompanionBuilder(String name, String host, int hostVersion) {
    this.host = host;
    node.visit(
        Math.max(hostVersion & 0xFFFF, Opcodes.V1_8),
        Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SYNTHETIC | Opcodes.ACC_SUPER,
        name,
        null,
        "java/lang/Object",
        null);
    clinit = new MethodNode(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
  }

  String name() {
    return node.name;
  }

  /**
   * A method added to the host, as a static method; an instance method takes the receiver first.
   *
   * @param staticName the name of a static method in the companion ({@link
   *     Companions#staticMethodName}); unused for an instance method
   */
  void addMethod(MethodNode added, String staticName, boolean instance, List<Dispatch> overriders) {
    String desc = instance ? withReceiver(host, added.desc) : added.desc;
    int flags =
        Opcodes.ACC_PUBLIC
            | Opcodes.ACC_STATIC
            | (added.access & (Opcodes.ACC_VARARGS | Opcodes.ACC_STRICT | Opcodes.ACC_SYNTHETIC));
    String[] exceptions = added.exceptions.toArray(String[]::new);
    String bodyName = instance ? Companions.directName(added.name) : staticName;
    MethodNode body = new MethodNode(flags, bodyName, desc, null, exceptions);
    if ((added.access & Opcodes.ACC_ABSTRACT) != 0) {
      // Reached for a receiver no implementation in the release covers: what the JVM would do.
      body.visitTypeInsn(Opcodes.NEW, "java/lang/AbstractMethodError");
      body.visitInsn(Opcodes.DUP);
      body.visitLdcInsn(host.replace('/', '.') + "." + added.name + added.desc);
      body.visitMethodInsn(
          Opcodes.INVOKESPECIAL,
          "java/lang/AbstractMethodError",
          "<init>",
          "(Ljava/lang/String;)V",
          false);
      body.visitInsn(Opcodes.ATHROW);
      body.visitMaxs(3, Type.getArgumentsAndReturnSizes(desc) >> 2);
    } else {
      added.accept(body);
    }
    body.access = flags;
    body.name = bodyName;
    body.desc = desc;
    body.signature = null;
    node.methods.add(body);
    if (instance) {
      node.methods.add(dispatcher(added.name, desc, flags, exceptions, overriders));
    }
  }

  /**
   * The body a dispatch host's method had before its prologue, as a static method taking the
   * receiver first: where the {@code super} calls of the overrides go ({@link HostDispatch}).
   */
  void addSuperBody(MethodNode original) {
    String desc = withReceiver(host, original.desc);
    int flags = Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC;
    MethodNode body =
        new MethodNode(
            flags,
            Companions.superName(original.name),
            desc,
            null,
            original.exceptions.toArray(String[]::new));
    original.accept(body);
    body.access = flags;
    body.name = Companions.superName(original.name);
    body.desc = desc;
    body.signature = null;
    node.methods.add(body);
  }

  /**
   * Where an overriding class's own implementation is reached from the dispatcher.
   *
   * @param owner the overriding class
   * @param companion its companion when its implementation moved there too; null if it is a real
   *     method of the class
   * @param isInterface whether {@code owner} is an interface
   */
  record Dispatch(String owner, String companion, boolean isInterface) {}

  private MethodNode dispatcher(
      String name, String desc, int flags, String[] exceptions, List<Dispatch> overriders) {
    MethodNode m = new MethodNode(flags, name, desc, null, exceptions);
    Type type = Type.getMethodType(desc);
    Type[] args = type.getArgumentTypes();
    for (Dispatch d : overriders) {
      Label next = new Label();
      m.visitVarInsn(Opcodes.ALOAD, 0);
      m.visitTypeInsn(Opcodes.INSTANCEOF, d.owner());
      m.visitJumpInsn(Opcodes.IFEQ, next);
      m.visitVarInsn(Opcodes.ALOAD, 0);
      m.visitTypeInsn(Opcodes.CHECKCAST, d.owner());
      loadArguments(m, args, 1);
      String tailDesc =
          Type.getMethodDescriptor(
              type.getReturnType(), java.util.Arrays.copyOfRange(args, 1, args.length));
      if (d.companion() != null) {
        m.visitMethodInsn(
            Opcodes.INVOKESTATIC, d.companion(), name, withReceiver(d.owner(), tailDesc), false);
      } else {
        m.visitMethodInsn(
            d.isInterface() ? Opcodes.INVOKEINTERFACE : Opcodes.INVOKEVIRTUAL,
            d.owner(),
            name,
            tailDesc,
            d.isInterface());
      }
      m.visitInsn(type.getReturnType().getOpcode(Opcodes.IRETURN));
      m.visitLabel(next);
    }
    loadArguments(m, args, 0);
    m.visitMethodInsn(Opcodes.INVOKESTATIC, node.name, Companions.directName(name), desc, false);
    m.visitInsn(type.getReturnType().getOpcode(Opcodes.IRETURN));
    m.visitMaxs(0, 0);
    return m;
  }

  /**
   * A method that asks the host's carrier for an added constructor ({@link ConstructorLowering}).
   */
  void addConstructorRequest(MethodNode request) {
    node.methods.add(request);
  }

  /** A static field the companion holds for the host (added, or recomputed). */
  void addStatic(FieldNode field, boolean keepFinal) {
    int flags =
        Opcodes.ACC_PUBLIC
            | Opcodes.ACC_STATIC
            | (keepFinal ? field.access & Opcodes.ACC_FINAL : 0)
            | (field.access & Opcodes.ACC_SYNTHETIC);
    node.fields.add(new FieldNode(flags, field.name, field.desc, field.signature, field.value));
  }

  /**
   * An instance field added to the host, kept in a {@link ShadowField}; with an initializer (the
   * constructor's field initializer) objects built before the update get that value on first read.
   *
   * @param initializer the expression computing the value from the receiver in local 0; may be null
   */
  void addShadow(FieldNode field, InsnList initializer) {
    String shadow = Companions.shadowName(field.name);
    if (node.fields.stream().noneMatch(f -> f.name.equals(HOOK_FIELD))) {
      node.fields.add(
          new FieldNode(
              Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_VOLATILE,
              HOOK_FIELD,
              "L" + HOOK + ";",
              null,
              null));
    }
    String label = host.replace('/', '.') + "." + field.name + ":" + field.desc;
    node.fields.add(
        new FieldNode(
            Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL,
            shadow,
            "L" + SHADOW + ";",
            null,
            null));
    clinit.visitTypeInsn(Opcodes.NEW, SHADOW);
    clinit.visitInsn(Opcodes.DUP);
    clinit.visitLdcInsn(label);
    clinit.visitMethodInsn(Opcodes.INVOKESPECIAL, SHADOW, "<init>", "(Ljava/lang/String;)V", false);
    clinit.visitFieldInsn(Opcodes.PUTSTATIC, node.name, shadow, "L" + SHADOW + ";");
    Type type = Type.getType(field.desc);
    if (initializer != null) {
      MethodNode init =
          new MethodNode(
              Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC,
              Companions.initializerName(field.name),
              "(L" + host + ";)" + field.desc,
              null,
              null);
      init.instructions.add(initializer);
      init.instructions.add(new InsnNode(type.getOpcode(Opcodes.IRETURN)));
      node.methods.add(init);
    }
    node.methods.add(getter(field, type, shadow, initializer != null));
    node.methods.add(setter(field, type, shadow));
  }

  /**
   * The old and new initial values of an instance field, as static methods without arguments
   * ({@link io.jsplice.model.InstanceAction#oldValueMethod}, {@link
   * io.jsplice.model.InstanceAction#newValueMethod}): the agent compares and merges them into
   * objects built before the update.
   *
   * @param newValue the new initializer expression, reading neither locals nor the object
   * @param oldValue the old one, likewise
   */
  void addInitialValues(String field, String desc, InsnList newValue, InsnList oldValue) {
    Type type = Type.getType(desc);
    for (boolean fresh : new boolean[] {true, false}) {
      MethodNode m =
          new MethodNode(
              Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC,
              fresh
                  ? io.jsplice.model.InstanceAction.newValueMethod(field)
                  : io.jsplice.model.InstanceAction.oldValueMethod(field),
              "()" + desc,
              null,
              null);
      InsnList source = fresh ? newValue : oldValue;
      Map<LabelNode, LabelNode> labels = new HashMap<>();
      for (AbstractInsnNode insn : source) {
        if (insn instanceof LabelNode label) {
          labels.put(label, new LabelNode());
        }
      }
      for (AbstractInsnNode insn : source) {
        m.instructions.add(insn.clone(labels));
      }
      m.instructions.add(new InsnNode(type.getOpcode(Opcodes.IRETURN)));
      node.methods.add(m);
    }
  }

  /**
   * {@code static boolean} {@link io.jsplice.model.InstanceAction#dropsEntryMethod}{@code (Object
   * key, Object value)}: whether the entry is one of {@code entries} (key equal where the entry has
   * one, value of the class exactly) whose condition, evaluated now by the fixed code's own
   * instructions, says the fixed constructor would not put it.
   */
  void addEntryDrops(String field, List<GuardedEntries.Entry> entries) {
    MethodNode m =
        new MethodNode(
            Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC,
            io.jsplice.model.InstanceAction.dropsEntryMethod(field),
            "(Ljava/lang/Object;Ljava/lang/Object;)Z",
            null,
            null);
    for (GuardedEntries.Entry e : entries) {
      Label next = new Label();
      if (e.key() != null) {
        m.visitLdcInsn(e.key());
        m.visitVarInsn(Opcodes.ALOAD, 0);
        m.visitMethodInsn(
            Opcodes.INVOKEVIRTUAL, "java/lang/Object", "equals", "(Ljava/lang/Object;)Z", false);
        m.visitJumpInsn(Opcodes.IFEQ, next);
      }
      m.visitVarInsn(Opcodes.ALOAD, 1);
      m.visitJumpInsn(Opcodes.IFNULL, next);
      m.visitVarInsn(Opcodes.ALOAD, 1);
      m.visitMethodInsn(
          Opcodes.INVOKEVIRTUAL, "java/lang/Object", "getClass", "()Ljava/lang/Class;", false);
      m.visitMethodInsn(
          Opcodes.INVOKEVIRTUAL, "java/lang/Class", "getName", "()Ljava/lang/String;", false);
      m.visitLdcInsn(e.valueClass());
      m.visitMethodInsn(
          Opcodes.INVOKEVIRTUAL, "java/lang/String", "equals", "(Ljava/lang/Object;)Z", false);
      m.visitJumpInsn(Opcodes.IFEQ, next);
      for (AbstractInsnNode insn : e.condition()) {
        m.instructions.add(insn.clone(Map.of()));
      }
      // the fixed constructor puts the entry: it stays
      m.visitJumpInsn(e.putWhenTrue() ? Opcodes.IFNE : Opcodes.IFEQ, next);
      m.visitInsn(Opcodes.ICONST_1);
      m.visitInsn(Opcodes.IRETURN);
      m.visitLabel(next);
    }
    m.visitInsn(Opcodes.ICONST_0);
    m.visitInsn(Opcodes.IRETURN);
    node.methods.add(m);
  }

  /**
   * Code that asks the update's hook, if it has one, for the value of an object built before the
   * update; a value other than {@code UpdateHook.NO_VALUE} is stored and returned.
   */
  private void askHook(MethodNode m, FieldNode field, String shadow, Label have) {
    Label none = new Label();
    m.visitFieldInsn(Opcodes.GETSTATIC, node.name, HOOK_FIELD, "L" + HOOK + ";");
    m.visitVarInsn(Opcodes.ASTORE, 2);
    m.visitVarInsn(Opcodes.ALOAD, 2);
    m.visitJumpInsn(Opcodes.IFNULL, none);
    m.visitVarInsn(Opcodes.ALOAD, 2);
    m.visitVarInsn(Opcodes.ALOAD, 0);
    m.visitLdcInsn(field.name);
    m.visitMethodInsn(
        Opcodes.INVOKEINTERFACE,
        HOOK,
        "initialValue",
        "(Ljava/lang/Object;Ljava/lang/String;)Ljava/lang/Object;",
        true);
    m.visitVarInsn(Opcodes.ASTORE, 3);
    m.visitVarInsn(Opcodes.ALOAD, 3);
    m.visitFieldInsn(Opcodes.GETSTATIC, HOOK, "NO_VALUE", "Ljava/lang/Object;");
    m.visitJumpInsn(Opcodes.IF_ACMPEQ, none);
    m.visitVarInsn(Opcodes.ALOAD, 3);
    m.visitMethodInsn(
        Opcodes.INVOKESTATIC, SHADOW, "box", "(Ljava/lang/Object;)Ljava/lang/Object;", false);
    m.visitVarInsn(Opcodes.ASTORE, 1);
    m.visitFieldInsn(Opcodes.GETSTATIC, node.name, shadow, "L" + SHADOW + ";");
    m.visitVarInsn(Opcodes.ALOAD, 0);
    m.visitVarInsn(Opcodes.ALOAD, 1);
    m.visitMethodInsn(
        Opcodes.INVOKEVIRTUAL, SHADOW, "set", "(Ljava/lang/Object;Ljava/lang/Object;)V", false);
    m.visitJumpInsn(Opcodes.GOTO, have);
    m.visitLabel(none);
  }

  private MethodNode getter(FieldNode field, Type type, String shadow, boolean lazy) {
    MethodNode m =
        new MethodNode(
            Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC,
            Companions.getterName(field.name),
            "(L" + host + ";)" + field.desc,
            null,
            null);
    Label have = new Label();
    m.visitFieldInsn(Opcodes.GETSTATIC, node.name, shadow, "L" + SHADOW + ";");
    m.visitVarInsn(Opcodes.ALOAD, 0);
    m.visitMethodInsn(
        Opcodes.INVOKEVIRTUAL, SHADOW, "get", "(Ljava/lang/Object;)Ljava/lang/Object;", false);
    m.visitVarInsn(Opcodes.ASTORE, 1);
    m.visitVarInsn(Opcodes.ALOAD, 1);
    m.visitJumpInsn(Opcodes.IFNONNULL, have);
    askHook(m, field, shadow, have);
    if (lazy) {
      m.visitVarInsn(Opcodes.ALOAD, 0);
      m.visitMethodInsn(
          Opcodes.INVOKESTATIC,
          node.name,
          Companions.initializerName(field.name),
          "(L" + host + ";)" + field.desc,
          false);
      Boxing.box(m, type);
      m.visitMethodInsn(
          Opcodes.INVOKESTATIC, SHADOW, "box", "(Ljava/lang/Object;)Ljava/lang/Object;", false);
      m.visitVarInsn(Opcodes.ASTORE, 1);
      m.visitFieldInsn(Opcodes.GETSTATIC, node.name, shadow, "L" + SHADOW + ";");
      m.visitVarInsn(Opcodes.ALOAD, 0);
      m.visitVarInsn(Opcodes.ALOAD, 1);
      m.visitMethodInsn(
          Opcodes.INVOKEVIRTUAL, SHADOW, "set", "(Ljava/lang/Object;Ljava/lang/Object;)V", false);
      m.visitJumpInsn(Opcodes.GOTO, have);
    } else {
      Boxing.pushDefault(m, type);
      m.visitInsn(type.getOpcode(Opcodes.IRETURN));
    }
    m.visitLabel(have);
    m.visitVarInsn(Opcodes.ALOAD, 1);
    m.visitMethodInsn(
        Opcodes.INVOKESTATIC, SHADOW, "unbox", "(Ljava/lang/Object;)Ljava/lang/Object;", false);
    Boxing.unbox(m, type);
    m.visitInsn(type.getOpcode(Opcodes.IRETURN));
    m.visitMaxs(0, 0);
    return m;
  }

  private MethodNode setter(FieldNode field, Type type, String shadow) {
    MethodNode m =
        new MethodNode(
            Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC,
            Companions.setterName(field.name),
            "(L" + host + ";" + field.desc + ")V",
            null,
            null);
    m.visitFieldInsn(Opcodes.GETSTATIC, node.name, shadow, "L" + SHADOW + ";");
    m.visitVarInsn(Opcodes.ALOAD, 0);
    m.visitVarInsn(type.getOpcode(Opcodes.ILOAD), 1);
    Boxing.box(m, type);
    m.visitMethodInsn(
        Opcodes.INVOKESTATIC, SHADOW, "box", "(Ljava/lang/Object;)Ljava/lang/Object;", false);
    m.visitMethodInsn(
        Opcodes.INVOKEVIRTUAL, SHADOW, "set", "(Ljava/lang/Object;Ljava/lang/Object;)V", false);
    m.visitInsn(Opcodes.RETURN);
    m.visitMaxs(0, 0);
    return m;
  }

  /**
   * Copies the statements of the host's new static initializer that compute the fields the
   * companion holds. Writes to other static fields of the host are dropped (their values stay as
   * the running JVM has them); reads of fields the companion holds read the companion's.
   */
  void addInitializerStatements(
      StaticInitializerSlices slices, List<Statement> statements, List<Decision> decisions) {
    if (statements.isEmpty()) {
      return;
    }
    Set<String> held = new java.util.HashSet<>();
    for (Decision d : decisions) {
      if (d.strategy() != Strategy.HOOK) {
        held.add(d.field());
      }
    }
    MethodNode source = slices.clinit();
    Map<LabelNode, LabelNode> labels = new HashMap<>();
    for (AbstractInsnNode insn : source.instructions) {
      if (insn instanceof LabelNode label) {
        labels.put(label, new LabelNode());
      }
    }
    Set<LabelNode> placed = new java.util.HashSet<>();
    for (Statement s : statements) {
      for (int i = s.start(); i < s.end(); i++) {
        AbstractInsnNode insn = source.instructions.get(i);
        if (insn instanceof LabelNode label) {
          if (placed.add(label)) {
            clinit.instructions.add(labels.get(label));
          }
        } else if (insn instanceof FieldInsnNode f
            && f.owner.equals(host)
            && (f.getOpcode() == Opcodes.PUTSTATIC || f.getOpcode() == Opcodes.GETSTATIC)) {
          String key = f.name + ":" + f.desc;
          if (held.contains(key)) {
            clinit.instructions.add(new FieldInsnNode(f.getOpcode(), node.name, f.name, f.desc));
          } else if (f.getOpcode() == Opcodes.PUTSTATIC) {
            clinit.instructions.add(
                new InsnNode(Type.getType(f.desc).getSize() == 2 ? Opcodes.POP2 : Opcodes.POP));
          } else {
            clinit.instructions.add(insn.clone(labels));
          }
        } else if (insn.getOpcode() >= 0) {
          clinit.instructions.add(insn.clone(labels));
        }
      }
      // A statement may end with a jump to where the next statement starts: its labels go here,
      // so that the jump lands after this statement whether or not that one is copied.
      for (int i = s.end();
          i < source.instructions.size() && source.instructions.get(i).getOpcode() < 0;
          i++) {
        if (source.instructions.get(i) instanceof LabelNode label && placed.add(label)) {
          clinit.instructions.add(labels.get(label));
        }
      }
      for (TryCatchBlockNode block : source.tryCatchBlocks) {
        int start = source.instructions.indexOf(block.start);
        if (start >= s.start() && start < s.end()) {
          clinit.tryCatchBlocks.add(
              new TryCatchBlockNode(
                  labels.get(block.start),
                  labels.get(block.end),
                  labels.get(block.handler),
                  block.type));
        }
      }
    }
    clinit.maxLocals = Math.max(clinit.maxLocals, source.maxLocals);
  }

  ClassNode build() {
    if (clinit.instructions.size() > 0) {
      clinit.visitInsn(Opcodes.RETURN);
      clinit.visitMaxs(0, 0);
      node.methods.add(clinit);
    }
    return node;
  }

  static String withReceiver(String owner, String desc) {
    return "(L" + owner + ";" + desc.substring(1);
  }

  private static void loadArguments(MethodVisitor m, Type[] args, int from) {
    int slot = 0;
    for (int i = 0; i < args.length; i++) {
      if (i >= from) {
        m.visitVarInsn(args[i].getOpcode(Opcodes.ILOAD), slot);
      }
      slot += args[i].getSize();
    }
  }
}
