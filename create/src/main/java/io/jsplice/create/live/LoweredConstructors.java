package io.jsplice.create.live;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * How the installed code builds objects with constructors the running JVM does not have: what
 * {@link AddedConstructors} decided, read by {@link ConstructorCalls} when it rewrites the code of
 * every class the update installs.
 *
 * <ul>
 *   <li>An added constructor of a loaded class runs in the host's <em>carrier</em>, an existing
 *       constructor whose redefined body first looks for a request ({@link
 *       io.jsplice.bootstrap.ConstructorCall}). Callers ask through the host companion's request
 *       method, then call the carrier with neutral arguments.
 *   <li>A class the update adds whose superclass constructor it may not call (private, outside its
 *       nest in the running JVM) is <em>built by factories</em>: each of its constructors becomes a
 *       static {@code new$N} method of the class that has the superclass's constructor run on a new
 *       object as serialization does, then the rest of the constructor as an instance method.
 * </ul>
 */
final class LoweredConstructors {
  /**
   * An added constructor of a loaded class.
   *
   * @param host the loaded class (internal name)
   * @param descriptor the added constructor's descriptor
   * @param index its number among the host's lowered constructors, as the carrier dispatches
   * @param companion the host's companion, which holds the request method
   */
  record Lowered(String host, String descriptor, int index, String companion) {
    String requestName() {
      return Companions.constructorRequestName(index);
    }

    /** The request method's descriptor: the constructor's arguments, no result. */
    String requestDescriptor() {
      return descriptor;
    }
  }

  /**
   * The existing constructor of a host that runs its added ones.
   *
   * @param descriptor its descriptor
   * @param access its access flags in the loaded class
   */
  record Carrier(String host, String descriptor, int access) {}

  private final Map<String, Lowered> lowered = new LinkedHashMap<>(); // host.desc
  private final Map<String, Carrier> carriers = new HashMap<>(); // host
  private final Map<String, Set<String>> factories = new HashMap<>(); // class -> ctor descs
  private final Map<String, String> results = new HashMap<>(); // merged subclass -> final class

  void carrier(Carrier carrier) {
    carriers.put(carrier.host(), carrier);
  }

  void lower(Lowered l) {
    lowered.put(l.host() + "." + l.descriptor(), l);
  }

  /** May return null. */
  Lowered lowered(String owner, String descriptor) {
    return lowered.get(owner + "." + descriptor);
  }

  /** The host's lowered constructors in index order; empty if none. */
  List<Lowered> loweredOf(String host) {
    List<Lowered> out = new ArrayList<>();
    for (Lowered l : lowered.values()) {
      if (l.host().equals(host)) {
        out.add(l);
      }
    }
    out.sort((a, b) -> Integer.compare(a.index(), b.index()));
    return out;
  }

  /** May return null. */
  Carrier carrier(String host) {
    return carriers.get(host);
  }

  void buildByFactories(String newClass, Set<String> constructorDescriptors) {
    factories.put(newClass, new TreeSet<>(constructorDescriptors));
  }

  boolean isFactoryBuilt(String newClass) {
    return factories.containsKey(newClass);
  }

  /**
   * The factory of one constructor of a factory-built class: its arguments, then the class to build
   * (or the kind, for a merged subclass); it returns the object, typed as the class it really is.
   */
  String factoryDescriptor(String owner, String constructorDescriptor) {
    Type[] args = Type.getArgumentTypes(constructorDescriptor);
    Type[] withClass = java.util.Arrays.copyOf(args, args.length + 1);
    withClass[args.length] = Type.getType(Class.class);
    String result = results.getOrDefault(owner, owner);
    return Type.getMethodDescriptor(Type.getObjectType(result), withClass);
  }

  /** The class the objects of a factory-built class really are, where it is another. */
  void buildsObjectsOf(String factoryBuilt, String realClass) {
    results.put(factoryBuilt, realClass);
  }

  /** The name of the factory for {@code constructorDescriptor} of {@code owner}. */
  String factoryName(String owner, String constructorDescriptor) {
    return "new$" + new ArrayList<>(factories.get(owner)).indexOf(constructorDescriptor);
  }

  /** The instance method holding the rest of a factory-built class's constructor. */
  String restName(String owner, String constructorDescriptor) {
    return "init$" + new ArrayList<>(factories.get(owner)).indexOf(constructorDescriptor);
  }

  boolean isEmpty() {
    return lowered.isEmpty() && factories.isEmpty();
  }

  /**
   * Whether code in {@code caller} may invoke a constructor with {@code access} of {@code owner}:
   * as a {@code super(...)}/{@code this(...)} call when {@code superCall}, else after {@code new}.
   */
  static boolean mayCall(
      int access, String caller, String owner, boolean superCall, InstalledWorld world) {
    if (caller.equals(owner) || (access & Opcodes.ACC_PUBLIC) != 0) {
      return true;
    }
    boolean samePackage = InstalledWorld.packageOf(caller).equals(InstalledWorld.packageOf(owner));
    if ((access & Opcodes.ACC_PRIVATE) != 0) {
      return world.sameNest(caller, owner);
    }
    if ((access & Opcodes.ACC_PROTECTED) != 0) {
      return samePackage || superCall;
    }
    return samePackage;
  }
}
