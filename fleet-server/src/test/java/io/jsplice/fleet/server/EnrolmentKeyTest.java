package io.jsplice.fleet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsplice.fleet.api.Enrolment;
import io.jsplice.fleet.api.ErrorCode;
import io.jsplice.fleet.api.HostState;
import io.jsplice.fleet.api.client.FleetClient;
import io.jsplice.fleet.api.client.FleetException;
import io.jsplice.fleet.server.store.Credentials;
import io.jsplice.fleet.testkit.Reports;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Deactivation outlasts the host's secret: the machine of a deactivated host enrols no second host,
 * and an admin can rotate the enrolment key that machine kept, while enrolled hosts keep theirs. On
 * embedded H2 and on PostgreSQL.
 */
class EnrolmentKeyTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aDeactivatedHostsMachine_enrollingUnderANewName_isRefused_untilItsHostIsRemoved(
      Backend backend) throws Exception {
    try (RunningServer server = RunningServer.start(backend, dir, "deactivated_machine")) {
      server.enrolment("app-1"); // machine "machine-app-1"
      server.admin().deactivate("app-1", "decommissioned");

      assertThatThrownBy(
              () ->
                  server
                      .enroller()
                      .enrol(new Enrolment("app-1-again", "machine-app-1", "app-1", null)))
          .isInstanceOfSatisfying(
              FleetException.class, e -> assertThat(e.is(ErrorCode.HOST_DEACTIVATED)).isTrue())
          .hasMessageContaining("host app-1, which is deactivated (decommissioned)");
      assertThat(server.admin().hosts().hosts()).extracting(h -> h.name()).containsExactly("app-1");

      // Another machine enrols as before; the same machine does once its host is removed.
      assertThat(server.enrolment("app-2").state()).isEqualTo(HostState.ACTIVE);
      server.admin().remove("app-1");
      assertThat(
              server
                  .enroller()
                  .enrol(new Enrolment("app-1-again", "machine-app-1", "app-1", null))
                  .state())
          .isEqualTo(HostState.ACTIVE);
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void rotatingTheEnrolmentKey_refusesTheOldOne_andEnrolledHostsKeepTheirSecrets(Backend backend)
      throws Exception {
    try (RunningServer server = RunningServer.start(backend, dir, "enrol_key_rotation")) {
      FleetClient enrolled = server.enrol("web-1");
      FleetClient oldKey = server.enroller();

      String newKey = server.admin().rotateEnrolmentKey().key();

      assertThat(newKey).startsWith("jse_");
      assertThat(server.secret(Credentials.ENROL_FILE)).isEqualTo(newKey);
      assertThatThrownBy(
              () -> oldKey.enrol(new Enrolment("intruder", "machine-intruder", null, null)))
          .isInstanceOfSatisfying(
              FleetException.class,
              e -> assertThat(e.is(ErrorCode.UNAUTHENTICATED)).as(e.getMessage()).isTrue());
      assertThat(
              server
                  .anonymous()
                  .withCredential(newKey)
                  .enrol(new Enrolment("web-2", "machine-web-2", null, null))
                  .state())
          .isEqualTo(HostState.ACTIVE);
      assertThat(enrolled.updates(null).modified()).isTrue();
      enrolled.report(Reports.of(Reports.jvm(1, "1.9")));
      assertThat(server.admin().hosts().hosts())
          .extracting(h -> h.name())
          .containsExactly("web-1", "web-2");
      assertThat(server.admin().audit(0, 100).entries())
          .anyMatch(e -> e.action().equals("enrol-key.rotate"));

      // Only an admin rotates it.
      for (FleetClient caller :
          java.util.List.of(enrolled, server.enroller(), server.anonymous())) {
        assertThatThrownBy(caller::rotateEnrolmentKey).isInstanceOf(FleetException.class);
      }
      assertThat(server.secret(Credentials.ENROL_FILE)).isEqualTo(newKey);
    }
  }
}
