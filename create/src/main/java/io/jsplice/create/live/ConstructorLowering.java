package io.jsplice.create.live;

import io.jsplice.bootstrap.ConstructorCall;
import io.jsplice.create.live.LoweredConstructors.Carrier;
import io.jsplice.create.live.LoweredConstructors.Lowered;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Writes the code that runs added constructors inside their host's carrier ({@link
 * LoweredConstructors}).
 *
 * <p>The carrier's installed body starts with a dispatch, then has its own code unchanged:
 *
 * <pre>
 *   if (ConstructorCall.pending()) {
 *     Object[] r = ConstructorCall.take(Host.class);
 *     if (r != null) switch ((Integer) r[0]) {
 *       case 0: p1 = (T1) r[1]; ...; [body of added constructor 0]   // returns from the carrier
 *       ...
 *     }
 *   }
 *   [the carrier's own body]
 * </pre>
 *
 * Each added body ends in its own returns, so the branches never meet the carrier's code; the added
 * constructor's parameters take the slots of the carrier's. Frames are computed afterwards.
 */
final class ConstructorLowering {
  private static final String CALL = Type.getInternalName(ConstructorCall.class);

  private ConstructorLowering() {}

  /** Null if the added constructor's body can run in a carrier; else why not. */
  static String whyNotMergeable(String host, MethodNode added) {
    for (AbstractInsnNode insn : added.instructions) {
      if (insn instanceof MethodInsnNode m
          && m.getOpcode() == Opcodes.INVOKESPECIAL
          && m.name.equals("<init>")) {
        return null;
      }
    }
    return "its code calls no constructor of its own or its superclass";
  }

  /**
   * Prepends the dispatch to the added constructors to the installed class's carrier.
   *
   * @param installed the class in its installed shape; its carrier is modified
   * @param post the fixed class, holding the added constructors' code
   */
  static void merge(
      ClassNode installed,
      ClassNode post,
      Carrier carrier,
      List<Lowered> lowered,
      InstalledWorld world) {
    MethodNode target =
        installed.methods.stream()
            .filter(m -> m.name.equals("<init>") && m.desc.equals(carrier.descriptor()))
            .findFirst()
            .orElseThrow();
    int slot = target.maxLocals;
    for (Lowered l : lowered) {
      slot = Math.max(slot, constructor(post, l.descriptor()).maxLocals);
    }
    int request = slot;
    LabelNode own = new LabelNode();
    InsnList code = new InsnList();
    code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, CALL, "pending", "()Z", false));
    code.add(new JumpInsnNode(Opcodes.IFEQ, own));
    code.add(new LdcInsnNode(Type.getObjectType(installed.name)));
    code.add(
        new MethodInsnNode(
            Opcodes.INVOKESTATIC, CALL, "take", "(Ljava/lang/Class;)[Ljava/lang/Object;", false));
    code.add(new VarInsnNode(Opcodes.ASTORE, request));
    code.add(new VarInsnNode(Opcodes.ALOAD, request));
    code.add(new JumpInsnNode(Opcodes.IFNULL, own));
    code.add(new VarInsnNode(Opcodes.ALOAD, request));
    code.add(new InsnNode(Opcodes.ICONST_0));
    code.add(new InsnNode(Opcodes.AALOAD));
    code.add(new TypeInsnNode(Opcodes.CHECKCAST, "java/lang/Integer"));
    code.add(
        new MethodInsnNode(Opcodes.INVOKEVIRTUAL, "java/lang/Integer", "intValue", "()I", false));
    LabelNode unknown = new LabelNode();
    LabelNode[] cases = new LabelNode[lowered.size()];
    for (int i = 0; i < cases.length; i++) {
      cases[i] = new LabelNode();
    }
    code.add(new TableSwitchInsnNode(0, cases.length - 1, unknown, cases));
    for (int i = 0; i < cases.length; i++) {
      code.add(cases[i]);
      MethodNode added = copy(constructor(post, lowered.get(i).descriptor()));
      deferShadowStores(installed.name, added, world);
      unpackArguments(code, added.desc, request);
      appendBody(code, target, added);
    }
    code.add(unknown);
    code.add(new TypeInsnNode(Opcodes.NEW, "java/lang/IllegalStateException"));
    code.add(new InsnNode(Opcodes.DUP));
    code.add(new LdcInsnNode("jsplice: unknown added constructor of " + installed.name));
    code.add(
        new MethodInsnNode(
            Opcodes.INVOKESPECIAL,
            "java/lang/IllegalStateException",
            "<init>",
            "(Ljava/lang/String;)V",
            false));
    code.add(new InsnNode(Opcodes.ATHROW));
    code.add(own);
    removeFrames(target.instructions);
    target.instructions.insert(code);
    target.maxLocals = request + 1;
    target.maxStack = Math.max(target.maxStack, 4);
    // Slots now mean different things on different paths; the old tables would mislead.
    target.localVariables = null;
    target.visibleLocalVariableAnnotations = null;
    target.invisibleLocalVariableAnnotations = null;
  }

  private static MethodNode copy(MethodNode m) {
    MethodNode out =
        new MethodNode(m.access, m.name, m.desc, m.signature, m.exceptions.toArray(String[]::new));
    m.accept(out);
    return out;
  }

  private static MethodNode constructor(ClassNode post, String desc) {
    return post.methods.stream()
        .filter(m -> m.name.equals("<init>") && m.desc.equals(desc))
        .findFirst()
        .orElseThrow();
  }

  private static void unpackArguments(InsnList code, String desc, int request) {
    int slot = 1;
    Type[] args = Type.getArgumentTypes(desc);
    for (int k = 0; k < args.length; k++) {
      code.add(new VarInsnNode(Opcodes.ALOAD, request));
      code.add(push(k + 1));
      code.add(new InsnNode(Opcodes.AALOAD));
      MethodNode holder = new MethodNode();
      Boxing.unbox(holder, args[k]);
      code.add(holder.instructions);
      code.add(new VarInsnNode(args[k].getOpcode(Opcodes.ISTORE), slot));
      slot += args[k].getSize();
    }
  }

  /** The added constructor's code with fresh labels, its handlers added to the carrier's. */
  private static void appendBody(InsnList code, MethodNode target, MethodNode added) {
    Map<LabelNode, LabelNode> labels = new HashMap<>();
    for (AbstractInsnNode insn : added.instructions) {
      if (insn instanceof LabelNode label) {
        labels.put(label, new LabelNode());
      }
    }
    for (AbstractInsnNode insn : added.instructions) {
      if (insn instanceof FrameNode) {
        continue;
      }
      code.add(insn.clone(labels));
    }
    for (TryCatchBlockNode block : added.tryCatchBlocks) {
      target.tryCatchBlocks.add(
          new TryCatchBlockNode(
              labels.get(block.start),
              labels.get(block.end),
              labels.get(block.handler),
              block.type));
    }
  }

  private static void removeFrames(InsnList instructions) {
    for (AbstractInsnNode insn : instructions.toArray()) {
      if (insn instanceof FrameNode) {
        instructions.remove(insn);
      }
    }
  }

  /**
   * Moves stores into shadow fields that a constructor makes before its super call (javac stores an
   * inner class's outer instance first) to just after that call: a shadow field is set through a
   * static method, which may not receive the object before it is initialized. Such a store only
   * copies a parameter or a constant, so the order changes nothing the constructor can observe.
   * Records a refusal where a store does more.
   */
  static void deferShadowStores(String owner, MethodNode ctor, InstalledWorld world) {
    boolean storesShadow = false;
    for (AbstractInsnNode insn : ctor.instructions) {
      if (insn instanceof FieldInsnNode f
          && f.getOpcode() == Opcodes.PUTFIELD
          && world.relocations.shadow(f.owner, f.name + ":" + f.desc) != null) {
        storesShadow = true;
        break;
      }
    }
    if (!storesShadow) {
      return;
    }
    MethodInsnNode delegate = null;
    for (ConstructorSites.Site site : ConstructorSites.of(owner, ctor)) {
      if (site.kind() == ConstructorSites.Kind.SUPER_OR_THIS) {
        delegate = site.call();
        break;
      }
    }
    if (delegate == null) {
      return;
    }
    AbstractInsnNode after = delegate;
    AbstractInsnNode insn = ctor.instructions.getFirst();
    while (insn != null && insn != delegate) {
      AbstractInsnNode next = insn.getNext();
      if (insn instanceof FieldInsnNode f
          && f.getOpcode() == Opcodes.PUTFIELD
          && world.relocations.shadow(f.owner, f.name + ":" + f.desc) != null) {
        AbstractInsnNode value = significantBefore(f);
        AbstractInsnNode receiver = value == null ? null : significantBefore(value);
        if (receiver instanceof VarInsnNode r
            && r.getOpcode() == Opcodes.ALOAD
            && r.var == 0
            && isCopy(value)) {
          for (AbstractInsnNode moved : new AbstractInsnNode[] {receiver, value, f}) {
            ctor.instructions.remove(moved);
            ctor.instructions.insert(after, moved);
            after = moved;
          }
        } else {
          world.refusals.add(
              owner.replace('/', '.')
                  + "'s constructor "
                  + ctor.desc
                  + " computes the added field "
                  + f.name
                  + " before its super call, which jsplice cannot move after it");
        }
      }
      insn = next;
    }
  }

  private static AbstractInsnNode significantBefore(AbstractInsnNode insn) {
    AbstractInsnNode p = insn.getPrevious();
    while (p != null && p.getOpcode() < 0) {
      p = p.getPrevious();
    }
    return p;
  }

  private static boolean isCopy(AbstractInsnNode insn) {
    if (insn instanceof VarInsnNode v) {
      return v.var > 0 && v.getOpcode() >= Opcodes.ILOAD && v.getOpcode() <= Opcodes.ALOAD;
    }
    int op = insn.getOpcode();
    return insn instanceof LdcInsnNode || (op >= Opcodes.ACONST_NULL && op <= Opcodes.DCONST_1);
  }

  /**
   * The companion method that asks the carrier for an added constructor: its arguments are the
   * constructor's, boxed into the request.
   */
  static MethodNode requestMethod(Lowered l) {
    MethodNode m =
        new MethodNode(
            Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC,
            l.requestName(),
            l.requestDescriptor(),
            null,
            null);
    Type[] args = Type.getArgumentTypes(l.descriptor());
    m.visitLdcInsn(Type.getObjectType(l.host()));
    m.instructions.add(push(l.index()));
    m.instructions.add(push(args.length));
    m.visitTypeInsn(Opcodes.ANEWARRAY, "java/lang/Object");
    int slot = 0;
    for (int k = 0; k < args.length; k++) {
      m.visitInsn(Opcodes.DUP);
      m.instructions.add(push(k));
      m.visitVarInsn(args[k].getOpcode(Opcodes.ILOAD), slot);
      Boxing.box(m, args[k]);
      m.visitInsn(Opcodes.AASTORE);
      slot += args[k].getSize();
    }
    m.visitMethodInsn(
        Opcodes.INVOKESTATIC, CALL, "request", "(Ljava/lang/Class;I[Ljava/lang/Object;)V", false);
    m.visitInsn(Opcodes.RETURN);
    m.visitMaxs(0, 0);
    return m;
  }

  static AbstractInsnNode push(int value) {
    if (value >= -1 && value <= 5) {
      return new InsnNode(Opcodes.ICONST_0 + value);
    }
    if (value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE) {
      return new IntInsnNode(Opcodes.BIPUSH, value);
    }
    return new IntInsnNode(Opcodes.SIPUSH, value);
  }

  /** Pushes the neutral value of every parameter of {@code desc}: zero, false or null. */
  static InsnList neutralArguments(String desc) {
    InsnList out = new InsnList();
    for (Type t : Type.getArgumentTypes(desc)) {
      MethodNode holder = new MethodNode();
      Boxing.pushDefault(holder, t);
      out.add(holder.instructions);
    }
    return out;
  }

  /** The stack the neutral arguments of {@code desc} take, in slots. */
  static int neutralSize(String desc) {
    return Type.getArgumentsAndReturnSizes(desc) >> 2;
  }
}
