package io.jsplice.create.live;

import io.jsplice.bootstrap.Linker;
import io.jsplice.create.live.InstalledWorld.Role;
import java.lang.invoke.MethodHandleInfo;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Rewrites the code of a class jsplice installs so that it runs in the installed world: calls to
 * moved methods go to companions, accesses to moved or shadowed fields go to their new homes, and
 * accesses the JVM would refuse from where the code now lives (private members of a class that is
 * not a nestmate in the JVM, protected members reached from a companion, {@code super} calls from a
 * companion) go through an {@code invokedynamic} bridge ({@link Linker#access}).
 *
 * <p>Every rewrite keeps the operand stack's shape, so stack map frames stay valid.
 */
final class CodeRewriter extends ClassVisitor {
  static final Handle ACCESS_BRIDGE =
      new Handle(
          Opcodes.H_INVOKESTATIC,
          Type.getInternalName(Linker.class),
          "access",
          "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;"
              + "ILjava/lang/Class;Ljava/lang/Class;)Ljava/lang/invoke/CallSite;",
          false);

  /** {@link Linker#lambda}: a lambda whose body the class holding it cannot reach by itself. */
  static final Handle LAMBDA_BRIDGE =
      new Handle(
          Opcodes.H_INVOKESTATIC,
          Type.getInternalName(Linker.class),
          "lambda",
          "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;"
              + "[Ljava/lang/Object;)Ljava/lang/invoke/CallSite;",
          false);

  private static final String LAMBDA_METAFACTORY = "java/lang/invoke/LambdaMetafactory";

  private final InstalledWorld world;
  private final boolean dropMovedStaticWritesInClinit;
  private String self;
  private Role role;
  private String host; // for companions: the class the code came from

  /**
   * @param dropMovedStaticWritesInClinit in the static initializer of a redefined class (which runs
   *     only if the class loads after the update), writes to fields added in the companion are
   *     dropped (the companion computes them itself)
   */
  CodeRewriter(ClassVisitor next, InstalledWorld world, boolean dropMovedStaticWritesInClinit) {
    super(Opcodes.ASM9, next);
    this.world = world;
    this.dropMovedStaticWritesInClinit = dropMovedStaticWritesInClinit;
  }

  @Override
  public void visit(
      int version,
      int access,
      String name,
      String signature,
      String superName,
      String[] interfaces) {
    this.self = name;
    this.role = world.role(name);
    this.host = role == Role.COMPANION ? world.hostOf(name) : name;
    super.visit(version, access, name, signature, superName, interfaces);
  }

  @Override
  public MethodVisitor visitMethod(
      int access, String name, String descriptor, String signature, String[] exceptions) {
    MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
    return next == null ? null : new Code(next, name);
  }

  private final class Code extends MethodVisitor {
    private final boolean clinit;
    private final boolean constructor;

    Code(MethodVisitor next, String method) {
      super(Opcodes.ASM9, next);
      this.clinit = method.equals("<clinit>");
      this.constructor = method.equals("<init>");
    }

    @Override
    public void visitMethodInsn(int op, String owner, String name, String desc, boolean itf) {
      String key = name + desc;
      String declaring = declaring(owner, key);
      Relocations.MovedMethod superBody =
          op == Opcodes.INVOKESPECIAL ? world.relocations.superBody(declaring, key) : null;
      if (superBody != null && !self.equals(declaring)) {
        super.visitMethodInsn(
            Opcodes.INVOKESTATIC,
            superBody.companion(),
            superBody.name(),
            superBody.descriptor(),
            false);
        return;
      }
      Relocations.MovedMethod moved = world.relocations.method(declaring, key);
      if (moved != null && moved.reachedBy(op, desc)) {
        String target =
            op == Opcodes.INVOKESPECIAL ? Companions.directName(moved.name()) : moved.name();
        super.visitMethodInsn(
            Opcodes.INVOKESTATIC, moved.companion(), target, moved.descriptor(), false);
        return;
      }
      int kind = bridgeKind(op, owner, declaring, key, name);
      if (kind != 0) {
        Type type = Type.getMethodType(desc);
        String siteType = op == Opcodes.INVOKESTATIC ? desc : prepend(owner, type).getDescriptor();
        bridge(name, siteType, kind, declaring);
        return;
      }
      super.visitMethodInsn(op, owner, name, desc, itf);
    }

    @Override
    public void visitFieldInsn(int op, String owner, String name, String desc) {
      String key = name + ":" + desc;
      String declaring = declaring(owner, key);
      Relocations.Retyped retyped = world.relocations.retyped(declaring, key);
      if (retyped != null) {
        boolean read = op == Opcodes.GETFIELD || op == Opcodes.GETSTATIC;
        if (!read && retyped.castOnWrite() != null) {
          super.visitTypeInsn(Opcodes.CHECKCAST, retyped.castOnWrite());
        }
        visitFieldInsn(op, owner, name, retyped.oldDescriptor());
        if (read && retyped.castOnRead() != null) {
          super.visitTypeInsn(Opcodes.CHECKCAST, retyped.castOnRead());
        }
        return;
      }
      if (op == Opcodes.GETSTATIC || op == Opcodes.PUTSTATIC) {
        Relocations.MovedStatic moved = world.relocations.staticField(declaring, key);
        if (moved != null) {
          if (op == Opcodes.PUTSTATIC
              && clinit
              && dropMovedStaticWritesInClinit
              && role == Role.EXISTING) {
            if (world.installed.access(declaring, key) >= 0) {
              // A recomputed field the class still has: a fresh load initializes it too, so that
              // code outside the update that reads it sees the new value.
              super.visitFieldInsn(op, owner, name, desc);
            } else {
              super.visitInsn(Type.getType(desc).getSize() == 2 ? Opcodes.POP2 : Opcodes.POP);
            }
          } else {
            super.visitFieldInsn(op, moved.companion(), moved.name(), moved.descriptor());
          }
          return;
        }
      } else {
        Relocations.Shadow shadow = world.relocations.shadow(declaring, key);
        if (shadow != null) {
          if (op == Opcodes.GETFIELD) {
            super.visitMethodInsn(
                Opcodes.INVOKESTATIC,
                shadow.companion(),
                shadow.getter(),
                "(L" + declaring + ";)" + desc,
                false);
          } else {
            super.visitMethodInsn(
                Opcodes.INVOKESTATIC,
                shadow.companion(),
                shadow.setter(),
                "(L" + declaring + ";" + desc + ")V",
                false);
          }
          return;
        }
      }
      int kind = fieldBridgeKind(op, declaring, key);
      if (writesKeptFinal(op, declaring, key, name)) {
        kind = MethodHandleInfo.REF_putField;
      }
      if (kind != 0) {
        String siteType =
            switch (op) {
              case Opcodes.GETFIELD -> "(L" + owner + ";)" + desc;
              case Opcodes.PUTFIELD -> "(L" + owner + ";" + desc + ")V";
              case Opcodes.GETSTATIC -> "()" + desc;
              default -> "(" + desc + ")V";
            };
        bridge(name, siteType, kind, declaring);
        return;
      }
      super.visitFieldInsn(op, owner, name, desc);
    }

    @Override
    public void visitInvokeDynamicInsn(String name, String desc, Handle bsm, Object... args) {
      Handle body = lambdaBodyOutOfReach(bsm, args);
      if (body != null) {
        lambdaThroughTheBodysClass(name, desc, bsm, body, args);
        return;
      }
      Object[] rewritten = new Object[args.length];
      for (int i = 0; i < args.length; i++) {
        rewritten[i] = constant(args[i]);
      }
      super.visitInvokeDynamicInsn(name, desc, handle(bsm), rewritten);
    }

    @Override
    public void visitLdcInsn(Object value) {
      super.visitLdcInsn(constant(value));
    }

    /**
     * Whether this is a write to a field final in the running JVM from where the JVM forbids it:
     * outside the declaring class's constructors (instance fields) or static initializer (static
     * fields). The fixed release made the field non-final; the loaded class keeps the flag (flags
     * cannot change), so the write would be an IllegalAccessError when the code first runs
     * (spring-web 7.0.1's {@code ServletRequestBindingException.getBody()}). An instance field is
     * written through the access bridge, which may write a final instance field as reflection does;
     * a static one cannot be written so, and the class is refused.
     */
    private boolean writesKeptFinal(int op, String declaring, String key, String name) {
      if (op != Opcodes.PUTFIELD && op != Opcodes.PUTSTATIC) {
        return false;
      }
      int access = world.installed.access(declaring, key);
      if (access < 0 || (access & Opcodes.ACC_FINAL) == 0) {
        return false;
      }
      boolean initializer = op == Opcodes.PUTFIELD ? constructor : clinit;
      if (initializer && self.equals(declaring)) {
        return false;
      }
      if (op == Opcodes.PUTSTATIC) {
        world.refusals.add(
            self.replace('/', '.')
                + " would assign the static field "
                + declaring.replace('/', '.')
                + "."
                + name
                + ", which is final in the running JVM (its flags cannot change), outside its"
                + " static initializer");
        return false;
      }
      return true;
    }

    /**
     * A lambda or method reference whose body is a member this class cannot reach in the running
     * JVM (a private method of its host, which a companion is not a nestmate of) is linked by
     * {@link Linker#lambda} with the access of the body's class: the body's handle travels as its
     * parts, never as a constant this class would resolve, and the lambda class the metafactory
     * spins becomes the body's class's nestmate, as javac's own would have been.
     */
    private void lambdaThroughTheBodysClass(
        String name, String desc, Handle bsm, Handle body, Object[] args) {
      Object[] linked = new Object[args.length + 5];
      linked[0] = bsm.getName().equals("altMetafactory") ? 1 : 0;
      linked[1] = body.getTag(); // ASM's handle tags are the JVM's reference kinds
      linked[2] = Type.getObjectType(body.getOwner());
      linked[3] = body.getName();
      linked[4] = Type.getMethodType(body.getDesc());
      for (int i = 0; i < args.length; i++) {
        linked[5 + i] = i == 1 ? 0 : constant(args[i]); // the body: built by the bootstrap
      }
      super.visitInvokeDynamicInsn(name, desc, LAMBDA_BRIDGE, linked);
    }

    private void bridge(String name, String siteType, int kind, String declaring) {
      String hostForAccess = kind == MethodHandleInfo.REF_invokeSpecial ? host : declaring;
      super.visitInvokeDynamicInsn(
          name,
          siteType,
          ACCESS_BRIDGE,
          kind,
          Type.getObjectType(declaring),
          Type.getObjectType(hostForAccess));
    }
  }

  private Object constant(Object value) {
    if (value instanceof Handle h) {
      return handle(h);
    }
    if (value instanceof ConstantDynamic c) {
      Object[] args = new Object[c.getBootstrapMethodArgumentCount()];
      for (int i = 0; i < args.length; i++) {
        args[i] = constant(c.getBootstrapMethodArgument(i));
      }
      return new ConstantDynamic(
          c.getName(), c.getDescriptor(), handle(c.getBootstrapMethod()), args);
    }
    return value;
  }

  /** A method handle constant to a moved method points at its companion copy. */
  private Handle handle(Handle h) {
    int tag = h.getTag();
    if (tag < Opcodes.H_INVOKEVIRTUAL || tag == Opcodes.H_NEWINVOKESPECIAL) {
      if (tag <= Opcodes.H_PUTSTATIC) {
        checkHandleAccess(h);
      }
      return h;
    }
    String key = h.getName() + h.getDesc();
    Relocations.MovedMethod moved = world.relocations.method(declaring(h.getOwner(), key), key);
    if (moved == null || !moved.reachedBy(handleOp(tag), h.getDesc())) {
      checkHandleAccess(h);
      return h;
    }
    String name =
        tag == Opcodes.H_INVOKESPECIAL ? Companions.directName(moved.name()) : moved.name();
    return new Handle(Opcodes.H_INVOKESTATIC, moved.companion(), name, moved.descriptor(), false);
  }

  /**
   * The body of a lambda or method reference ({@code LambdaMetafactory}'s implementation handle)
   * when it is a method of this class's package that this class cannot reach in the running JVM and
   * that stays where it is; null otherwise (no lambda, a body moved to a companion, a body
   * reachable as it is, or one in another package, whose lambda class could not reach this
   * package's types).
   */
  private Handle lambdaBodyOutOfReach(Handle bsm, Object[] args) {
    if (!bsm.getOwner().equals(LAMBDA_METAFACTORY)
        || args.length < 3
        || !(args[1] instanceof Handle body)
        || body.getTag() < Opcodes.H_INVOKEVIRTUAL
        || body.getTag() == Opcodes.H_NEWINVOKESPECIAL
        || !InstalledWorld.packageOf(body.getOwner()).equals(InstalledWorld.packageOf(self))) {
      return null;
    }
    String key = body.getName() + body.getDesc();
    String declaring = declaring(body.getOwner(), key);
    Relocations.MovedMethod moved = world.relocations.method(declaring, key);
    if (moved != null && moved.reachedBy(handleOp(body.getTag()), body.getDesc())) {
      return null;
    }
    return handleAccess(body) == HandleAccess.REACHABLE ? null : body;
  }

  private enum HandleAccess {
    REACHABLE,
    PRIVATE_OUTSIDE_ITS_NEST,
    KEPT_NARROWER_FLAGS
  }

  private HandleAccess handleAccess(Handle h) {
    String key = memberKey(h);
    String declaring = declaring(h.getOwner(), key);
    int access = world.installed.access(declaring, key);
    if (access >= 0 && (access & Opcodes.ACC_PRIVATE) != 0 && !world.sameNest(self, declaring)) {
      return HandleAccess.PRIVATE_OUTSIDE_ITS_NEST;
    }
    return needsKeptFlagBridge(declaring, key)
        ? HandleAccess.KEPT_NARROWER_FLAGS
        : HandleAccess.REACHABLE;
  }

  /** The handle's member as {@link InstalledWorld} keys it: {@code name:desc} for a field. */
  private static String memberKey(Handle h) {
    return h.getTag() <= Opcodes.H_PUTSTATIC
        ? h.getName() + ":" + h.getDesc()
        : h.getName() + h.getDesc();
  }

  /** A handle constant is resolved with the access of the class holding it; no bridge exists. */
  private void checkHandleAccess(Handle h) {
    HandleAccess access = handleAccess(h);
    if (access == HandleAccess.REACHABLE) {
      return;
    }
    String key = memberKey(h);
    String member = declaring(h.getOwner(), key).replace('/', '.') + "." + h.getName();
    world.refusals.add(
        access == HandleAccess.PRIVATE_OUTSIDE_ITS_NEST
            ? self.replace('/', '.')
                + " would refer to the private member "
                + member
                + " through a method handle from outside its nest in the running JVM"
            : self.replace('/', '.')
                + " would refer to "
                + member
                + " through a method handle, but the running JVM keeps that member's old, narrower"
                + " access flags");
  }

  private String declaring(String owner, String key) {
    String found = world.post.declaringClass(owner, key);
    return found != null ? found : owner;
  }

  /** 0 if the call can stay as it is, else the bridge's reference kind. */
  private int bridgeKind(int op, String owner, String declaring, String key, String name) {
    if (name.equals("<init>")) {
      if (needsPrivateBridge(declaring, key)) {
        world.refusals.add(
            self.replace('/', '.')
                + " would call the private constructor of "
                + declaring.replace('/', '.')
                + " from outside its nest in the running JVM");
      }
      return 0;
    }
    if (op == Opcodes.INVOKESPECIAL && role == Role.COMPANION && !owner.equals(self)) {
      return MethodHandleInfo.REF_invokeSpecial;
    }
    if (!needsPrivateBridge(declaring, key)
        && !needsProtectedBridge(declaring, key)
        && !needsKeptFlagBridge(declaring, key)) {
      return 0;
    }
    return switch (op) {
      case Opcodes.INVOKESTATIC -> MethodHandleInfo.REF_invokeStatic;
      case Opcodes.INVOKEINTERFACE -> MethodHandleInfo.REF_invokeInterface;
      default -> MethodHandleInfo.REF_invokeVirtual;
    };
  }

  private int fieldBridgeKind(int op, String declaring, String key) {
    if (!needsPrivateBridge(declaring, key)
        && !needsProtectedBridge(declaring, key)
        && !needsKeptFlagBridge(declaring, key)) {
      return 0;
    }
    return switch (op) {
      case Opcodes.GETFIELD -> MethodHandleInfo.REF_getField;
      case Opcodes.PUTFIELD -> MethodHandleInfo.REF_putField;
      case Opcodes.GETSTATIC -> MethodHandleInfo.REF_getStatic;
      default -> MethodHandleInfo.REF_putStatic;
    };
  }

  private boolean needsPrivateBridge(String declaring, String key) {
    int access = world.installed.access(declaring, key);
    return access >= 0 && (access & Opcodes.ACC_PRIVATE) != 0 && !world.sameNest(self, declaring);
  }

  /** Protected members of another package are reachable from subclasses only, not companions. */
  private boolean needsProtectedBridge(String declaring, String key) {
    if (role != Role.COMPANION) {
      return false;
    }
    int access = world.installed.access(declaring, key);
    return access >= 0
        && (access & Opcodes.ACC_PROTECTED) != 0
        && !InstalledWorld.packageOf(declaring).equals(InstalledWorld.packageOf(self));
  }

  /**
   * A member the fixed release makes more visible than the loaded class, which keeps its old flags
   * (they cannot change): code of the fixed release may reach it from where the old flags forbid, a
   * package-private member from another package, a protected one from a class of another package
   * that is not a subclass (bcprov 1.80 made {@code SLHDSAParameters.getN()} public and called it
   * from another package: an IllegalAccessError when the code first ran). Private members are
   * {@link #needsPrivateBridge}'s.
   */
  private boolean needsKeptFlagBridge(String declaring, String key) {
    int installed = world.installed.access(declaring, key);
    int post = world.post.access(declaring, key);
    int visibility = Opcodes.ACC_PUBLIC | Opcodes.ACC_PROTECTED | Opcodes.ACC_PRIVATE;
    if (installed < 0
        || post < 0
        || (installed & visibility) == (post & visibility)
        || (installed & (Opcodes.ACC_PUBLIC | Opcodes.ACC_PRIVATE)) != 0
        || InstalledWorld.packageOf(declaring).equals(InstalledWorld.packageOf(self))) {
      return false;
    }
    return (installed & Opcodes.ACC_PROTECTED) == 0 || !world.installed.isSubtype(self, declaring);
  }

  /** The invoke instruction a method handle's kind stands for, as far as the receiver goes. */
  private static int handleOp(int tag) {
    return tag == Opcodes.H_INVOKESTATIC ? Opcodes.INVOKESTATIC : Opcodes.INVOKEVIRTUAL;
  }

  private static Type prepend(String owner, Type method) {
    Type[] args = method.getArgumentTypes();
    Type[] withReceiver = new Type[args.length + 1];
    withReceiver[0] = Type.getObjectType(owner);
    System.arraycopy(args, 0, withReceiver, 1, args.length);
    return Type.getMethodType(method.getReturnType(), withReceiver);
  }
}
