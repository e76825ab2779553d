package io.jsplice.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsplice.client.AgentClient;
import io.jsplice.client.AgentRefusedException;
import io.jsplice.client.Agents;
import io.jsplice.client.ClientException;
import io.jsplice.client.UpdatePayload;
import io.jsplice.client.VerifiedUpdate;
import io.jsplice.model.control.FailureCause;
import io.jsplice.protocol.message.Quiescence;
import io.jsplice.testkit.Jdk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whose keys decide (issue 8, item 10): the caller's {@code --trust} travels with each apply and,
 * when given, is the only trust for it. A running agent neither ignores it nor widens it.
 */
class TrustIT {
  @TempDir Path home;

  /** Before: an agent already running kept its own trust and refused (12) silently ignoring it. */
  @Test
  void apply_withTrust_usesTheCallersKeysThoughTheRunningAgentTrustsAnotherKey() throws Exception {
    Path otherCertificate = otherCertificate();
    try (LibraryHost host =
        LibraryHost.on(Jdk.current()).jvmArgs(agent("trust=" + otherCertificate)).start(home)) {
      CliRun apply = host.apply(TinyLibrary.get().fix());

      assertThat(apply.succeeded().out()).startsWith("applied greeter-fix");
      assertThat(host.greet()).isEqualTo("hello x (v2)");
    }
  }

  /**
   * The agent's own trust cannot widen the caller's: an update the caller's keys do not trust is
   * refused by the agent, whether {@code jsplice apply} sends it (which leaves the check of the
   * signature to an agent that is there) or another client.
   */
  @Test
  void apply_refusesAnUpdateTheCallersKeysDoNotTrust_evenWhereTheAgentsOwnTrustWould()
      throws Exception {
    Path otherCertificate = otherCertificate();
    try (LibraryHost host =
        LibraryHost.on(Jdk.current())
            .jvmArgs(agent("trust=" + TinyLibrary.get().certificate()))
            .start(home)) {
      String message =
          CliRun.jsplice("apply", host.pid(), TinyLibrary.get().fix(), "--trust", otherCertificate)
              .failedWith(12);
      assertThat(message)
          .startsWith(TinyLibrary.get().fix() + " is signed by")
          .endsWith(
              "not among the trusted keys in the keys the caller trusts [["
                  + otherCertificate
                  + "]]");
      assertThat(host.appliedUpdates()).isEmpty();

      // A client that sends it anyway, unverified: the agent checks it against the keys sent.
      AgentClient client = Agents.fromSystemProperty().find(host.pid()).orElseThrow();
      UpdatePayload sentWithOtherKeys =
          UpdatePayload.read(TinyLibrary.get().fix(), List.of(otherCertificate));

      assertThatThrownBy(() -> client.apply(sentWithOtherKeys, Quiescence.DEFAULT, false))
          .isInstanceOf(AgentRefusedException.class)
          .hasMessageContaining("the keys the caller trusts")
          .extracting(e -> ((ClientException) e).failure())
          .isEqualTo(FailureCause.UNTRUSTED_SIGNER);
      assertThat(host.greet()).isEqualTo("hello x (v1)");
    }
  }

  /** The agent checks that the bytes it got are the ones the request names. */
  @Test
  void apply_refusesBytesThatAreNotTheOnesTheRequestNames() throws Exception {
    try (LibraryHost host =
        LibraryHost.on(Jdk.current())
            .jvmArgs(agent("trust=" + TinyLibrary.get().certificate()))
            .start(home)) {
      AgentClient client = Agents.fromSystemProperty().find(host.pid()).orElseThrow();
      VerifiedUpdate fix = VerifiedUpdate.read(TinyLibrary.get().fix(), List.of());
      VerifiedUpdate mixed =
          new VerifiedUpdate(
              fix.file(),
              Files.readAllBytes(TinyLibrary.get().tallyField()),
              fix.sha256(),
              fix.update(),
              List.of());

      assertThatThrownBy(() -> client.apply(mixed, Quiescence.DEFAULT))
          .isInstanceOf(AgentRefusedException.class)
          .hasMessageContaining("are not those the request names")
          .extracting(e -> ((ClientException) e).failure())
          .isEqualTo(FailureCause.BAD_REQUEST);
      assertThat(host.appliedUpdates()).isEmpty();
    }
  }

  /**
   * Certificates another user could replace choose the code jsplice puts into the JVM: refused
   * before anything touches it (before, a certificate in a directory everyone can write was
   * trusted, so its writer chose what root's apply installed).
   */
  @Test
  void apply_refusesTrustedCertificatesInADirectoryOthersCanWrite_andLeavesTheJvmAlone()
      throws Exception {
    Path open = Files.createDirectory(home.resolve("shared-keys"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path certificate = Files.copy(TinyLibrary.get().certificate(), open.resolve("publisher.cer"));
    try (LibraryHost host = LibraryHost.on(Jdk.current()).start(home)) {
      String message =
          CliRun.jsplice("apply", host.pid(), TinyLibrary.get().fix(), "--trust", certificate)
              .failedWith(12);

      assertThat(message)
          .isEqualTo(
              "refusing the trusted certificates ["
                  + certificate
                  + "]: "
                  + open
                  + ", a directory above the trusted certificates "
                  + certificate
                  + ", is writable by other users, who could replace them; chmod go-w "
                  + open
                  + " before trusting them");
      assertThat(Agents.fromSystemProperty().find(host.pid())).isEmpty();
      assertThat(host.greet()).isEqualTo("hello x (v1)");
    }
  }

  private Path otherCertificate() throws Exception {
    return Files.write(
        home.resolve("other.cer"), TinyLibrary.get().otherKey().certificate().getEncoded());
  }

  private String agent(String options) {
    return "-javaagent:"
        + System.getProperty(Agents.AGENT_JAR_PROPERTY)
        + "="
        + options
        + ",state="
        + home.resolve(".jsplice/state");
  }
}
