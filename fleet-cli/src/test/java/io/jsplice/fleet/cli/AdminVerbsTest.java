package io.jsplice.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jsplice.cli.Jsplice;
import io.jsplice.fleet.api.Enrolment;
import io.jsplice.fleet.api.FleetJson;
import io.jsplice.fleet.api.HostList;
import io.jsplice.fleet.api.HostState;
import io.jsplice.fleet.api.HostSummary;
import io.jsplice.fleet.api.client.FleetClient;
import io.jsplice.fleet.server.FleetServer;
import io.jsplice.fleet.server.ServerConfig;
import io.jsplice.fleet.testkit.Reports;
import io.jsplice.fleet.testkit.TestUpdates;
import io.jsplice.model.control.FailureCause;
import io.jsplice.testkit.Jdk;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin verbs as an operator runs them against a real server: what they print, their {@code
 * --json}, and the exit code of each kind of failure (50 server unreachable, 51 not authorized, 53
 * no such host, 42 while a JVM is vulnerable, the agent's cause for a refused update), each with a
 * one-line message and nothing changed on the server.
 */
class AdminVerbsTest {
  @TempDir static Path dir;
  private static FleetServer server;
  private static FleetClient admin;
  private static Path token;

  @BeforeAll
  static void fleet() throws Exception {
    Path data = dir.resolve("server");
    server =
        FleetServer.start(
            ServerConfig.embedded(data, List.of(TestUpdates.get().trustedCertificate())));
    token = data.resolve("admin.token");
    admin = FleetClient.of(server.url(), Files.readString(token).strip());
    admin.publish(TestUpdates.get().bytes(TestUpdates.get().signed()));
    String enrolKey = Files.readString(data.resolve("enrol.key")).strip();
    String secret =
        FleetClient.of(server.url(), enrolKey)
            .enrol(new Enrolment("web-1", null, null, null))
            .secret();
    FleetClient.of(server.url(), secret)
        .report(Reports.of(Reports.jvm(100, "1.9"), Reports.jvm(101, "1.9")));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** What one verb did. */
  private record Run(int exit, String out, String err) {}

  private static Run jsplice(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Jsplice.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(exit, out.toString(), err.toString());
  }

  /** {@code args} followed by this server's URL and admin token. */
  private static Run admin(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--server", server.url().toString(), "--token-file", token.toString()));
    return jsplice(all.toArray(String[]::new));
  }

  private static void oneLine(String message) {
    assertThat(message.strip()).isNotEmpty().doesNotContain("\n");
  }

  @Test
  void publish_printsWhatItPublished_andTheSameFileAgainChangesNothing() throws Exception {
    Path jettison = TestUpdates.jettison().signed();
    Run first = admin("publish", jettison.toString());
    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.out())
        .startsWith("published CVE-2022-40149 to " + server.url())
        .contains("  for jettison 1.5.0 -> 1.5.1");
    Run again = admin("publish", jettison.toString());
    assertThat(again.exit()).isZero();
    assertThat(again.out()).startsWith("already published CVE-2022-40149");
    assertThat(admin.audit(0, 1000).entries())
        .filteredOn(e -> e.target().equals("CVE-2022-40149"))
        .extracting(e -> e.action())
        .containsExactly("update.publish");
  }

  @Test
  void publish_ofAnUnsignedUpdate_exitsWithTheCauseAnAgentWouldGive() throws Exception {
    int before = admin.updates().updates().size();
    Run run = admin("publish", TestUpdates.get().unsigned().toString());
    assertThat(run.exit()).isEqualTo(FailureCause.NOT_SIGNED.exitCode());
    oneLine(run.err());
    assertThat(run.err()).contains("not signed");
    assertThat(admin.updates().updates()).hasSize(before);
  }

  @Test
  void fleetRotateEnrolKey_printsTheNewKey_andTheOldOneEnrolsNothingMore() throws Exception {
    Path file = dir.resolve("server").resolve("enrol.key");
    String old = Files.readString(file).strip();

    Run run = admin("fleet", "rotate-enrol-key");

    assertThat(run.exit()).as(run.err()).isZero();
    String key = run.out().strip();
    assertThat(key).startsWith("jse_").isNotEqualTo(old).isEqualTo(Files.readString(file).strip());
    Run refused =
        jsplice(
            "fleet",
            "rotate-enrol-key",
            "--server",
            server.url().toString(),
            "--token-file",
            file.toString());
    assertThat(refused.exit()).isEqualTo(51);
    oneLine(refused.err());
    assertThatThrownBy(
            () ->
                FleetClient.of(server.url(), old)
                    .enrol(new Enrolment("intruder", null, null, null)))
        .hasMessageContaining("unknown enrolment key");
  }

  @Test
  void hosts_printsAVerdictFirst_andItsJsonIsTheServersHostList() throws Exception {
    Run text = admin("hosts");
    assertThat(text.exit()).as(text.err()).isZero();
    assertThat(text.out().lines().findFirst().orElseThrow())
        .isEqualTo("1 host(s), 1 with vulnerable JVMs");
    Run json = admin("hosts", "--json");
    assertThat(json.exit()).isZero();
    HostList hosts = FleetJson.read(json.out().getBytes(StandardCharsets.UTF_8), HostList.class);
    assertThat(hosts.hosts())
        .singleElement()
        .satisfies(h -> assertThat(h.name()).isEqualTo("web-1"))
        .satisfies(h -> assertThat(h.state()).isEqualTo(HostState.ACTIVE))
        .satisfies(h -> assertThat(h.jvms()).isEqualTo(2))
        .satisfies(h -> assertThat(h.jvmsVulnerable()).isEqualTo(2));
  }

  @Test
  void fleetExposure_exits42WhileAJvmRunsAVulnerableRelease() {
    Run run = admin("fleet", "exposure", TestUpdates.GROUP_ID + ":" + TestUpdates.ARTIFACT_ID);
    assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(42);
    assertThat(run.out())
        .startsWith("commons-text: 2 JVM(s) load it, 2 vulnerable, 0 patched")
        .contains("VULNERABLE web-1 JVM 100  commons-text 1.9");
  }

  @Test
  void anUnknownHost_exits53NamingIt() throws Exception {
    Run run = admin("host", "deactivate", "nosuch", "--reason", "typo");
    assertThat(run.exit()).isEqualTo(FailureCause.NOT_FOUND.exitCode()).isEqualTo(53);
    oneLine(run.err());
    assertThat(run.err()).contains("there is no host named \"nosuch\"");
    assertThat(admin.hosts().hosts()).extracting(HostSummary::state).containsOnly(HostState.ACTIVE);
  }

  @Test
  void aTokenTheServerDoesNotKnow_exits51() throws Exception {
    Path madeUp = dir.resolve("made-up.token");
    Files.writeString(madeUp, "jsa_madeUpTokenOfTheRightShape0\n");
    Run run =
        jsplice(
            "host",
            "deactivate",
            "web-1",
            "--server",
            server.url().toString(),
            "--token-file",
            madeUp.toString());
    assertThat(run.exit()).isEqualTo(FailureCause.NOT_AUTHORIZED.exitCode()).isEqualTo(51);
    oneLine(run.err());
    assertThat(run.err()).contains("unknown admin token");
    assertThat(admin.host("web-1").host().state()).isEqualTo(HostState.ACTIVE);
  }

  @Test
  void aServerThatIsNotThere_exits50() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Run run =
        jsplice(
            "fleet",
            "status",
            "--server",
            "http://127.0.0.1:" + closedPort,
            "--token-file",
            token.toString());
    assertThat(run.exit()).isEqualTo(FailureCause.SERVER_UNREACHABLE.exitCode()).isEqualTo(50);
    oneLine(run.err());
  }

  @Test
  void withoutAToken_itSaysWhereToGiveIt() {
    assumeTrue(
        System.getenv(AdminOptions.TOKEN_FILE_ENV) == null,
        "$JSPLICE_TOKEN_FILE is set in this environment: it would name the token");
    Run run = jsplice("hosts", "--server", server.url().toString());
    assertThat(run.exit()).isEqualTo(FailureCause.BAD_REQUEST.exitCode());
    oneLine(run.err());
    assertThat(run.err()).contains("--token-file FILE").contains("$JSPLICE_TOKEN_FILE");
  }

  @Test
  void theServerAndTokenComeFromTheEnvironment() throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Jdk.current().java().toString());
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    command.addAll(List.of("io.jsplice.cli.Jsplice", "hosts", "--json"));
    Path stderr = dir.resolve("env-hosts.err");
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
    Map<String, String> env = builder.environment();
    env.put(AdminOptions.SERVER_ENV, server.url().toString());
    env.put(AdminOptions.TOKEN_FILE_ENV, token.toString());
    Process process = builder.start();
    process.getOutputStream().close();
    byte[] out = process.getInputStream().readAllBytes(); // until it exits
    assertThat(process.waitFor()).as(Files.readString(stderr)).isZero();
    assertThat(FleetJson.read(out, HostList.class).hosts())
        .extracting(HostSummary::name)
        .containsExactly("web-1");
  }
}
