package io.jsplice.model;

import io.jsplice.model.json.RecordCodec;
import java.util.Objects;

/**
 * State a running program built before an update that may keep the old behaviour after it, because
 * nothing the update carries (state action, instance action, hook) brings it to the fixed state. An
 * update with such state is only partly in force when applied: the agent refuses it unless the
 * operator accepts that ({@code jsplice apply --accept-partial}), and then says so.
 *
 * <p>Its components, in their order, are its JSON form in an update's signed descriptor ({@link
 * UpdateJson}): renaming or reordering them changes the format.
 *
 * @param kind what sort of state
 * @param owner binary name of the class whose state it is
 * @param member the static field ({@code name}) or method ({@code name+desc}) concerned; null when
 *     the whole class's objects are meant
 * @param reason one sentence for an operator: why it may keep the old behaviour
 * @param unless a property of the running JVM under which the state is already what the fixed code
 *     builds, so it does not keep the old behaviour (the agent evaluates it at apply); null when
 *     there is none
 */
public record StaleState(
    Kind kind, String owner, String member, String reason, JvmCondition unless) {
  static {
    RecordCodec.declareOmitEmpty(StaleState.class, "unless");
  }

  public StaleState {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(owner, "owner");
    reason = reason == null ? "" : reason;
  }

  /** State that may keep the old behaviour in every JVM. */
  public StaleState(Kind kind, String owner, String member, String reason) {
    this(kind, owner, member, reason, null);
  }

  /** Whether it stays old in this JVM: always, unless its condition holds here. */
  public boolean staleHere() {
    return unless == null || !unless.holds();
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
    String line = reason.isEmpty() ? what : what + ": " + reason;
    return unless == null ? line : line + " (unless " + unless.describe() + ")";
  }

  /**
   * One line for this JVM: {@link #describe()}, with why its condition does not hold here when it
   * has one.
   */
  public String describeHere() {
    return unless == null ? describe() : describe() + "; " + unless.whyNot();
  }
}
