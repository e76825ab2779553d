package io.jsplice.fleet.daemon;

import io.jsplice.fleet.api.client.ClientTransport;
import io.jsplice.fleet.daemon.agents.JvmSelector;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a daemon runs.
 *
 * @param server the fleet server
 * @param enrolKey the file holding the fleet's enrolment key; read only to enrol
 * @param name the host's name in the fleet
 * @param group the group to join at enrolment; null for the server's default
 * @param state the daemon's own directory
 * @param trust the certificates whose keys sign updates this daemon applies (its own, whatever the
 *     server trusts)
 * @param interval time between polls
 * @param maxBackoff the longest wait before trying an unreachable server again
 * @param selector which local JVMs it manages
 * @param transport how it reaches the server (trusted CAs, proxy); null for the JDK's defaults
 */
public record DaemonConfig(
    URI server,
    Path enrolKey,
    String name,
    String group,
    Path state,
    List<Path> trust,
    Duration interval,
    Duration maxBackoff,
    JvmSelector selector,
    ClientTransport transport) {

  public DaemonConfig {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(state, "state");
    trust = List.copyOf(trust);
    if (trust.isEmpty()) {
      throw new IllegalArgumentException(
          "the daemon needs --trust: it applies only updates signed by a key it trusts");
    }
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("the interval must be positive");
    }
    maxBackoff = maxBackoff == null ? defaultBackoff(interval) : maxBackoff;
    selector = selector == null ? JvmSelector.all() : selector;
    transport = transport == null ? ClientTransport.jdkDefaults() : transport;
  }

  /** Reaching the server directly, with the JDK's trusted CAs. */
  public DaemonConfig(
      URI server,
      Path enrolKey,
      String name,
      String group,
      Path state,
      List<Path> trust,
      Duration interval,
      Duration maxBackoff,
      JvmSelector selector) {
    this(server, enrolKey, name, group, state, trust, interval, maxBackoff, selector, null);
  }

  /** 32 intervals, between one minute and 30 minutes. */
  static Duration defaultBackoff(Duration interval) {
    Duration backoff = interval.multipliedBy(32);
    if (backoff.compareTo(Duration.ofMinutes(1)) < 0) {
      return Duration.ofMinutes(1);
    }
    return backoff.compareTo(Duration.ofMinutes(30)) > 0 ? Duration.ofMinutes(30) : backoff;
  }
}
