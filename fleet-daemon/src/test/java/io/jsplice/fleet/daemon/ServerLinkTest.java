package io.jsplice.fleet.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsplice.fleet.daemon.agents.JvmSelector;
import io.jsplice.fleet.daemon.state.Identity;
import io.jsplice.fleet.daemon.state.StateDirectory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The identity a host enrolled with, against the server it is now told to use. */
class ServerLinkTest {
  @TempDir Path dir;

  @Test
  void aHostEnrolledOverHttp_keepsItsIdentityWhenTheServerMovesToHttps() throws Exception {
    ServerLink link = linkEnrolledWith("http://fleet.example:8440", "https://FLEET.example/");
    assertThat(link.identity().name()).isEqualTo("web-1");
  }

  @Test
  void aHostEnrolledOverHttps_refusesToSendItsSecretOverHttp() throws Exception {
    ServerLink link = linkEnrolledWith("https://fleet.example:8440", "http://fleet.example:8440");
    assertThatThrownBy(link::identity)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("belongs to a host enrolled with https://fleet.example:8440");
  }

  @Test
  void aHostEnrolledWithAnotherServer_isRefused() throws Exception {
    ServerLink link = linkEnrolledWith("http://fleet.example:8440", "https://other.example:8440");
    assertThatThrownBy(link::identity)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("give this server another --state");
  }

  private ServerLink linkEnrolledWith(String enrolled, String configured) throws Exception {
    StateDirectory state = StateDirectory.open(dir.resolve("state"));
    state.writeJson(
        Identity.FILE, new Identity(URI.create(enrolled), "h-1", "web-1", "jsh_not-a-secret"));
    DaemonConfig config =
        new DaemonConfig(
            URI.create(configured),
            null,
            "web-1",
            null,
            dir.resolve("state"),
            List.of(dir.resolve("trusted.pem")),
            Duration.ofSeconds(1),
            null,
            JvmSelector.all());
    return new ServerLink(config, state);
  }
}
