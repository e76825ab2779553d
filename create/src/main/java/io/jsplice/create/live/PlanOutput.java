package io.jsplice.create.live;

import io.jsplice.model.ClassUpdate;
import io.jsplice.model.InstanceAction;
import io.jsplice.model.StaleState;
import io.jsplice.model.StateAction;
import io.jsplice.model.Verdict;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a planning run has produced so far: the class entries, the state actions for the agent, the
 * files of the update, and what the update as a whole needs beyond its classes. The installers add
 * to it; {@link #plan()} hands it out in its final order.
 */
final class PlanOutput {
  final List<ClassUpdate> classes = new ArrayList<>();
  final List<StateAction> actions = new ArrayList<>();
  final List<InstanceAction> instanceActions = new ArrayList<>();
  final Map<String, byte[]> files = new LinkedHashMap<>();

  /** Class entry (dotted installed name) to the diff class it comes from (internal name). */
  final Map<String, String> sources = new LinkedHashMap<>();

  /** Hooks the planner generated (binary names); their classes are among the files. */
  final List<String> hooks = new ArrayList<>();

  /** Notes about state outside the update's classes, for the update as a whole. */
  private final List<String> planNotes = new ArrayList<>();

  private final List<StaleState> planStale = new ArrayList<>();

  private Verdict planVerdict = Verdict.LIVE;

  /** Something the update as a whole must say, and the verdict it implies. */
  void addPlanNotes(List<String> notes, Verdict verdict, List<StaleState> stale) {
    planNotes.addAll(notes);
    planVerdict = planVerdict.and(verdict);
    if (verdict == Verdict.LIVE_NEEDS_HOOK) {
      planStale.addAll(stale);
    }
  }

  LivePlanner.Plan plan() {
    classes.sort(Comparator.comparing(ClassUpdate::name));
    return new LivePlanner.Plan(
        classes,
        actions,
        instanceActions,
        files,
        planVerdict,
        planNotes,
        planStale,
        sources,
        hooks);
  }
}
