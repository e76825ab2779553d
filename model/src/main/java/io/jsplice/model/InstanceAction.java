package io.jsplice.model;

import java.util.List;
import java.util.Objects;

/**
 * Something the agent does to every object of a class (and of its subclasses) that the program
 * holds when it applies an update, so that objects built before the update behave as if built by
 * the fixed code; undone when the update is undone. The agent finds the objects on the heap (one
 * scan per owner class), after the switch, so that objects built between a look and the switch are
 * not missed.
 *
 * <p>Its components, in their order, are its JSON form in an update's signed descriptor ({@link
 * UpdateJson}): renaming or reordering them changes the format.
 *
 * @param kind what to do
 * @param owner binary name of the class whose objects it concerns
 * @param member the instance field ({@link Kind#RECOMPUTE_FIELD}, {@link Kind#CLEAR_CACHE}, {@link
 *     Kind#RESET_LAZY}, {@link Kind#DROP_MAP_ENTRIES}) or the method as {@code name+descriptor}
 *     ({@link Kind#RERUN_SETUP})
 * @param source for {@link Kind#RECOMPUTE_FIELD}: binary name of the class (the owner's companion)
 *     with the static methods {@link #newValueMethod} and {@link #oldValueMethod} that compute the
 *     field's new and old initial values; for {@link Kind#DROP_MAP_ENTRIES}: the class with the
 *     static method {@link #dropsEntryMethod}; null otherwise
 * @param fields for {@link Kind#RERUN_SETUP}: the owner's fields the method assigns or adds to,
 *     which the agent saves per object for undo; empty otherwise
 * @param reason one sentence for the report
 */
public record InstanceAction(
    Kind kind, String owner, String member, String source, List<String> fields, String reason) {
  public InstanceAction {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(member, "member");
    if (kind == Kind.RECOMPUTE_FIELD || kind == Kind.DROP_MAP_ENTRIES) {
      Objects.requireNonNull(source, "source");
    }
    fields = fields == null ? List.of() : List.copyOf(fields);
    reason = reason == null ? "" : reason;
  }

  public enum Kind {
    /**
     * Give the field the value its new initializer computes, where the object still has the value
     * its old initializer computed (what the program set since stays): both initializers depend on
     * nothing the object was built with. A collection or map is merged in place: it gains what the
     * new initializer adds and loses what it no longer has, and keeps what the program added.
     */
    RECOMPUTE_FIELD,
    /**
     * Run again, on the object, a setup method the new constructor calls: it is idempotent (it
     * assigns the object's fields values computed from constants only, fields nothing else assigns,
     * and adds to sets it holds), and does everything the old one did.
     */
    RERUN_SETUP,
    /**
     * Clear a map or collection the object holds as a cache of results computed by code the update
     * changes: the library looks a key up there and computes and stores the value on a miss, so the
     * next use recomputes it with the fixed code. Undo clears it again.
     */
    CLEAR_CACHE,
    /**
     * Set to null a field the object fills lazily with a result computed by code the update
     * changes: the library computes and stores it when it reads null. Undo resets it again.
     */
    RESET_LAZY,
    /**
     * Remove from the map the field holds the entries the fixed constructor would not have put now:
     * the old constructor put them always, the fixed one only under a condition on static state
     * that is false in the running JVM. The static method {@link #dropsEntryMethod} of {@code
     * source} tells, for a key and value, whether the entry is one of those (it evaluates the
     * condition each time). Undo puts the removed entries back where their key is free.
     */
    DROP_MAP_ENTRIES
  }

  /** The static method of {@code source} computing the field's new initial value. */
  public static String newValueMethod(String field) {
    return "jsplice$new$" + field;
  }

  /** The static method of {@code source} computing the field's old initial value. */
  public static String oldValueMethod(String field) {
    return "jsplice$old$" + field;
  }

  /**
   * The static method {@code (Object key, Object value) -> boolean} of {@code source} telling
   * whether an entry of the field's map is one the fixed constructor would leave out now.
   */
  public static String dropsEntryMethod(String field) {
    return "jsplice$drops$" + field;
  }

  /** One line for the report. */
  public String describe() {
    String what =
        switch (kind) {
          case RECOMPUTE_FIELD -> "recompute " + owner + "." + member + " in existing objects";
          case RERUN_SETUP -> "re-run " + owner + "." + member + " on existing objects";
          case CLEAR_CACHE -> "clear the cache " + owner + "." + member + " of existing objects";
          case RESET_LAZY -> "reset the lazily computed " + owner + "." + member;
          case DROP_MAP_ENTRIES ->
              "remove from "
                  + owner
                  + "."
                  + member
                  + " of existing objects the entries the fixed"
                  + " constructor leaves out";
        };
    return reason.isEmpty() ? what : what + " (" + reason + ")";
  }
}
