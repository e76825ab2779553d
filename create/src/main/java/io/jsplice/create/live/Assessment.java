package io.jsplice.create.live;

import io.jsplice.model.Mechanism;
import io.jsplice.model.StaleState;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What the planner has found so far about installing one class: how it applies (mechanisms), what
 * an operator should know (notes) and why it cannot apply live (refusals). The installers of a
 * class and of its companion add to the same assessment.
 */
final class Assessment {
  final Set<Mechanism> mechanisms;
  final List<String> notes = new ArrayList<>();
  final List<String> refusals = new ArrayList<>();

  /** State built before the update that nothing in it brings to the fixed state. */
  final List<StaleState> stale = new ArrayList<>();

  Assessment(Mechanism first) {
    this.mechanisms = EnumSet.of(first);
  }

  /** Refusals first, then notes: what the class entry shows an operator. */
  List<String> refusalsThenNotes() {
    List<String> all = new ArrayList<>(refusals);
    all.addAll(notes);
    return all;
  }
}
