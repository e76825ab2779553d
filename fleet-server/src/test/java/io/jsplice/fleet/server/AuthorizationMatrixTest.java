package io.jsplice.fleet.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.fleet.api.Enrolment;
import io.jsplice.fleet.api.EnrolmentReceipt;
import io.jsplice.fleet.api.ErrorCode;
import io.jsplice.fleet.api.HostState;
import io.jsplice.fleet.api.client.FleetClient;
import io.jsplice.fleet.api.client.FleetException;
import io.jsplice.fleet.testkit.Reports;
import io.jsplice.fleet.testkit.TestUpdates;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of caller against every kind of route: admin token, enrolment key, an active host's
 * secret, a deactivated host's, a pending host's, a removed host's, a made-up token, none. Each
 * credential opens its own routes and no other, and every refusal is 401 or 403 with a message that
 * names the credential the route takes.
 */
class AuthorizationMatrixTest {
  @TempDir static Path dir;
  private static RunningServer server;
  private static final Map<String, FleetClient> CALLERS = new LinkedHashMap<>();
  private static final AtomicInteger ENROLMENTS = new AtomicInteger();

  @BeforeAll
  static void fleet() throws Exception {
    server =
        RunningServer.start(
            ServerConfig.embedded(dir, List.of(TestUpdates.get().trustedCertificate()))
                .withNewHosts(HostState.PENDING));
    server.admin().publish(TestUpdates.get().bytes(TestUpdates.get().signed()));
    FleetClient active = server.enrol("active");
    FleetClient deactivated = server.enrol("deactivated");
    FleetClient pending = server.enrol("pending");
    FleetClient removed = server.enrol("removed");
    server.admin().activate("active");
    server.admin().activate("deactivated");
    server.admin().deactivate("deactivated", "decommissioned");
    for (FleetClient host : List.of(active, deactivated, pending)) {
      host.report(Reports.of(Reports.jvm(100, "1.9")));
    }
    server.admin().remove("removed");
    CALLERS.put("none", server.anonymous());
    CALLERS.put("made-up", server.anonymous().withCredential("jsa_madeUpTokenOfTheRightShape0"));
    CALLERS.put("admin", server.admin());
    CALLERS.put("enrol key", server.enroller());
    CALLERS.put("active host", active);
    CALLERS.put("deactivated host", deactivated);
    CALLERS.put("pending host", pending);
    CALLERS.put("removed host", removed);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** What one call did: its HTTP status, and the error's code and message if refused. */
  private record Outcome(int status, ErrorCode error, String message) {
    @Override
    public String toString() {
      return status + (error == null ? "" : " " + error + ": " + message);
    }
  }

  @FunctionalInterface
  private interface Call {
    Object on(FleetClient client) throws FleetException;
  }

  private static Outcome outcome(Call call, FleetClient client, int success) {
    try {
      call.on(client);
      return new Outcome(success, null, null);
    } catch (FleetException e) {
      assertThat(e.status()).as("refusals are 4xx: %s", e.getMessage()).isBetween(400, 499);
      assertThat(e.error()).as("a JSON error body for %s", e.getMessage()).isNotNull();
      assertThat(e.getMessage()).doesNotContain("\n").isNotBlank();
      return new Outcome(e.status(), e.error().error(), e.getMessage());
    }
  }

  private static Map<String, Integer> statuses(Call call, int success) {
    Map<String, Integer> out = new LinkedHashMap<>();
    CALLERS.forEach((name, client) -> out.put(name, outcome(call, client, success).status()));
    return out;
  }

  private static Map<String, Integer> expect(int... statuses) {
    Map<String, Integer> out = new LinkedHashMap<>();
    List<String> names = new ArrayList<>(CALLERS.keySet());
    for (int i = 0; i < statuses.length; i++) {
      out.put(names.get(i), statuses[i]);
    }
    return out;
  }

  //                          none made-up admin enrol active deact pending removed

  @Test
  void adminRoutes_openOnlyToTheAdminToken() {
    assertThat(statuses(FleetClient::hosts, 200))
        .isEqualTo(expect(401, 401, 200, 403, 403, 403, 403, 401));
    assertThat(statuses(FleetClient::status, 200))
        .isEqualTo(expect(401, 401, 200, 403, 403, 403, 403, 401));
    assertThat(statuses(c -> c.host("active"), 200))
        .isEqualTo(expect(401, 401, 200, 403, 403, 403, 403, 401));
    assertThat(statuses(c -> c.audit(0, 10), 200))
        .isEqualTo(expect(401, 401, 200, 403, 403, 403, 403, 401));
  }

  @Test
  void hostUpdateList_opensOnlyToAnActiveHostsOwnSecret() {
    assertThat(statuses(c -> c.updates(null), 200))
        .isEqualTo(expect(401, 401, 403, 403, 200, 403, 403, 401));
    assertThat(outcome(c -> c.updates(null), CALLERS.get("deactivated host"), 200))
        .satisfies(o -> assertThat(o.error()).isEqualTo(ErrorCode.HOST_DEACTIVATED))
        .satisfies(
            o ->
                assertThat(o.message())
                    .isEqualTo(
                        "host deactivated is deactivated (decommissioned): it gets no updates"
                            + " until an admin activates it again"));
    assertThat(outcome(c -> c.updates(null), CALLERS.get("pending host"), 200).error())
        .isEqualTo(ErrorCode.HOST_PENDING);
  }

  @Test
  void packages_openOnlyToAnActiveHostWhoseListHasThem() {
    assertThat(statuses(c -> c.updatePackage(TestUpdates.UPDATE_ID), 200))
        .isEqualTo(expect(401, 401, 403, 403, 200, 403, 403, 401));
  }

  @Test
  void reports_openToEveryEnrolledHostWhateverItsState() {
    assertThat(statuses(c -> c.report(Reports.of(Reports.jvm(100, "1.9"))), 200))
        .isEqualTo(expect(401, 401, 403, 403, 200, 200, 200, 401));
  }

  @Test
  void enrolment_opensOnlyToTheEnrolmentKey() {
    Call enrol =
        c -> c.enrol(new Enrolment("new-" + ENROLMENTS.incrementAndGet(), null, null, null));
    assertThat(statuses(enrol, 201)).isEqualTo(expect(401, 401, 403, 201, 403, 403, 403, 401));
  }

  @Test
  void refusals_nameTheCredentialTheRouteTakes() {
    assertThat(outcome(FleetClient::hosts, CALLERS.get("active host"), 200).message())
        .isEqualTo("a host's secret cannot act as an admin; send the admin token (admin.token)");
    assertThat(outcome(c -> c.updates(null), CALLERS.get("admin"), 200).message())
        .isEqualTo("an admin token cannot act as a host; a host sends its own secret");
    assertThat(outcome(FleetClient::hosts, CALLERS.get("none"), 200).message())
        .isEqualTo(
            "no credentials: send \"Authorization: Bearer\" with the admin token (admin.token)");
    assertThat(outcome(c -> c.updates(null), CALLERS.get("removed host"), 200).message())
        .startsWith("unknown host secret: the server does not know it;");
  }

  @Test
  void noCredentialButTheAdminTokenChangesAHost() throws Exception {
    for (Map.Entry<String, FleetClient> caller : CALLERS.entrySet()) {
      if (caller.getKey().equals("admin")) {
        continue;
      }
      FleetClient client = caller.getValue();
      assertThat(
              outcome(c -> c.deactivate("active", "by " + caller.getKey()), client, 200).status())
          .as(caller.getKey())
          .isIn(401, 403);
      assertThat(outcome(c -> c.moveToGroup("active", "default"), client, 200).status())
          .isIn(401, 403);
      assertThat(outcome(c -> c.approve(TestUpdates.UPDATE_ID, "default"), client, 200).status())
          .isIn(401, 403);
      assertThat(outcome(c -> c.publish(new byte[] {1}), client, 201).status()).isIn(401, 403);
    }
    assertThat(server.admin().host("active").host().state()).isEqualTo(HostState.ACTIVE);
    assertThat(server.admin().audit(0, 1000).entries())
        .noneMatch(e -> e.action().equals("host.group") || e.action().equals("update.approve"))
        .filteredOn(e -> e.action().equals("host.deactivate"))
        .extracting(e -> e.target())
        .containsExactly("deactivated");
  }

  @Test
  void aHostSecretSpeaksOnlyForItsOwnHost() throws Exception {
    FleetClient active = CALLERS.get("active host");
    EnrolmentReceipt other = server.enrolment("other-" + ENROLMENTS.incrementAndGet());
    server.admin().activate(other.name());
    server.host(other).report(Reports.of(Reports.jvm(7, "1.8"), Reports.jvm(8, "1.8")));
    active.report(Reports.of(Reports.jvm(100, "1.9")));
    assertThat(server.admin().host("active").jvms()).extracting(j -> j.pid()).containsExactly(100L);
    assertThat(server.admin().host(other.name()).jvms())
        .extracting(j -> j.pid())
        .containsExactly(7L, 8L);
    assertThat(active.self().name()).isEqualTo("active");
    assertThat(outcome(c -> c.host(other.name()), active, 200).status()).isEqualTo(403);
  }
}
