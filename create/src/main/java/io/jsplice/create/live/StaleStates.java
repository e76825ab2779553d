package io.jsplice.create.live;

import static io.jsplice.create.live.LivePlanner.dotted;

import io.jsplice.create.live.StaticStatePlanner.ClassState;
import io.jsplice.create.live.StaticStatePlanner.Decision;
import io.jsplice.create.live.StaticStatePlanner.Strategy;
import io.jsplice.model.StaleState;
import java.util.List;

/** Names, as {@link StaleState}, what the planners decided to leave to a hook. */
final class StaleStates {
  private StaleStates() {}

  /** Adds every static field the static state planner will not recompute. */
  static void ofStaticState(ClassState state, List<StaleState> out) {
    for (Decision d : state.decisions()) {
      if (d.strategy() == Strategy.HOOK) {
        String field = d.field().substring(0, d.field().indexOf(':'));
        out.add(
            new StaleState(
                StaleState.Kind.STATIC_FIELD,
                dotted(d.owner()),
                field,
                "it needs a new value (" + d.reason() + "), which jsplice will not compute"));
      }
    }
  }
}
