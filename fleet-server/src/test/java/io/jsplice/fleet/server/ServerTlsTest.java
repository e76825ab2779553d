package io.jsplice.fleet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsplice.fleet.api.client.ClientTransport;
import io.jsplice.fleet.api.client.FleetClient;
import io.jsplice.fleet.api.client.FleetException;
import io.jsplice.fleet.server.store.Credentials;
import io.jsplice.fleet.testkit.ConnectProxy;
import io.jsplice.fleet.testkit.TestCertificates;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code --tls-cert} and {@code --tls-key}: the server speaks HTTPS with a PEM chain and a PKCS#8
 * key (RSA or EC), refuses a key that is not the certificate's, and a client that does not trust
 * its CA says whose certificate it refused in one line.
 */
class ServerTlsTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(TestCertificates.KeyType.class)
  void serves_httpsWithAPemChainAndPkcs8Key(TestCertificates.KeyType type) throws Exception {
    TestCertificates certificates = TestCertificates.create(dir.resolve("tls"), type);
    try (FleetServer server = FleetServer.start(tlsConfig(certificates, certificates.key()))) {
      URI url = server.url();
      assertThat(url.getScheme()).isEqualTo("https");
      FleetClient admin =
          FleetClient.of(url, adminToken(), transport(List.of(certificates.ca()), url));
      assertThat(admin.hosts().hosts()).isEmpty();
      try (SSLSocket socket = handshake(certificates, url, "TLSv1.2")) {
        assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
        assertThat(socket.getSession().getPeerCertificates()).hasSize(2);
      }
    }
  }

  @Test
  void aClientWithoutTheCa_refusesTheServerInOneLineNamingTheCertificate() throws Exception {
    TestCertificates certificates =
        TestCertificates.create(dir.resolve("tls"), TestCertificates.KeyType.EC);
    try (FleetServer server = FleetServer.start(tlsConfig(certificates, certificates.key()))) {
      URI url = server.url();
      FleetClient admin = FleetClient.of(url, adminToken(), transport(List.of(), url));
      assertThatThrownBy(admin::hosts)
          .isInstanceOfSatisfying(
              FleetException.class,
              e -> assertThat(e.kind()).isEqualTo(FleetException.Kind.UNREACHABLE))
          .hasMessage(
              "the fleet server "
                  + url
                  + " presented a certificate for "
                  + certificates.serverSubject()
                  + " issued by "
                  + certificates.caSubject()
                  + " that this host does not trust (unable to find valid certification path to"
                  + " requested target); a TLS-intercepting proxy or a private CA? give its CA"
                  + " certificate with --server-ca FILE");
    }
  }

  @Test
  void start_refusesAKeyThatIsNotTheCertificates() {
    TestCertificates certificates =
        TestCertificates.create(dir.resolve("tls"), TestCertificates.KeyType.RSA);
    assertThatThrownBy(() -> FleetServer.start(tlsConfig(certificates, certificates.otherKey())))
        .isInstanceOf(ServerStartException.class)
        .hasMessage(
            "the key in --tls-key "
                + certificates.otherKey()
                + " does not belong to the certificate in --tls-cert "
                + certificates.chain()
                + " ("
                + certificates.serverSubject()
                + "); give the key the certificate was issued for");
    assertThat(dir.resolve("data")).as("refused before touching the data directory").doesNotExist();
  }

  @Test
  void start_refusesAKeyThatIsNotPkcs8WithTheCommandThatConvertsIt() throws Exception {
    TestCertificates certificates =
        TestCertificates.create(dir.resolve("tls"), TestCertificates.KeyType.EC);
    Path sec1 = dir.resolve("ec.key");
    Files.writeString(sec1, "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n");
    assertThatThrownBy(() -> FleetServer.start(tlsConfig(certificates, sec1)))
        .isInstanceOf(ServerStartException.class)
        .hasMessage(
            "--tls-key "
                + sec1
                + " holds not a PKCS#8 key; convert it with openssl pkcs8 -topk8 -nocrypt -in KEY"
                + " -out KEY.pk8");
  }

  @Test
  void aPlainHttpServer_isReachedThroughAProxyThatForwardsTheRequest() throws Exception {
    try (FleetServer server =
            FleetServer.start(ServerConfig.embedded(dir.resolve("data"), List.of()));
        ConnectProxy proxy = ConnectProxy.start(null, null)) {
      URI url = server.url();
      FleetClient admin = FleetClient.of(url, adminToken(), throughProxy(proxy, url));
      assertThat(admin.hosts().hosts()).isEmpty();
      assertThat(proxy.relayed()).containsExactly("GET " + url + "/api/v1/hosts");
    }
  }

  @Test
  void aProxyThatWantsALogin_isNamedAsTheCauseNotTheServer() throws Exception {
    try (FleetServer server =
            FleetServer.start(ServerConfig.embedded(dir.resolve("data"), List.of()));
        ConnectProxy proxy = ConnectProxy.start("fleet", "s3cret")) {
      URI url = server.url();
      FleetClient admin = FleetClient.of(url, adminToken(), throughProxy(proxy, url));
      assertThatThrownBy(admin::hosts)
          .isInstanceOfSatisfying(
              FleetException.class,
              e -> assertThat(e.kind()).isEqualTo(FleetException.Kind.UNREACHABLE))
          .hasMessage(
              "the proxy "
                  + proxy.url()
                  + " refused to reach the fleet server "
                  + url
                  + " without a login it accepts (HTTP 407); give it with --proxy-credentials"
                  + " FILE (USER:PASSWORD), or check the one given");
      assertThat(proxy.relayed()).isEmpty();
    }
  }

  private ServerConfig tlsConfig(TestCertificates certificates, Path key) {
    return ServerConfig.embedded(dir.resolve("data"), List.of())
        .withTls(new ServerTls(certificates.chain(), key));
  }

  private String adminToken() throws Exception {
    return Files.readString(dir.resolve("data").resolve(Credentials.ADMIN_FILE)).strip();
  }

  private static ClientTransport transport(List<Path> cas, URI url) {
    return ClientTransport.of(cas, ClientTransport.DIRECT, null, url, Map.of());
  }

  private static ClientTransport throughProxy(ConnectProxy proxy, URI url) {
    return ClientTransport.of(List.of(), proxy.url().toString(), null, url, Map.of());
  }

  /** A raw handshake offering only {@code protocol}, trusting the test CA. */
  private static SSLSocket handshake(TestCertificates certificates, URI url, String protocol)
      throws Exception {
    java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
    store.load(null, null);
    try (var in = Files.newInputStream(certificates.ca())) {
      store.setCertificateEntry(
          "ca", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    SSLSocket socket =
        (SSLSocket) context.getSocketFactory().createSocket(url.getHost(), url.getPort());
    socket.setEnabledProtocols(new String[] {protocol});
    socket.startHandshake();
    return socket;
  }
}
