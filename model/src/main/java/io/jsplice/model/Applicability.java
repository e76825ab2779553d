package io.jsplice.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Whether and how something can be applied live.
 *
 * <p>Its components, in their order, are its JSON form in an update's signed descriptor ({@link
 * UpdateJson}): renaming or reordering them changes the format.
 *
 * @param verdict the answer
 * @param mechanisms how it is applied (empty when not live)
 * @param notes sentences for an operator: why not, or what needs a hook; never null
 * @param stale state built before the update that may keep the old behaviour, because nothing the
 *     update carries brings it to the fixed state; not empty only when the verdict is {@link
 *     Verdict#LIVE_NEEDS_HOOK}, and then empty only when hooks the operator gave answer for it (or
 *     the update was built before this list existed)
 */
public record Applicability(
    Verdict verdict, Set<Mechanism> mechanisms, List<String> notes, List<StaleState> stale) {
  public Applicability {
    Objects.requireNonNull(verdict, "verdict");
    // In declaration order, so that reports and the signed manifest are the same on every run.
    mechanisms =
        mechanisms.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(mechanisms));
    notes = List.copyOf(notes);
    stale = List.copyOf(stale);
  }

  public Applicability(Verdict verdict, Set<Mechanism> mechanisms, List<String> notes) {
    this(verdict, mechanisms, notes, List.of());
  }

  /** Combines the parts of an update: the weakest verdict, all mechanisms, all notes. */
  public static Applicability combine(List<Applicability> parts) {
    Verdict verdict = Verdict.LIVE;
    Set<Mechanism> mechanisms = EnumSet.noneOf(Mechanism.class);
    List<String> notes = new ArrayList<>();
    List<StaleState> stale = new ArrayList<>();
    for (Applicability part : parts) {
      verdict = verdict.and(part.verdict());
      mechanisms.addAll(part.mechanisms());
      notes.addAll(part.notes());
      stale.addAll(part.stale());
    }
    return new Applicability(verdict, mechanisms, notes, stale);
  }
}
