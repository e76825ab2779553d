package io.jsplice.model;

import java.util.Objects;

/**
 * State a running program built before an update that may keep the old behaviour after it, because
 * nothing the update carries (state action, instance action, hook) brings it to the fixed state. An
 * update with such state is only partly in force when applied: the agent refuses it unless the
 * operator accepts that ({@code jsplice apply --accept-partial}), and then says so.
 *
 * @param kind what sort of state
 * @param owner binary name of the class whose state it is
 * @param member the static field ({@code name}) or method ({@code name+desc}) concerned; null when
 *     the whole class's objects are meant
 * @param reason one sentence for an operator: why it may keep the old behaviour
 */
public record StaleState(Kind kind, String owner, String member, String reason) {
  public StaleState {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(owner, "owner");
    reason = reason == null ? "" : reason;
  }

  public enum Kind {
    /** A static field whose new value jsplice will not compute (its initializer has effects). */
    STATIC_FIELD,
    /** Objects of the class built before the update, set up by code the update changes. */
    OBJECTS,
    /** A cache filled by code the update changes, which jsplice cannot invalidate. */
    CACHE
  }

  /** One line: what and why, e.g. "objects of a.B built before the update: ...". */
  public String describe() {
    String what =
        switch (kind) {
          case STATIC_FIELD -> "static field " + owner + "." + member;
          case OBJECTS -> "objects of " + owner + " built before the update";
          case CACHE -> "cache " + owner + (member == null ? "" : "." + member);
        };
    return reason.isEmpty() ? what : what + ": " + reason;
  }
}
