package io.jsplice.bootstrap;

import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;

/**
 * Bootstrap methods that code installed by jsplice links through with {@code invokedynamic}.
 *
 * <p>Code an update adds cannot always live where javac put it: added methods move to a companion
 * class, and added classes cannot join their host's nest (a stock JVM cannot change a loaded
 * class's {@code NestMembers}). Where such code touches a member it could reach only from inside
 * the host (private members, protected members of another package, {@code super} calls), jsplice
 * replaces the instruction with an {@code invokedynamic} bound here. The call site is constant, so
 * the JIT compiles it like the direct access it replaces: no cost once linked.
 *
 * <p>This class lives in the agent jar, which the JVM puts on the system class path, so class
 * loaders that delegate to it resolve one copy; for a class loader that does not, the agent defines
 * the bootstrap classes in that loader before it installs code there. It depends on java.base only.
 */
public final class Linker {
  private Linker() {}

  /**
   * Links a member access as if it were made from inside {@code host}.
   *
   * @param caller the lookup of the class making the access; must be in {@code host}'s module (a
   *     companion or added class is defined in the host's class loader and package)
   * @param name the member's name
   * @param type the call site's type: the member's type, with the receiver first for instance
   *     members
   * @param referenceKind a {@link MethodHandleInfo} reference kind ({@code REF_getField}, {@code
   *     REF_invokeVirtual}, {@code REF_invokeSpecial}...)
   * @param owner the class that declares the member
   * @param host the class whose private access the code needs
   */
  public static CallSite access(
      MethodHandles.Lookup caller,
      String name,
      MethodType type,
      int referenceKind,
      Class<?> owner,
      Class<?> host)
      throws ReflectiveOperationException {
    MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(host, caller);
    MethodHandle target = find(lookup, referenceKind, owner, name, type, host);
    return new ConstantCallSite(target.asType(type));
  }

  /**
   * Links a lambda or method reference whose body the class holding it cannot reach (a private
   * method of its host, of which a companion is not a nestmate) as javac's {@code invokedynamic}
   * would link it inside the body's class: the metafactory gets that class's private lookup, and
   * the lambda class it spins is that class's nestmate.
   *
   * @param caller the lookup of the class holding the lambda, in the body's class's module
   * @param name the functional interface method's name, as the metafactory takes it
   * @param type the call site's type: the captured values to the functional interface
   * @param args {@code 1} for {@link LambdaMetafactory#altMetafactory}, else {@code 0}; the body's
   *     reference kind, class, name and type; then the metafactory's own arguments, the body's
   *     handle being a placeholder
   */
  public static CallSite lambda(
      MethodHandles.Lookup caller, String name, MethodType type, Object... args)
      throws ReflectiveOperationException, java.lang.invoke.LambdaConversionException {
    boolean alt = ((Integer) args[0]) != 0;
    int kind = (Integer) args[1];
    Class<?> owner = (Class<?>) args[2];
    String bodyName = (String) args[3];
    MethodType bodyType = (MethodType) args[4];
    MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(owner, caller);
    boolean receiverFirst =
        kind != MethodHandleInfo.REF_invokeStatic && kind != MethodHandleInfo.REF_newInvokeSpecial;
    MethodHandle body =
        find(
            lookup,
            kind,
            owner,
            bodyName,
            receiverFirst ? bodyType.insertParameterTypes(0, owner) : bodyType,
            owner);
    Object[] metafactory = Arrays.copyOfRange(args, 5, args.length);
    metafactory[1] = body;
    return alt
        ? LambdaMetafactory.altMetafactory(lookup, name, type, metafactory)
        : LambdaMetafactory.metafactory(
            lookup, name, type, (MethodType) metafactory[0], body, (MethodType) metafactory[2]);
  }

  private static MethodHandle find(
      MethodHandles.Lookup lookup,
      int kind,
      Class<?> owner,
      String name,
      MethodType type,
      Class<?> host)
      throws ReflectiveOperationException {
    switch (kind) {
      case MethodHandleInfo.REF_getField:
        return lookup.findGetter(owner, name, type.returnType());
      case MethodHandleInfo.REF_putField:
        return setter(lookup, owner, name, type.parameterType(1));
      case MethodHandleInfo.REF_getStatic:
        return lookup.findStaticGetter(owner, name, type.returnType());
      case MethodHandleInfo.REF_putStatic:
        return lookup.findStaticSetter(owner, name, type.parameterType(0));
      case MethodHandleInfo.REF_invokeStatic:
        return lookup.findStatic(owner, name, type);
      case MethodHandleInfo.REF_invokeVirtual:
      case MethodHandleInfo.REF_invokeInterface:
        return lookup.findVirtual(owner, name, type.dropParameterTypes(0, 1));
      case MethodHandleInfo.REF_invokeSpecial:
        return lookup.findSpecial(owner, name, type.dropParameterTypes(0, 1), host);
      case MethodHandleInfo.REF_newInvokeSpecial:
        return lookup.findConstructor(owner, type.changeReturnType(void.class));
      default:
        throw new IllegalArgumentException("unknown reference kind " + kind);
    }
  }

  /**
   * A setter of an instance field, also where the running JVM's class keeps the field final while
   * the code writing it (a fixed release that made it non-final) runs outside its constructors:
   * written as reflection writes a final instance field once it is made accessible.
   */
  private static MethodHandle setter(
      MethodHandles.Lookup lookup, Class<?> owner, String name, Class<?> type)
      throws ReflectiveOperationException {
    Field field;
    try {
      field = owner.getDeclaredField(name);
    } catch (NoSuchFieldException inherited) {
      return lookup.findSetter(owner, name, type);
    }
    if (!Modifier.isFinal(field.getModifiers()) || field.getType() != type) {
      return lookup.findSetter(owner, name, type);
    }
    field.setAccessible(true);
    return lookup.unreflectSetter(field);
  }
}
