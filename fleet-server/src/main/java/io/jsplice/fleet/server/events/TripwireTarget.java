package io.jsplice.fleet.server.events;

import io.jsplice.fleet.api.EventKind;
import io.jsplice.fleet.api.FleetEvent;
import java.io.IOException;
import java.util.List;

/**
 * An {@link EventTarget} for exploit attempts blocked by patched code ({@link EventKind#TRIPWIRE}
 * events only), sent as the server stores them: a webhook ({@link TripwireWebhook}) or a syslog
 * collector ({@link TripwireSyslog}). Called from its forwarder's one thread.
 */
public interface TripwireTarget extends EventTarget {
  @Override
  default boolean forwards(EventKind kind) {
    return kind == EventKind.TRIPWIRE;
  }

  @Override
  default void send(List<FleetEvent> batch, Details details)
      throws IOException, InterruptedException {
    send(batch);
  }

  /**
   * Sends {@code batch} (tripwire events only, oldest first); returns once the target took it, as
   * far as its protocol can tell.
   *
   * @throws IOException when it did not: the forwarder sends the batch again later
   */
  void send(List<FleetEvent> batch) throws IOException, InterruptedException;
}
