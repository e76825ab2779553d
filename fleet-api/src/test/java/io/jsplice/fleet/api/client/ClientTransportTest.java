package io.jsplice.fleet.api.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which proxy and which CAs the options and the environment give. */
class ClientTransportTest {
  private static final URI HTTPS = URI.create("https://fleet.example.com:8440");
  private static final URI HTTP = URI.create("http://fleet.example.com:8440");

  @TempDir Path dir;

  @Test
  void withoutProxy_followsHttpsProxyForAnHttpsServerAndHttpProxyForAnHttpOne() {
    Map<String, String> env =
        Map.of("HTTPS_PROXY", "proxy.example:3128", "http_proxy", "http://plain.example:8080");
    assertThat(ClientTransport.of(List.of(), null, null, HTTPS, env).proxy())
        .isEqualTo(URI.create("http://proxy.example:3128"));
    assertThat(ClientTransport.of(List.of(), null, null, HTTP, env).proxy())
        .isEqualTo(URI.create("http://plain.example:8080"));
  }

  @Test
  void noProxy_namingTheServersHostOrDomain_bypassesTheProxy() {
    for (String noProxy : List.of("*", "fleet.example.com", "example.com", ".example.com:8440")) {
      Map<String, String> env = Map.of("https_proxy", "http://proxy:3128", "no_proxy", noProxy);
      assertThat(ClientTransport.of(List.of(), null, null, HTTPS, env).proxy())
          .as(noProxy)
          .isNull();
    }
    Map<String, String> other =
        Map.of("https_proxy", "http://proxy:3128", "no_proxy", "localhost,ample.com");
    assertThat(ClientTransport.of(List.of(), null, null, HTTPS, other).proxy()).isNotNull();
  }

  @Test
  void proxyDirect_ignoresTheEnvironment() {
    Map<String, String> env = Map.of("https_proxy", "http://proxy:3128");
    assertThat(ClientTransport.of(List.of(), ClientTransport.DIRECT, null, HTTPS, env).proxy())
        .isNull();
  }

  @Test
  void aLoginOnTheCommandLine_isRefused() {
    assertThatThrownBy(
            () -> ClientTransport.of(List.of(), "http://me:pw@proxy:3128", null, HTTPS, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("give the proxy's login in a file with --proxy-credentials FILE");
  }

  @Test
  void aLoginFile_isTakenAndNeedsAProxy() throws Exception {
    Path login = dir.resolve("proxy.login");
    Files.writeString(login, "fleet:p@ss word\n");
    assertThat(
            ClientTransport.of(List.of(), "http://proxy:3128", login, HTTPS, Map.of())
                .hasProxyLogin())
        .isTrue();
    assertThatThrownBy(() -> ClientTransport.of(List.of(), null, login, HTTPS, Map.of()))
        .hasMessageContaining("no proxy is in use");
  }

  @Test
  void aServerCaFileThatIsNotPem_isNamed() throws Exception {
    Path notPem = dir.resolve("ca.pem");
    Files.writeString(notPem, "hello\n");
    assertThatThrownBy(() -> ClientTransport.of(List.of(notPem), null, null, HTTPS, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--server-ca " + notPem);
  }
}
