package io.jsplice.create.live;

import io.jsplice.bootstrap.MergedKinds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Writes the prologues of dispatch hosts ({@link HostDispatch}):
 *
 * <pre>
 *   if (this instanceof Override1) return Override1$$jsplice.m$direct((Override1) this, args);
 *   Class k = MergedKinds.of(this);                       // only with merged kinds
 *   if (k == Kind1) return Kind1.m$direct(this, args);
 *   [the method's own body]
 * </pre>
 *
 * Classes are tested most derived first. The host's body before the prologue is kept, as a copy for
 * its companion: the {@code super} calls of the overrides reach it there.
 */
final class HostPrologue {
  private static final String KINDS = Type.getInternalName(MergedKinds.class);

  private HostPrologue() {}

  /**
   * Prepends the prologues the world plans for {@code host}'s methods.
   *
   * @return copies of the methods' bodies as they were, by member key
   */
  static Map<String, MethodNode> prepend(ClassNode host, InstalledWorld world) {
    Map<String, MethodNode> originals = new LinkedHashMap<>();
    for (Map.Entry<String, List<HostDispatch.Entry>> e : world.dispatch.of(host.name).entrySet()) {
      MethodNode method =
          host.methods.stream()
              .filter(m -> (m.name + m.desc).equals(e.getKey()))
              .findFirst()
              .orElse(null);
      if (method == null || method.instructions.size() == 0) {
        world.refusals.add(
            host.name.replace('/', '.')
                + " would dispatch "
                + e.getKey()
                + " to overrides, but has no body for it");
        continue;
      }
      originals.put(e.getKey(), copy(method));
      method.instructions.insert(prologue(host.name, method, order(e.getValue(), world)));
      for (var insn : method.instructions.toArray()) {
        if (insn instanceof FrameNode) {
          method.instructions.remove(insn);
        }
      }
    }
    return originals;
  }

  /** Class tests most derived first, then kind tests. */
  private static List<HostDispatch.Entry> order(
      List<HostDispatch.Entry> entries, InstalledWorld world) {
    List<HostDispatch.Entry> classes = new ArrayList<>();
    List<HostDispatch.Entry> kinds = new ArrayList<>();
    for (HostDispatch.Entry e : entries) {
      (e.instanceOf() != null ? classes : kinds).add(e);
    }
    classes.sort(
        (a, b) ->
            world.post.isSubtype(a.instanceOf(), b.instanceOf())
                ? -1
                : world.post.isSubtype(b.instanceOf(), a.instanceOf())
                    ? 1
                    : a.instanceOf().compareTo(b.instanceOf()));
    List<HostDispatch.Entry> out = new ArrayList<>(classes);
    out.addAll(kinds);
    return out;
  }

  private static InsnList prologue(
      String host, MethodNode method, List<HostDispatch.Entry> entries) {
    InsnList code = new InsnList();
    Type[] args = Type.getArgumentTypes(method.desc);
    Type result = Type.getReturnType(method.desc);
    int kindSlot = -1;
    for (HostDispatch.Entry e : entries) {
      LabelNode next = new LabelNode();
      if (e.instanceOf() != null) {
        code.add(new VarInsnNode(Opcodes.ALOAD, 0));
        code.add(new TypeInsnNode(Opcodes.INSTANCEOF, e.instanceOf()));
        code.add(new JumpInsnNode(Opcodes.IFEQ, next));
      } else {
        if (kindSlot < 0) {
          kindSlot = method.maxLocals;
          method.maxLocals += 1;
          code.add(new VarInsnNode(Opcodes.ALOAD, 0));
          code.add(
              new MethodInsnNode(
                  Opcodes.INVOKESTATIC,
                  KINDS,
                  "of",
                  "(Ljava/lang/Object;)Ljava/lang/Class;",
                  false));
          code.add(new VarInsnNode(Opcodes.ASTORE, kindSlot));
        }
        code.add(new VarInsnNode(Opcodes.ALOAD, kindSlot));
        code.add(new LdcInsnNode(Type.getObjectType(e.kind())));
        code.add(new JumpInsnNode(Opcodes.IF_ACMPNE, next));
      }
      code.add(new VarInsnNode(Opcodes.ALOAD, 0));
      if (!e.castTo().equals(host)) {
        code.add(new TypeInsnNode(Opcodes.CHECKCAST, e.castTo()));
      }
      int slot = 1;
      for (Type a : args) {
        code.add(new VarInsnNode(a.getOpcode(Opcodes.ILOAD), slot));
        slot += a.getSize();
      }
      code.add(
          new MethodInsnNode(Opcodes.INVOKESTATIC, e.owner(), e.name(), e.descriptor(), false));
      code.add(new InsnNode(result.getOpcode(Opcodes.IRETURN)));
      code.add(next);
    }
    method.maxStack =
        Math.max(method.maxStack, (Type.getArgumentsAndReturnSizes(method.desc) >> 2) + 1);
    return code;
  }

  static MethodNode copy(MethodNode m) {
    MethodNode out =
        new MethodNode(m.access, m.name, m.desc, m.signature, m.exceptions.toArray(String[]::new));
    m.accept(out);
    return out;
  }
}
