package io.jsplice.fleet.server.events;

import io.jsplice.fleet.api.EventKind;
import io.jsplice.fleet.api.FleetEvent;
import io.jsplice.fleet.api.ForwardedEvent;
import java.io.IOException;
import java.util.List;

/**
 * Where an {@link EventForwarder} sends the fleet's events: the remediation webhook ({@link
 * EventWebhook}), or a tripwire target ({@link TripwireTarget}). Each target takes the kinds it
 * {@link #forwards} and keeps its own mark. Called from its forwarder's one thread.
 */
public interface EventTarget {
  /** How the server's log and its errors name it, e.g. {@code events webhook https://...}. */
  String describe();

  /** The file in the data directory that keeps the last event this target took. */
  String markFile();

  /** Whether this target takes events of {@code kind}. */
  boolean forwards(EventKind kind);

  /**
   * Sends {@code batch} (only kinds it {@link #forwards}, oldest first, never empty); returns once
   * the target took it, as far as its protocol can tell.
   *
   * @param details what the database knows about each event now, for targets that send more than
   *     the event (one read per call)
   * @throws IOException when it did not: the forwarder sends the batch again later
   */
  void send(List<FleetEvent> batch, Details details) throws IOException, InterruptedException;

  /** The events of a batch with their host's group, their update's CVEs and their JVM. */
  @FunctionalInterface
  interface Details {
    List<ForwardedEvent> of(List<FleetEvent> batch);
  }
}
