package io.jsplice.model;

/** How a change is put into a running JVM. Each says in words an operator understands. */
public enum Mechanism {
  REDEFINE("method bodies are swapped by JVM class redefinition"),
  COMPANION_METHODS("added methods run from a companion class defined next to the patched class"),
  SHADOW_FIELDS("added instance fields live in shadow storage keyed by object identity"),
  STATIC_CELLS("added or re-initialized static fields live in per-class cells"),
  NEW_CLASSES("added classes are defined in the patched class's class loader"),
  KEPT_MEMBERS("removed or re-signed members stay in place for existing callers"),
  STATIC_STATE("static state is recomputed from the new static initializer"),
  CACHE_RESET("cached objects built by the old code are dropped and rebuilt on demand"),
  ADDED_CONSTRUCTORS("added constructors run inside an existing constructor of their class"),
  OVERRIDE_DISPATCH(
      "overrides added live are reached from the method they override, by the receiver's class"),
  MERGED_SUBCLASSES(
      "objects of subclasses of a class that is final in the running JVM are objects of that class"
          + " marked with their kind"),
  DESERIALIZATION_FILTER(
      "an added readObject that refuses (always, or where its check of static state throws)"
          + " becomes the JDK's deserialization filter for its class"),
  EXISTING_OBJECTS(
      "objects built before the update are found on the heap and brought to the fixed state"),
  HOOK("code shipped with the update puts the fix in force for existing state"),
  /**
   * A class whose change a loaded class cannot take (its superclass, interfaces or kind) is
   * installed whole, as the fixed release has it, as it first loads; apply refuses a JVM where a
   * class loader has loaded it already, naming it, and undo refuses once one has loaded it fixed.
   */
  FIRST_LOAD(
      "classes whose superclass, interfaces or kind change are installed as they first load:"
          + " live where no class loader has loaded them yet");

  private final String description;

  Mechanism(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }
}
