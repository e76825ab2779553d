package io.jsplice.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.cli.Jsplice;
import io.jsplice.fleet.api.client.ClientTransport;
import io.jsplice.fleet.api.client.FleetClient;
import io.jsplice.fleet.api.client.FleetException;
import io.jsplice.fleet.daemon.state.Identity;
import io.jsplice.fleet.testkit.ConnectProxy;
import io.jsplice.fleet.testkit.TestCertificates;
import io.jsplice.fleet.testkit.TestUpdates;
import io.jsplice.model.control.FailureCause;
import io.jsplice.testkit.Jdk;
import io.jsplice.testkit.TargetJvm;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet behind a corporate network, every part real: {@code jsplice server} serving HTTPS with
 * a certificate of a private CA (made by keytool), a {@code jsplice daemon} process and a {@code
 * jsplice publish} process that reach it only through an HTTP CONNECT proxy demanding a login (a
 * socket relay that records what it relayed), and a JVM on the vulnerable commons-text 1.9.
 */
class TlsProxyEndToEndTest {
  @TempDir Path dir;

  @RegisterExtension final Started started = new Started();

  @Test
  void aDaemonEnrolsAndIsPatchedOverTlsThroughAProxy() throws Exception {
    TestUpdates updates = TestUpdates.get();
    Path trust = updates.trustedCertificate();
    TestCertificates tls =
        TestCertificates.create(dir.resolve("tls"), TestCertificates.KeyType.RSA);
    ServerProcess server = started.keep(tlsServer(tls, dir.resolve("server")));
    URI url = server.url();
    assertThat(url.getScheme()).isEqualTo("https");
    Path login = dir.resolve("proxy.login");
    Files.writeString(login, "fleet:s3cret pass\n");
    ConnectProxy daemonProxy = started.keep(ConnectProxy.start("fleet", "s3cret pass"));
    ConnectProxy adminProxy = started.keep(ConnectProxy.start("fleet", "s3cret pass"));
    FleetClient admin =
        FleetClient.of(
            url,
            Files.readString(server.adminToken()).strip(),
            ClientTransport.of(List.of(tls.ca()), ClientTransport.DIRECT, null, url, Map.of()));

    FleetTarget jvm = started.keep(FleetTarget.start("host-t", Jdk.current(), null));
    assertThat(jvm.textFixed()).as("vulnerable before the update").isFalse();
    DaemonProcess daemon =
        started.keep(
            DaemonProcess.start(
                "host-t",
                url,
                server.enrolKey(),
                dir.resolve("daemon"),
                trust,
                "--server-ca",
                tls.ca().toString(),
                "--proxy",
                daemonProxy.url().toString(),
                "--proxy-credentials",
                login.toString()));
    Await.until(
        "the daemon enrolled through the proxy and reported its JVM",
        () -> jvmsOf(admin, "host-t") == 1,
        daemon::outputs);

    TargetJvm publish =
        started.keep(
            JspliceProcess.start(
                List.of(
                    "publish",
                    updates.signed().toString(),
                    "--server",
                    url.toString(),
                    "--token-file",
                    server.adminToken().toString(),
                    "--server-ca",
                    tls.ca().toString(),
                    "--proxy",
                    adminProxy.url().toString(),
                    "--proxy-credentials",
                    login.toString())));
    assertThat(publish.awaitExit(Await.LONG)).as(publish.outputs()).isZero();
    assertThat(publish.stdout()).startsWith("published CVE-2022-42889");
    Await.until(
        "the JVM runs the Text4Shell fix the daemon fetched through the proxy",
        jvm::textFixed,
        () -> jvm.outputs() + daemon.outputs());

    String tunnel = "CONNECT " + url.getHost() + ":" + url.getPort();
    assertThat(daemonProxy.relayed()).isNotEmpty().allMatch(tunnel::equals);
    assertThat(adminProxy.relayed()).isNotEmpty().allMatch(tunnel::equals);
    assertThat(daemonProxy.refused()).as("every request carried the proxy's login").isEmpty();
    assertThat(adminProxy.refused()).isEmpty();
  }

  @Test
  void aDaemonThatDoesNotTrustTheServersCaRefusesInOneLine() throws Exception {
    Path trust = TestUpdates.get().trustedCertificate();
    TestCertificates tls = TestCertificates.create(dir.resolve("tls"), TestCertificates.KeyType.EC);
    ServerProcess server = started.keep(tlsServer(tls, dir.resolve("server")));
    ConnectProxy proxy = started.keep(ConnectProxy.start(null, null));
    Path state = dir.resolve("daemon");
    TargetJvm daemon =
        started.keep(
            JspliceProcess.start(
                List.of(
                    "daemon",
                    "--server",
                    server.url().toString(),
                    "--enrol-key",
                    server.enrolKey().toString(),
                    "--state",
                    state.toString(),
                    "--trust",
                    trust.toString(),
                    "--name",
                    "host-u",
                    "--select",
                    "*no JVM has this command line*",
                    "--proxy",
                    proxy.url().toString(),
                    "--once")));
    assertThat(daemon.awaitExit(Await.LONG))
        .as(daemon.outputs())
        .isEqualTo(FailureCause.SERVER_UNREACHABLE.exitCode());
    String refusal =
        "the fleet server "
            + server.url()
            + " presented a certificate for "
            + tls.serverSubject()
            + " issued by "
            + tls.caSubject()
            + " that this host does not trust (unable to find valid certification path to"
            + " requested target); a TLS-intercepting proxy or a private CA? give its CA"
            + " certificate with --server-ca FILE";
    assertThat(daemon.stderr()).contains("cannot enrol yet: " + refusal);
    assertThat(daemon.stderr().lines().filter(l -> l.contains("presented a certificate")))
        .hasSize(1);
    assertThat(daemon.stderr()).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(proxy.relayed())
        .containsExactly("CONNECT " + server.url().getHost() + ":" + server.url().getPort());
    assertThat(state.resolve(Identity.FILE)).as("not enrolled").doesNotExist();

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        Jsplice.run(
            new String[] {
              "hosts",
              "--server",
              server.url().toString(),
              "--token-file",
              server.adminToken().toString(),
              "--proxy",
              "direct"
            },
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    assertThat(exit).as("an admin verb too: %s", err).isEqualTo(50);
    assertThat(err.toString().strip().lines()).singleElement().asString().contains(refusal);
  }

  @Test
  void aKeyThatIsNotTheCertificatesIsRefusedAtStartInOneLine() throws Exception {
    TestCertificates tls = TestCertificates.create(dir.resolve("tls"), TestCertificates.KeyType.EC);
    TargetJvm server =
        started.keep(
            JspliceProcess.start(
                List.of(
                    "server",
                    "--data",
                    dir.resolve("server").toString(),
                    "--port",
                    "0",
                    "--tls-cert",
                    tls.chain().toString(),
                    "--tls-key",
                    tls.otherKey().toString())));
    assertThat(server.awaitExit(Await.LONG)).as(server.outputs()).isNotZero();
    assertThat(server.stdout()).doesNotContain("listening");
    assertThat(server.stderr().strip().lines())
        .singleElement()
        .asString()
        .contains(
            "the key in --tls-key "
                + tls.otherKey()
                + " does not belong to the certificate in --tls-cert "
                + tls.chain());
  }

  private static ServerProcess tlsServer(TestCertificates tls, Path data) {
    return ServerProcess.start(
        data,
        TestUpdates.get().trustedCertificate(),
        null,
        0,
        List.of("--tls-cert", tls.chain().toString(), "--tls-key", tls.key().toString()));
  }

  private static int jvmsOf(FleetClient admin, String host) {
    try {
      return admin.host(host).jvms().size();
    } catch (FleetException e) {
      return -1;
    }
  }
}
