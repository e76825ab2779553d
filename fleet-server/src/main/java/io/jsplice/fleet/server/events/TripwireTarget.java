package io.jsplice.fleet.server.events;

import io.jsplice.fleet.api.FleetEvent;
import java.io.IOException;
import java.util.List;

/**
 * Where {@link TripwireForwarder} sends tripwire events: a webhook ({@link TripwireWebhook}) or a
 * syslog collector ({@link TripwireSyslog}). Called from the forwarder's one thread.
 */
public interface TripwireTarget {
  /** How the server's log and its errors name it, e.g. {@code tripwire webhook https://...}. */
  String describe();

  /** The file in the data directory that keeps the last event this target took. */
  String markFile();

  /**
   * Sends {@code batch} (tripwire events only, oldest first); returns once the target took it, as
   * far as its protocol can tell.
   *
   * @throws IOException when it did not: the forwarder sends the batch again later
   */
  void send(List<FleetEvent> batch) throws IOException, InterruptedException;
}
