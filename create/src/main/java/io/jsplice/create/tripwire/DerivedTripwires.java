package io.jsplice.create.tripwire;

import io.jsplice.create.source.ClassSet;
import io.jsplice.model.Tripwire;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;

/**
 * Exploit tripwires derived from a fix: where a method of the fixed release throws and the same
 * method of the vulnerable release had no such throw, the fixed code rejects input the vulnerable
 * code accepted (jettison 1.5.1 throws "The JSON text is malformed" where 1.5.0 recursed until the
 * stack overflowed). At each such throw this puts a call to the bootstrap's {@code
 * io.jsplice.bootstrap.Tripwires.hit(rejection, updateId, cve, site)} just before the {@code
 * athrow}, so that a patched JVM records the exploit attempt it blocked. Nothing changes on any
 * other path: the call sits on the rejecting path only.
 *
 * <p>A throw is "the same" in both releases when the exception it builds, the constants and the
 * methods that build it are the same (its signature); throws are compared as multisets per method
 * ({@code name+descriptor}). Methods the fixed release added, constructors' super calls and static
 * initializers are left alone. The result is the fixed release with the tripwires in; the update is
 * then built from it as from any release.
 */
public final class DerivedTripwires {
  /** The bootstrap class patched code records hits in (on the system class path). */
  static final String TRIPWIRES = "io/jsplice/bootstrap/Tripwires";

  static final String HIT =
      "(Ljava/lang/Throwable;Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;)V";

  /** How far back from an {@code athrow} its signature looks. */
  private static final int SIGNATURE_WINDOW = 12;

  private DerivedTripwires() {}

  /**
   * @param post the fixed release with the tripwires in
   * @param tripwires where they are
   */
  public record Result(ClassSet post, List<Tripwire> tripwires) {}

  /**
   * The fixed release with a tripwire at every throw it added to a method the vulnerable release
   * has.
   *
   * @param updateId the update's id, which the tripwire names
   * @param cve the CVE it names; may be null
   */
  public static Result attach(ClassSet pre, ClassSet post, String updateId, String cve) {
    Objects.requireNonNull(updateId, "updateId");
    Map<String, byte[]> classes = new LinkedHashMap<>(post.classes());
    List<Tripwire> tripwires = new ArrayList<>();
    for (Map.Entry<String, byte[]> entry : post.classes().entrySet()) {
      byte[] before = pre.classes().get(entry.getKey());
      if (before == null || java.util.Arrays.equals(before, entry.getValue())) {
        continue;
      }
      List<Tripwire> found = new ArrayList<>();
      byte[] instrumented = attach(before, entry.getValue(), updateId, cve, found);
      if (!found.isEmpty()) {
        classes.put(entry.getKey(), instrumented);
        tripwires.addAll(found);
      }
    }
    if (tripwires.isEmpty()) {
      return new Result(post, List.of());
    }
    return new Result(
        new ClassSet(post.origin(), classes, post.artifacts()), List.copyOf(tripwires));
  }

  private static byte[] attach(
      byte[] before, byte[] after, String updateId, String cve, List<Tripwire> tripwires) {
    ClassNode pre = node(before);
    ClassNode post = node(after);
    Map<String, MethodNode> preMethods = new HashMap<>();
    for (MethodNode method : pre.methods) {
      preMethods.put(method.name + method.desc, method);
    }
    boolean changed = false;
    for (MethodNode method : post.methods) {
      MethodNode old = preMethods.get(method.name + method.desc);
      if (old == null || method.name.equals("<clinit>") || method.instructions.size() == 0) {
        continue;
      }
      Map<String, Integer> known = new HashMap<>();
      for (String signature : throwSignatures(old)) {
        known.merge(signature, 1, Integer::sum);
      }
      for (AbstractInsnNode insn : method.instructions.toArray()) {
        if (insn.getOpcode() != Opcodes.ATHROW) {
          continue;
        }
        String signature = signature(insn);
        Integer left = known.get(signature);
        if (left != null && left > 0) {
          known.put(signature, left - 1);
          continue;
        }
        Tripwire site = new Tripwire(post.name, method.name + method.desc, signature);
        method.instructions.insertBefore(insn, call(updateId, cve, site.site()));
        tripwires.add(site);
        changed = true;
      }
    }
    if (!changed) {
      return after;
    }
    ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    post.accept(writer);
    return writer.toByteArray();
  }

  private static ClassNode node(byte[] bytes) {
    ClassNode node = new ClassNode();
    new ClassReader(bytes).accept(node, 0);
    return node;
  }

  private static List<String> throwSignatures(MethodNode method) {
    List<String> out = new ArrayList<>();
    for (AbstractInsnNode insn : method.instructions) {
      if (insn.getOpcode() == Opcodes.ATHROW) {
        out.add(signature(insn));
      }
    }
    return out;
  }

  /**
   * What a throw builds: the types created, the constants loaded and the methods called in the
   * instructions that lead to it, back to the previous branch, throw or return.
   */
  static String signature(AbstractInsnNode athrow) {
    List<String> parts = new ArrayList<>();
    AbstractInsnNode insn = athrow.getPrevious();
    for (int seen = 0; insn != null && seen < SIGNATURE_WINDOW; insn = insn.getPrevious()) {
      int opcode = insn.getOpcode();
      if (insn.getType() == AbstractInsnNode.JUMP_INSN
          || opcode == Opcodes.ATHROW
          || (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN)
          || insn.getType() == AbstractInsnNode.TABLESWITCH_INSN
          || insn.getType() == AbstractInsnNode.LOOKUPSWITCH_INSN) {
        break;
      }
      if (insn instanceof TypeInsnNode type && opcode == Opcodes.NEW) {
        parts.add(0, "new " + type.desc);
      } else if (insn instanceof LdcInsnNode ldc) {
        parts.add(0, "ldc " + ldc.cst);
      } else if (insn instanceof MethodInsnNode call) {
        parts.add(0, "call " + call.owner + "." + call.name + call.desc);
      }
      if (opcode >= 0) {
        seen++;
      }
    }
    return String.join("; ", parts);
  }

  /** {@code dup; ldc id; ldc cve; ldc site; invokestatic Tripwires.hit}: leaves the stack as is. */
  private static InsnList call(String updateId, String cve, String site) {
    InsnList list = new InsnList();
    list.add(new InsnNode(Opcodes.DUP));
    list.add(new LdcInsnNode(updateId));
    list.add(cve == null ? new InsnNode(Opcodes.ACONST_NULL) : new LdcInsnNode(cve));
    list.add(new LdcInsnNode(site));
    list.add(new MethodInsnNode(Opcodes.INVOKESTATIC, TRIPWIRES, "hit", HIT, false));
    return list;
  }
}
