package io.jsplice.fleet.api;

import java.util.List;

/**
 * Events in sequence order.
 *
 * @param events at most the requested number
 * @param next the {@code after} value for the next page
 */
public record EventPage(List<FleetEvent> events, long next) {
  public EventPage {
    events = Lists.copy(events);
  }
}
