package io.jsplice.fleet.api;

import java.util.List;

/**
 * The fleet at a glance, as the dashboard's first page shows it: the counts of {@link FleetStatus}
 * and what only a person watching the fleet needs.
 *
 * @param status hosts and JVMs by state
 * @param jvmsPartlyInForce JVMs that run an update whose fix is only partly in force: by the
 *     update's own analysis, part of the fix lives in state the program built before the update and
 *     the update carries nothing (a hook) that brings that state to the fixed behaviour
 * @param jvmsWouldLoseFix JVMs that would lose a fix if restarted now ({@code jsplice verify}: an
 *     applied update not recorded for their service)
 * @param tripwireEvents exploit attempts blocked by patched code, ever
 * @param recentTripwires the newest of them, newest first
 */
public record FleetOverview(
    FleetStatus status,
    int jvmsPartlyInForce,
    int jvmsWouldLoseFix,
    long tripwireEvents,
    List<FleetEvent> recentTripwires) {

  public FleetOverview {
    recentTripwires = Lists.copy(recentTripwires);
  }
}
