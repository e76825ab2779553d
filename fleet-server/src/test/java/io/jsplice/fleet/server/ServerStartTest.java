package io.jsplice.fleet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsplice.fleet.api.FleetStatus;
import io.jsplice.fleet.server.store.Credentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerStartTest {
  @TempDir Path dir;

  @Test
  void firstStart_createsOwnerOnlyAdminTokenAndEnrolmentKey() throws Exception {
    Path data = dir.resolve("data");
    try (RunningServer server = RunningServer.start(Backend.H2, data, "start")) {
      assertThat(server.server().credentials()).allMatch(Credentials.Setup::created);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data)))
          .isEqualTo("rwx------");
      for (String file : List.of(Credentials.ADMIN_FILE, Credentials.ENROL_FILE)) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve(file))))
            .as(file)
            .isEqualTo("rw-------");
      }
      assertThat(server.secret(Credentials.ADMIN_FILE)).startsWith("jsa_").hasSize(47);
      assertThat(server.secret(Credentials.ENROL_FILE)).startsWith("jse_");
      FleetStatus status = server.admin().status();
      assertThat(status.hostsActive()).isZero();
    }
  }

  @Test
  void restart_keepsTheCredentialsAndTheData() throws Exception {
    Path data = dir.resolve("data");
    String admin;
    try (RunningServer server = RunningServer.start(Backend.H2, data, "restart")) {
      admin = server.secret(Credentials.ADMIN_FILE);
      server.enrol("web-1");
    }
    try (RunningServer server = RunningServer.start(Backend.H2, data, "restart")) {
      assertThat(server.server().credentials()).noneMatch(Credentials.Setup::created);
      assertThat(server.server().credentials()).allMatch(s -> s.note() == null);
      assertThat(server.secret(Credentials.ADMIN_FILE)).isEqualTo(admin);
      assertThat(server.admin().hosts().hosts()).extracting(h -> h.name()).containsExactly("web-1");
    }
  }

  @Test
  void start_refusesAnUnreadableTrustFile() {
    ServerConfig config =
        ServerConfig.embedded(dir.resolve("data"), List.of(dir.resolve("nope.pem")));
    assertThatThrownBy(() -> FleetServer.start(config))
        .isInstanceOf(ServerStartException.class)
        .hasMessageStartingWith("cannot read --trust:")
        .hasMessageContaining("nope.pem");
  }

  @Test
  void start_refusesAPortInUse() throws Exception {
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      ServerConfig config =
          ServerConfig.embedded(dir.resolve("data"), List.of()).withPort(taken.getLocalPort());
      assertThatThrownBy(() -> FleetServer.start(config))
          .isInstanceOf(ServerStartException.class)
          .hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getLocalPort());
    }
  }
}
