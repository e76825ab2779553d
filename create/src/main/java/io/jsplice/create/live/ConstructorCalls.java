package io.jsplice.create.live;

import io.jsplice.create.live.ConstructorSites.Kind;
import io.jsplice.create.live.ConstructorSites.Site;
import io.jsplice.create.live.LoweredConstructors.Carrier;
import io.jsplice.create.live.LoweredConstructors.Lowered;
import java.lang.invoke.MethodHandleInfo;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Rewrites the constructor calls of a class the update installs for the constructors the running
 * JVM does not have ({@link LoweredConstructors}):
 *
 * <ul>
 *   <li>{@code new X(args)} and {@code super(args)}/{@code this(args)} with a lowered constructor
 *       become a request with {@code args} and a call of X's carrier with neutral arguments; where
 *       the carrier is out of reach after {@code new}, the {@code new}/{@code dup} pair goes and an
 *       access bridge constructs the object;
 *   <li>{@code new S(args)} of a class built by factories becomes {@code S.new$N(args, S.class)}.
 * </ul>
 */
final class ConstructorCalls {
  private ConstructorCalls() {}

  /**
   * Rewrites {@code node} in place.
   *
   * @return whether stack map frames must be computed again ({@code new}/{@code dup} pairs went)
   */
  static boolean rewrite(ClassNode node, InstalledWorld world) {
    LoweredConstructors plan = world.constructors;
    if (plan.isEmpty()) {
      return false;
    }
    // A carrier's dispatch and a factory-built class's new methods have no frames yet.
    boolean framesChanged = plan.carrier(node.name) != null || plan.isFactoryBuilt(node.name);
    for (MethodNode method : node.methods) {
      if (!callsLowered(method, plan)) {
        continue;
      }
      for (Site site : ConstructorSites.of(node.name, method)) {
        MethodInsnNode call = site.call();
        Lowered lowered = plan.lowered(call.owner, call.desc);
        if (lowered != null && site.kind() != Kind.OTHER) {
          framesChanged |= callCarrier(node.name, method, site, lowered, plan, world);
        } else if (plan.isFactoryBuilt(call.owner) && site.kind() == Kind.NEW) {
          callFactory(method, site, plan);
          framesChanged = true;
        }
      }
    }
    return framesChanged;
  }

  /** Whether the method calls a lowered constructor or one of a factory-built class. */
  private static boolean callsLowered(MethodNode method, LoweredConstructors plan) {
    for (var insn : method.instructions) {
      if (insn instanceof MethodInsnNode m
          && m.getOpcode() == Opcodes.INVOKESPECIAL
          && m.name.equals("<init>")
          && (plan.lowered(m.owner, m.desc) != null || plan.isFactoryBuilt(m.owner))) {
        return true;
      }
    }
    return false;
  }

  /** Returns whether the {@code new}/{@code dup} pair went. */
  private static boolean callCarrier(
      String self,
      MethodNode method,
      Site site,
      Lowered lowered,
      LoweredConstructors plan,
      InstalledWorld world) {
    MethodInsnNode call = site.call();
    Carrier carrier = plan.carrier(call.owner);
    InsnList replacement = new InsnList();
    replacement.add(
        new MethodInsnNode(
            Opcodes.INVOKESTATIC,
            lowered.companion(),
            lowered.requestName(),
            lowered.requestDescriptor(),
            false));
    replacement.add(ConstructorLowering.neutralArguments(carrier.descriptor()));
    boolean bridged =
        site.kind() == Kind.NEW
            && !LoweredConstructors.mayCall(carrier.access(), self, call.owner, false, world);
    if (bridged) {
      replacement.add(
          new InvokeDynamicInsnNode(
              "new",
              Type.getMethodDescriptor(
                  Type.getObjectType(call.owner), Type.getArgumentTypes(carrier.descriptor())),
              CodeRewriter.ACCESS_BRIDGE,
              MethodHandleInfo.REF_newInvokeSpecial,
              Type.getObjectType(call.owner),
              Type.getObjectType(call.owner)));
      method.instructions.remove(site.duplicated());
      method.instructions.remove(site.created());
    } else {
      replacement.add(
          new MethodInsnNode(
              Opcodes.INVOKESPECIAL, call.owner, "<init>", carrier.descriptor(), false));
    }
    method.instructions.insertBefore(call, replacement);
    method.instructions.remove(call);
    method.maxStack += ConstructorLowering.neutralSize(carrier.descriptor());
    return bridged;
  }

  private static void callFactory(MethodNode method, Site site, LoweredConstructors plan) {
    MethodInsnNode call = site.call();
    InsnList replacement = new InsnList();
    replacement.add(new LdcInsnNode(Type.getObjectType(call.owner)));
    replacement.add(
        new MethodInsnNode(
            Opcodes.INVOKESTATIC,
            call.owner,
            plan.factoryName(call.owner, call.desc),
            plan.factoryDescriptor(call.owner, call.desc),
            false));
    method.instructions.insertBefore(call, replacement);
    method.instructions.remove(call);
    method.instructions.remove(site.duplicated());
    method.instructions.remove(site.created());
    method.maxStack += 1;
  }
}
