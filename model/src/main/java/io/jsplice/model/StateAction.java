package io.jsplice.model;

import java.util.Objects;

/**
 * Something the agent does to existing state when it applies an update, so that a fix whose effect
 * lives in state built before the update is in force, and undoes when the update is undone.
 *
 * <p>Its components, in their order, are its JSON form in an update's signed descriptor ({@link
 * UpdateJson}): renaming or reordering them changes the format.
 *
 * @param kind what to do
 * @param owner binary name of the class holding the static field
 * @param field the static field's name
 * @param source for {@link Kind#ASSIGN} and {@link Kind#MERGE}: binary name of the companion class
 *     whose static field of the same name holds the newly computed value; null for {@link
 *     Kind#CLEAR}
 * @param reason one sentence for the report, e.g. "the deny-list gained 1 entry"
 */
public record StateAction(Kind kind, String owner, String field, String source, String reason) {
  public StateAction {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(field, "field");
    if (kind != Kind.CLEAR) {
      Objects.requireNonNull(source, "source");
    }
    reason = reason == null ? "" : reason;
  }

  public enum Kind {
    /** Set a non-final static field to its new initial value (undo restores the old value). */
    ASSIGN,
    /**
     * Bring the object a static final field holds up to date with the newly computed one, in place,
     * so that every other reference to it sees the fix too: a collection or map gets the new
     * contents, an array the new elements, an object of the library the new field values. Then the
     * companion's field, unless final, is pointed at that object, so that the patched code reads
     * the same object as everyone else. Undo restores the old contents.
     */
    MERGE,
    /** Clear a static cache (a map or collection) of objects built by changed code. */
    CLEAR
  }
}
