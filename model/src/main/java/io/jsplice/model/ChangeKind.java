package io.jsplice.model;

/**
 * Every kind of difference the bytecode comparison reports between the pre and post version of a
 * class. Each kind says whether stock JVM class redefinition can apply it by itself ({@link
 * #redefinable()}) and whether its effect lives in state the running program built once ({@link
 * #affectsBuiltState()}), where swapping code alone does not put the fix in force.
 */
public enum ChangeKind {
  METHOD_BODY_CHANGED("method body changed", true, false),
  METHOD_ADDED("method added", false, false),
  METHOD_REMOVED("method removed", false, false),
  METHOD_SIGNATURE_CHANGED("method signature changed", false, false),
  METHOD_ACCESS_CHANGED("method access flags changed", false, false),
  FIELD_ADDED("field added", false, false),
  FIELD_REMOVED("field removed", false, false),
  FIELD_TYPE_CHANGED("field type changed", false, false),
  FIELD_ACCESS_CHANGED("field access flags changed", false, false),
  /** A compile-time constant's value changed; javac inlined the old value into other classes. */
  CONSTANT_VALUE_CHANGED("compile-time constant changed", false, true),
  STATIC_INITIALIZER_CHANGED("static initializer changed", true, true),
  /** Changed code that runs only from constructors or initialization methods. */
  INIT_ONLY_CODE_CHANGED("changed code runs only while objects are built", true, true),
  SUPERCLASS_CHANGED("superclass changed", false, false),
  INTERFACES_CHANGED("interfaces changed", false, false),
  CLASS_ACCESS_CHANGED("class access flags changed", false, false),
  ENUM_CONSTANTS_CHANGED("enum constants changed", false, true),
  RECORD_COMPONENTS_CHANGED("record components changed", false, false),
  NEST_CHANGED("nest members or permitted subclasses changed", false, false),
  ANNOTATIONS_CHANGED("runtime annotations changed", true, false),
  /**
   * Metadata the JVM keeps but does not execute changed: generic signatures, {@code throws}
   * clauses, parameter names, the inner-class table or the enclosing method. Redefinition may
   * change these attributes (JVMTI forbids changing only NestHost, NestMembers, Record and
   * PermittedSubclasses, reported as their own kinds).
   */
  METADATA_CHANGED("generic signature, throws clause or inner-class metadata changed", true, false),
  CLASS_VERSION_CHANGED("class file version changed", true, false),
  CLASS_ADDED("class added", false, false),
  CLASS_REMOVED("class removed", false, false),
  /**
   * A synthetic member (lambda body, accessor, switch map) that only got a new name because code
   * around it changed. Matched by content, so it is not a structural change.
   */
  SYNTHETIC_RENAMED("synthetic member renamed (matched by content)", true, false);

  private final String description;
  private final boolean redefinable;
  private final boolean affectsBuiltState;

  ChangeKind(String description, boolean redefinable, boolean affectsBuiltState) {
    this.description = description;
    this.redefinable = redefinable;
    this.affectsBuiltState = affectsBuiltState;
  }

  /** A short phrase an operator understands, e.g. "method added". */
  public String description() {
    return description;
  }

  /** Whether stock {@code RedefineClasses} can apply this change without help. */
  public boolean redefinable() {
    return redefinable;
  }

  /** Whether the change's effect lives in state built before the update (static or instance). */
  public boolean affectsBuiltState() {
    return affectsBuiltState;
  }
}
