package io.jsplice.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Whether and how something can be applied live.
 *
 * @param verdict the answer
 * @param mechanisms how it is applied (empty when not live)
 * @param notes sentences for an operator: why not, or what needs a hook; never null
 */
public record Applicability(Verdict verdict, Set<Mechanism> mechanisms, List<String> notes) {
  public Applicability {
    // In declaration order, so that reports and the signed manifest are the same on every run.
    mechanisms =
        mechanisms.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(mechanisms));
    notes = List.copyOf(notes);
  }

  /** Combines the parts of an update: the weakest verdict, all mechanisms, all notes. */
  public static Applicability combine(List<Applicability> parts) {
    Verdict verdict = Verdict.LIVE;
    Set<Mechanism> mechanisms = EnumSet.noneOf(Mechanism.class);
    List<String> notes = new ArrayList<>();
    for (Applicability part : parts) {
      verdict = verdict.and(part.verdict());
      mechanisms.addAll(part.mechanisms());
      notes.addAll(part.notes());
    }
    return new Applicability(verdict, mechanisms, notes);
  }
}
