package io.jsplice.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.cli.Jsplice;
import io.jsplice.fleet.api.Enrolment;
import io.jsplice.fleet.api.EventKind;
import io.jsplice.fleet.api.HostEvent;
import io.jsplice.fleet.api.HostReport;
import io.jsplice.fleet.api.JvmInventory;
import io.jsplice.fleet.api.LoadedArtifact;
import io.jsplice.fleet.api.RestartOutlook;
import io.jsplice.fleet.api.StaleVerdict;
import io.jsplice.fleet.api.client.FleetClient;
import io.jsplice.fleet.server.FleetServer;
import io.jsplice.fleet.server.ServerConfig;
import io.jsplice.fleet.testkit.TestUpdates;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jsplice fleet update ID}: an operator told by a daemon's refusal to run {@code jsplice
 * fleet accept-left-out} can see from a terminal, as on the dashboard's update page, which JVMs the
 * update is held in for the classes it leaves out, which classes, and where it is accepted.
 */
class UpdateVerbTest {
  @TempDir Path dir;

  @Test
  void update_showsTheClassesLeftOut_whereAccepted_andTheJvmsHeldForThem() throws Exception {
    Path data = dir.resolve("server");
    try (FleetServer server =
        FleetServer.start(
            ServerConfig.embedded(data, List.of(TestUpdates.get().trustedCertificate())))) {
      Path token = data.resolve("admin.token");
      FleetClient admin = FleetClient.of(server.url(), Files.readString(token).strip());
      admin.publish(Files.readAllBytes(TestUpdates.jettisonLeavingOut()));
      String id = TestUpdates.LEFT_OUT_ID;
      String leftOut = admin.analysis(id).leftOut().get(0);
      String enrolKey = Files.readString(data.resolve("enrol.key")).strip();
      for (String name : List.of("web-1", "web-2")) {
        String secret =
            FleetClient.of(server.url(), enrolKey)
                .enrol(new Enrolment(name, null, null, null))
                .secret();
        JvmInventory jvm = jettisonJvm(name.equals("web-1") ? 301 : 302);
        List<HostEvent> events =
            name.equals("web-1")
                ? List.of(
                    new HostEvent(
                        UUID.randomUUID().toString(),
                        Instant.now(),
                        EventKind.APPLY_FAILED,
                        jvm.key(),
                        jvm.pid(),
                        id,
                        HostEvent.CLASSES_LEFT_OUT,
                        "leaves out 1 class(es)"))
                : List.of();
        FleetClient.of(server.url(), secret)
            .report(
                new HostReport(
                    UUID.randomUUID().toString(), Instant.now(), "test", List.of(jvm), events));
      }
      String[] where = {"--server", server.url().toString(), "--token-file", token.toString()};

      String before = run(where, "fleet", "update", id);
      assertThat(before.lines())
          .contains(
              "  targets   org.codehaus.jettison:jettison 1.5.0 -> 1.5.1",
              "  JVMs      0 run it, 1 need it, 1 failed (1 held for the classes it leaves out)",
              "  left out  1 class(es) of the fixed release; accepted in no group for this update"
                  + " (jsplice fleet accept-left-out "
                  + id
                  + " --group G | --every-group)",
              "            " + leftOut,
              "  HELD      web-1 (group default) JVM 301  JsonService",
              "  MISSING   web-2 (group default) JVM 302  JsonService");

      run(where, "fleet", "accept-left-out", id, "--every-group");
      assertThat(run(where, "fleet", "update", id))
          .contains("; accepted for this update in every group\n");
      assertThat(run(where, "fleet", "update", id, "--json"))
          .contains("\"leftOut\" : [ \"" + leftOut + "\" ]")
          .contains("\"cause\" : \"CLASSES_LEFT_OUT\"");
    }
  }

  /**
   * {@code jsplice fleet events --host H --update ID}: an update's history on one host, JVM by JVM
   * with the cause, without the other hosts' events or the host's events about other things; it
   * stays once the host is removed. A misspelt host or update is an error, not an empty history.
   */
  @Test
  void events_ofAHostAndAnUpdate_areThatUpdatesHistoryOnThatHost() throws Exception {
    Path data = dir.resolve("server");
    try (FleetServer server =
        FleetServer.start(
            ServerConfig.embedded(data, List.of(TestUpdates.get().trustedCertificate())))) {
      Path token = data.resolve("admin.token");
      FleetClient admin = FleetClient.of(server.url(), Files.readString(token).strip());
      admin.publish(Files.readAllBytes(TestUpdates.jettisonLeavingOut()));
      String id = TestUpdates.LEFT_OUT_ID;
      String enrolKey = Files.readString(data.resolve("enrol.key")).strip();
      for (String name : List.of("web-1", "web-2")) {
        String secret =
            FleetClient.of(server.url(), enrolKey)
                .enrol(new Enrolment(name, null, null, null))
                .secret();
        JvmInventory jvm = jettisonJvm(name.equals("web-1") ? 301 : 302);
        List<HostEvent> events =
            name.equals("web-1")
                ? List.of(
                    event(jvm, EventKind.APPLY_FAILED, id, HostEvent.CLASSES_LEFT_OUT, "held"),
                    event(jvm, EventKind.SKIPPED_DEACTIVATED, null, null, "deactivated"),
                    event(jvm, EventKind.APPLIED, id, null, "applied after acceptance"))
                : List.of(event(jvm, EventKind.APPLIED, id, null, "applied on web-2"));
        FleetClient.of(server.url(), secret)
            .report(
                new HostReport(
                    UUID.randomUUID().toString(), Instant.now(), "test", List.of(jvm), events));
      }
      String[] where = {"--server", server.url().toString(), "--token-file", token.toString()};

      String history = run(where, "fleet", "events", "--host", "web-1", "--update", id);
      assertThat(history.lines()).hasSize(2);
      assertThat(history.lines().toList().get(0))
          .contains("  web-1  APPLY_FAILED  JVM 301  " + id + "  CLASSES_LEFT_OUT  held");
      assertThat(history.lines().toList().get(1))
          .contains("  web-1  APPLIED  JVM 301  " + id + "  applied after acceptance");
      assertThat(run(where, "fleet", "events", "--update", id).lines()).hasSize(3);
      assertThat(run(where, "fleet", "events", "--host", "web-1").lines()).hasSize(3);

      StringWriter err = new StringWriter();
      assertThat(
              Jsplice.run(
                  concat(new String[] {"fleet", "events", "--host", "web-3"}, where),
                  new PrintWriter(new StringWriter(), true),
                  new PrintWriter(err, true)))
          .isEqualTo(53);
      assertThat(err.toString()).contains("there is no host named \"web-3\"");
      err = new StringWriter();
      assertThat(
              Jsplice.run(
                  concat(new String[] {"fleet", "events", "--update", "CVE-0000-0"}, where),
                  new PrintWriter(new StringWriter(), true),
                  new PrintWriter(err, true)))
          .isEqualTo(53);
      assertThat(err.toString()).contains("there is no published update \"CVE-0000-0\"");

      admin.remove("web-1");
      assertThat(run(where, "fleet", "events", "--host", "web-1", "--update", id))
          .as("a removed host's history stays")
          .isEqualTo(history);
    }
  }

  private static HostEvent event(
      JvmInventory jvm, EventKind kind, String update, String cause, String message) {
    return new HostEvent(
        UUID.randomUUID().toString(),
        Instant.now(),
        kind,
        jvm.key(),
        jvm.pid(),
        update,
        cause,
        message);
  }

  private static String[] concat(String[] args, String[] where) {
    String[] all = new String[args.length + where.length];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(where, 0, all, args.length, where.length);
    return all;
  }

  private static String run(String[] where, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + where.length];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(where, 0, all, args.length, where.length);
    int exit = Jsplice.run(all, new PrintWriter(out, true), new PrintWriter(err, true));
    assertThat(exit).as(err.toString()).isZero();
    return out.toString();
  }

  private static JvmInventory jettisonJvm(long pid) {
    return new JvmInventory(
        pid + "@1700000000000",
        pid,
        "JsonService",
        "java -jar json.jar",
        "17.0.10",
        Instant.ofEpochMilli(1_700_000_000_000L),
        true,
        null,
        List.of(
            new LoadedArtifact(
                TestUpdates.Jettison.GROUP_ID,
                TestUpdates.Jettison.ARTIFACT_ID,
                "1.5.0",
                null,
                "/srv/json/lib/jettison-1.5.0.jar")),
        List.of(),
        StaleVerdict.CURRENT,
        RestartOutlook.SAME);
  }
}
