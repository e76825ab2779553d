package io.jsplice.create.live;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Classes an update adds that extend a class the running JVM has as {@code final} (the fixed
 * release opened it to subclasses; a loaded class's flags cannot change). Their objects are objects
 * of the final class, marked with their kind ({@link io.jsplice.bootstrap.MergedKinds}); the class
 * itself is defined as a <em>stand-in</em> that extends {@code Object} and holds its static
 * members, the code of its methods (as static methods taking the object first), its fields (as
 * shadow fields) and its constructors (as factories). Installed code names the final class wherever
 * the fixed code named the subclass as a type.
 */
final class MergedSubclasses {
  private final Map<String, String> merged = new LinkedHashMap<>(); // subclass -> final class

  void merge(String subclass, String finalClass) {
    merged.put(subclass, finalClass);
  }

  boolean isMerged(String name) {
    return merged.containsKey(name);
  }

  /** The final class a merged subclass's objects belong to; null if not merged. */
  String into(String subclass) {
    return merged.get(subclass);
  }

  Set<String> subclasses() {
    return merged.keySet();
  }

  boolean isEmpty() {
    return merged.isEmpty();
  }

  /** {@code descriptor} with every merged subclass replaced by its final class. */
  String remap(String descriptor) {
    if (descriptor == null || merged.isEmpty()) {
      return descriptor;
    }
    String out = descriptor;
    for (Map.Entry<String, String> e : merged.entrySet()) {
      out = out.replace("L" + e.getKey() + ";", "L" + e.getValue() + ";");
    }
    return out;
  }

  /** An internal name or array descriptor as an operand of a type instruction, remapped. */
  String remapType(String type) {
    if (type.startsWith("[")) {
      return remap(type);
    }
    String into = merged.get(type);
    return into != null ? into : type;
  }

  /** Whether {@code descriptor} names a merged subclass. */
  boolean mentions(String descriptor) {
    return descriptor != null && !remap(descriptor).equals(descriptor);
  }
}
