package io.jsplice.fleet.daemon.state;

import io.jsplice.fleet.api.HostEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * The events the server has not acknowledged yet ({@code STATE/outbox.json}), oldest first. Written
 * before each report is sent and emptied of what the server acknowledged: an event is reported at
 * least once, and the server stores it once (by its id).
 *
 * @param events the pending events
 */
public record Outbox(List<HostEvent> events) {
  public static final String FILE = "outbox.json";

  /**
   * Events beyond this are dropped, oldest first: a host cut off for weeks does not fill its disk.
   */
  public static final int MAX = 10_000;

  public Outbox {
    events = new ArrayList<>(events == null ? List.of() : events);
  }

  public static Outbox empty() {
    return new Outbox(List.of());
  }

  public void add(HostEvent event) {
    events.add(event);
    while (events.size() > MAX) {
      events.remove(0);
    }
  }

  /** Removes the events the server acknowledged. */
  public void acknowledged(List<HostEvent> sent) {
    java.util.Set<String> ids = new java.util.HashSet<>();
    sent.forEach(e -> ids.add(e.id()));
    events.removeIf(e -> ids.contains(e.id()));
  }
}
