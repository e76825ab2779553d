package io.jsplice.fleet.daemon;

import io.jsplice.fleet.api.Enrolment;
import io.jsplice.fleet.api.EnrolmentReceipt;
import io.jsplice.fleet.api.HostReport;
import io.jsplice.fleet.api.ReportReceipt;
import io.jsplice.fleet.api.UpdateList;
import io.jsplice.fleet.api.client.FleetClient;
import io.jsplice.fleet.api.client.FleetException;
import io.jsplice.fleet.api.client.Polled;
import io.jsplice.fleet.daemon.state.Identity;
import io.jsplice.fleet.daemon.state.StateDirectory;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;

/**
 * The daemon's side of the server: its identity (enrolling once), the calls, and the backoff after
 * the server could not be reached. While backing off, no call is made; {@link #resetBackoff} (a
 * "poll now") ends it.
 *
 * <p>Used by the daemon's one loop thread only.
 */
final class ServerLink {
  private final DaemonConfig config;
  private final StateDirectory state;
  private Identity identity;
  private FleetClient client;
  private int failures;
  private Instant nextAttempt;
  private String lastError;

  ServerLink(DaemonConfig config, StateDirectory state) {
    this.config = config;
    this.state = state;
  }

  /** Whether the server may be called now (not backing off). */
  boolean mayCall(Instant now) {
    return nextAttempt == null || !now.isBefore(nextAttempt);
  }

  Instant nextAttempt() {
    return nextAttempt;
  }

  String lastError() {
    return lastError;
  }

  boolean reachable() {
    return failures == 0;
  }

  void resetBackoff() {
    nextAttempt = null;
  }

  /** Notes a call that reached the server (whatever it answered). */
  void reached() {
    failures = 0;
    nextAttempt = null;
    lastError = null;
  }

  /** Notes a call that did not reach it; returns how long it backs off. */
  Duration unreachable(FleetException e, Instant now) {
    failures++;
    lastError = e.getMessage();
    long factor = 1L << Math.min(failures - 1, 20);
    Duration wait = config.interval().multipliedBy(factor);
    if (wait.compareTo(config.maxBackoff()) > 0) {
      wait = config.maxBackoff();
    }
    nextAttempt = now.plus(wait);
    return wait;
  }

  /** The identity from the state directory; null if the host never enrolled. */
  Identity identity() throws IOException {
    if (identity == null) {
      identity = state.readJson(Identity.FILE, Identity.class).orElse(null);
      if (identity != null && !sameServer(identity.server(), config.server())) {
        throw new IOException(
            "this state directory belongs to a host enrolled with "
                + identity.server()
                + ", not "
                + config.server()
                + "; give this server another --state");
      }
    }
    return identity;
  }

  /**
   * Whether a host enrolled with {@code enrolled} may use its identity with {@code configured}: the
   * same URL, or the same host moved from http to https (a server given TLS, perhaps on another
   * port), so that a fleet can turn TLS on without enrolling every host again. Never from https
   * back to http, which would send the host's secret readable.
   */
  static boolean sameServer(URI enrolled, URI configured) {
    if (enrolled.equals(configured)) {
      return true;
    }
    return "http".equals(enrolled.getScheme())
        && "https".equals(configured.getScheme())
        && enrolled.getHost() != null
        && enrolled.getHost().equalsIgnoreCase(configured.getHost())
        && java.util.Objects.equals(path(enrolled), path(configured));
  }

  private static String path(URI uri) {
    String path = uri.getPath() == null ? "" : uri.getPath();
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  /** Enrols with the fleet's key and keeps the identity (owner-only). */
  Identity enrol(String machineId, String hostname) throws FleetException, IOException {
    if (config.enrolKey() == null) {
      throw new IOException("this host is not enrolled yet and no --enrol-key was given");
    }
    String key = firstLine(config.enrolKey());
    EnrolmentReceipt receipt =
        FleetClient.of(config.server(), key, config.transport())
            .enrol(new Enrolment(config.name(), machineId, hostname, config.group()));
    Identity enrolled =
        new Identity(config.server(), receipt.hostId(), receipt.name(), receipt.secret());
    state.writeJson(Identity.FILE, enrolled);
    this.identity = enrolled;
    this.client = null;
    return enrolled;
  }

  private static String firstLine(java.nio.file.Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8).strip();
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline).strip();
  }

  private FleetClient client() throws IOException {
    if (client == null) {
      client = FleetClient.of(config.server(), identity().secret(), config.transport());
    }
    return client;
  }

  Polled<UpdateList> updates(String etag) throws FleetException, IOException {
    return client().updates(etag);
  }

  ReportReceipt report(HostReport report) throws FleetException, IOException {
    return client().report(report);
  }

  byte[] download(String updateId) throws FleetException, IOException {
    return client().updatePackage(updateId);
  }
}
