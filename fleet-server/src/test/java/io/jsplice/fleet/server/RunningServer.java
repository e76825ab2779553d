package io.jsplice.fleet.server;

import io.jsplice.fleet.api.Enrolment;
import io.jsplice.fleet.api.EnrolmentReceipt;
import io.jsplice.fleet.api.client.FleetClient;
import io.jsplice.fleet.api.client.FleetException;
import io.jsplice.fleet.server.store.Credentials;
import io.jsplice.fleet.server.store.OwnerOnlyFiles;
import io.jsplice.fleet.testkit.TestUpdates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** A fleet server started in-process for a test, with clients for its admin and enrolment key. */
public final class RunningServer implements AutoCloseable {
  private final FleetServer server;

  private RunningServer(FleetServer server) {
    this.server = server;
  }

  public static RunningServer start(ServerConfig config) {
    try {
      return new RunningServer(FleetServer.start(config));
    } catch (ServerStartException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Embedded H2 or a new PostgreSQL database, trusting the test updates' key. */
  public static RunningServer start(Backend backend, Path dataDir, String name) {
    return start(
        ServerConfig.embedded(dataDir, java.util.List.of(TestUpdates.get().trustedCertificate()))
            .withDatabase(backend.newDatabase(name)));
  }

  public FleetServer server() {
    return server;
  }

  public FleetClient anonymous() {
    return FleetClient.of(server.url(), null);
  }

  public FleetClient admin() {
    return anonymous().withCredential(secret(Credentials.ADMIN_FILE));
  }

  public FleetClient enroller() {
    return anonymous().withCredential(secret(Credentials.ENROL_FILE));
  }

  public String secret(String file) {
    try {
      return OwnerOnlyFiles.readSecret(server.config().dataDir().resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Enrols a host and returns a client that authenticates as it. */
  public FleetClient enrol(String name) throws FleetException {
    return host(enrolment(name));
  }

  public EnrolmentReceipt enrolment(String name) throws FleetException {
    return enroller().enrol(new Enrolment(name, "machine-" + name, name + ".example", null));
  }

  public FleetClient host(EnrolmentReceipt receipt) {
    return anonymous().withCredential(receipt.secret());
  }

  @Override
  public void close() {
    server.close();
  }
}
