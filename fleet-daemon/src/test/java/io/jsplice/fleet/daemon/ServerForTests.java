package io.jsplice.fleet.daemon;

import io.jsplice.fleet.api.client.FleetClient;
import io.jsplice.fleet.server.FleetServer;
import io.jsplice.fleet.server.ServerConfig;
import io.jsplice.fleet.server.ServerStartException;
import io.jsplice.fleet.testkit.TestUpdates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A real fleet server on embedded H2, in this JVM, for the daemon's unit tests. */
final class ServerForTests implements AutoCloseable {
  private final FleetServer server;

  private ServerForTests(FleetServer server) {
    this.server = server;
  }

  /** Trusting the test updates' key, on {@code port} (0 for a free one). */
  static ServerForTests start(Path data, int port) {
    try {
      return new ServerForTests(
          FleetServer.start(
              ServerConfig.embedded(data, List.of(TestUpdates.get().trustedCertificate()))
                  .withPort(port)));
    } catch (ServerStartException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  URI url() {
    return server.url();
  }

  int port() {
    return server.port();
  }

  FleetClient admin() {
    try {
      return FleetClient.of(
          url(), Files.readString(server.config().dataDir().resolve("admin.token")).strip());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
