package io.jsplice.create.live;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Where members live in the running JVM when they cannot live where javac put them: methods added
 * to a loaded class move to its companion as static methods; static fields added or re-initialized
 * move to the companion; added instance fields become shadow fields reached through static
 * accessors on the companion. Keys are {@code owner.name+desc} (methods) and {@code
 * owner.name:desc} (fields), owners as internal names.
 */
final class Relocations {
  /** A method moved to a companion; instance methods take their receiver as first argument. */
  record MovedMethod(String companion, String name, String descriptor) {
    /**
     * Whether a call with {@code op} and {@code callDescriptor} reaches this moved method. A method
     * the fixed release turned from instance to static (or back) keeps its name and descriptor, and
     * the loaded class keeps the old one for the old code that still calls it: an {@code
     * invokestatic} is a call to the static one, any other invoke to the instance one. The moved
     * method takes a receiver exactly when its descriptor differs from the call's.
     */
    boolean reachedBy(int op, String callDescriptor) {
      boolean takesReceiver = !descriptor.equals(callDescriptor);
      return takesReceiver == (op != org.objectweb.asm.Opcodes.INVOKESTATIC);
    }
  }

  record MovedStatic(String companion, String name, String descriptor) {}

  record Shadow(String companion, String getter, String setter, String fieldDescriptor) {}

  private final Map<String, MovedMethod> methods = new HashMap<>();
  private final Map<String, MovedStatic> statics = new HashMap<>();
  private final Map<String, Shadow> shadows = new HashMap<>();
  private final Map<String, MovedMethod> superBodies = new HashMap<>();
  private final Map<String, Retyped> retyped = new HashMap<>();

  /**
   * A field whose type the fixed release changed, kept with its old type ({@link FieldRetyping}).
   *
   * @param oldDescriptor the type the running JVM has
   * @param castOnRead the fixed type to cast reads to (narrower); null if none
   * @param castOnWrite the old type to cast writes to (wider fixed type); null if none
   */
  record Retyped(String oldDescriptor, String castOnRead, String castOnWrite) {}

  void retype(String owner, String key, Retyped target) {
    retyped.put(owner + "." + key, target);
  }

  /** May return null. */
  Retyped retyped(String owner, String key) {
    return retyped.get(owner + "." + key);
  }

  /**
   * Where {@code super} calls of {@code owner.key} go when the method starts with a dispatch
   * prologue ({@link HostDispatch}): a copy of its own body, so that an override calling its super
   * method does not come back to itself.
   */
  void superBody(String owner, String key, MovedMethod target) {
    superBodies.put(owner + "." + key, target);
  }

  /** May return null. */
  MovedMethod superBody(String owner, String key) {
    return superBodies.get(owner + "." + key);
  }

  void moveMethod(String owner, String key, MovedMethod target) {
    methods.put(owner + "." + key, target);
  }

  void moveStatic(String owner, String key, MovedStatic target) {
    statics.put(owner + "." + key, target);
  }

  void shadow(String owner, String key, Shadow target) {
    shadows.put(owner + "." + key, target);
  }

  /** May return null. */
  MovedMethod method(String owner, String key) {
    return methods.get(owner + "." + key);
  }

  /** May return null. */
  MovedStatic staticField(String owner, String key) {
    return statics.get(owner + "." + key);
  }

  /** May return null. */
  Shadow shadow(String owner, String key) {
    return shadows.get(owner + "." + key);
  }

  boolean isEmpty() {
    return methods.isEmpty() && statics.isEmpty() && shadows.isEmpty();
  }

  /** Owners (internal names) whose static fields moved. */
  Set<String> staticOwners() {
    Set<String> owners = new java.util.HashSet<>();
    statics.keySet().forEach(k -> owners.add(k.substring(0, k.lastIndexOf('.', k.indexOf(':')))));
    return owners;
  }
}
