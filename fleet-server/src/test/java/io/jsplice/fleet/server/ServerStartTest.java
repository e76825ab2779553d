package io.jsplice.fleet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jsplice.fleet.api.FleetStatus;
import io.jsplice.fleet.server.store.Credentials;
import io.jsplice.testkit.TestUsers;
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

  /**
   * A data directory another user owns (say one they made at the path first) is refused, its files
   * untouched: before, the server made it 0700 (its owner can undo that) and took over the
   * admin.token found there, so whoever planted it held the fleet's admin token.
   */
  @Test
  void start_asRoot_refusesADataDirectoryAnotherUserOwns_andTakesOverNoTokenPlantedThere()
      throws Exception {
    String why = TestUsers.cannotRun();
    assumeTrue(why == null, () -> "skipped: " + why);
    Path data = Files.createDirectory(dir.resolve("data"));
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path planted =
        Files.writeString(data.resolve(Credentials.ADMIN_FILE), "jsa_plantedbyanotheruser\n");
    TestUsers.chown(planted, TestUsers.b());
    TestUsers.chown(data, TestUsers.b());

    assertThatThrownBy(() -> FleetServer.start(ServerConfig.embedded(data, List.of())))
        .isInstanceOf(ServerStartException.class)
        .hasMessage(
            "cannot use the data directory "
                + data
                + ": "
                + data
                + " belongs to uid "
                + TestUsers.b().uid()
                + ", not to the server's user (uid 0), who could read or replace the secrets in"
                + " it; give a directory of the server's user, or a new path");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data)))
        .isEqualTo("rwxr-xr-x");
    try (var files = Files.list(data)) {
      assertThat(files.toList()).containsExactly(planted);
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
