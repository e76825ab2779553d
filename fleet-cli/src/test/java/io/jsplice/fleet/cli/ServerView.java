package io.jsplice.fleet.cli;

import io.jsplice.fleet.api.FleetEvent;
import io.jsplice.fleet.api.client.FleetClient;
import io.jsplice.fleet.api.client.FleetException;
import java.util.List;

/**
 * What the server says, read the way the end-to-end tests wait on it ({@link Await#until}): without
 * checked exceptions, so that a read fits in a condition.
 */
final class ServerView {
  private ServerView() {}

  /** How many JVMs the server lists for {@code host}; -1 while it knows no such host. */
  static int jvms(FleetClient admin, String host) {
    try {
      return admin.host(host).jvms().size();
    } catch (FleetException e) {
      return -1;
    }
  }

  /** The fleet's events, oldest first (the first 1000: more than any test makes). */
  static List<FleetEvent> events(FleetClient admin) {
    try {
      return admin.events(0, 1000).events();
    } catch (FleetException e) {
      throw new IllegalStateException(e);
    }
  }
}
