package io.jsplice.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.cli.command.RestartScenariosTest.Cli;
import io.jsplice.model.json.JsonObject;
import io.jsplice.model.record.RecordedUpdate;
import io.jsplice.model.record.ServiceRecordStore;
import io.jsplice.model.signing.KeyGeneration;
import io.jsplice.model.signing.SigningKey;
import io.jsplice.model.signing.UpdateFile;
import io.jsplice.testkit.Jdk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The service record across restarts, in real JVMs: undo takes an update out of it, and an entry
 * whose file was altered, or re-signed by a key the agent does not trust, is never reapplied, and
 * show, verify and the agent's log say so.
 */
class ServiceRecordTest {
  private static final String ID = CommonsTextReleases.UPDATE_ID;

  @Test
  void undo_removesTheUpdateFromTheRecord_soARestartDoesNotReapplyIt() throws IOException {
    CommonsTextReleases releases = CommonsTextReleases.get();
    try (Text4ShellService service = service(releases)) {
      // Loaded before the apply, so that the apply switches them and the undo switches them back
      // with their static state (a class that loads patched runs the fixed static initializer,
      // whose state an undo cannot take back).
      service.start(true).assertVulnerable();
      Cli apply = Cli.run("apply", pid(service), releases.update().toString());
      assertThat(apply.exitCode).as(apply.text()).isZero();
      service.assertFixed();

      Cli undo = Cli.run("undo", pid(service), ID);
      assertThat(undo.exitCode).as(undo.text()).isZero();
      assertThat(undo.out).contains("removed from the record of service text4shell");
      service.assertVulnerable();
      Cli offline =
          Cli.run("show", "--service", "text4shell", "--state", service.stateDir().toString());
      assertThat(offline.out).contains("service text4shell: 0 update(s) recorded");

      service.restart(true).assertVulnerable();
      assertThat(show(service).object("service").objects("reappliedAtStart")).isEmpty();
    }
  }

  @Test
  void alteredRecordedFile_isSkippedAtStartAndReported() throws IOException {
    CommonsTextReleases releases = CommonsTextReleases.get();
    try (Text4ShellService service = service(releases)) {
      service.start(true);
      Cli apply = Cli.run("apply", pid(service), releases.update().toString());
      assertThat(apply.exitCode).as(apply.text()).isZero();
      ServiceRecordStore store = ServiceRecordStore.at(service.stateDir(), "text4shell");
      RecordedUpdate entry = store.read().find(ID).orElseThrow();
      Files.write(store.fileOf(entry), new byte[] {0}, StandardOpenOption.APPEND);

      Cli offline =
          Cli.run("show", "--service", "text4shell", "--state", service.stateDir().toString());
      assertThat(offline.out).contains("is missing or altered: not reapplied");
      Cli verify = Cli.run("verify", pid(service));
      assertThat(verify.exitCode).as(verify.text()).isEqualTo(41);
      assertThat(verify.out).contains("is not the one recorded (SHA-256 differs)");

      service.restart(true).assertVulnerable();
      assertThat(show(service).object("service").objects("reappliedAtStart"))
          .singleElement()
          .satisfies(
              o -> {
                assertThat(o.bool("reapplied", true)).isFalse();
                assertThat(o.string("problem")).contains("SHA-256 differs");
              });
      assertThat(Files.readString(service.stateDir().resolve("text4shell.log")))
          .contains("did not reapply " + ID);
    }
  }

  @Test
  void recordedUpdateSignedByAnUntrustedKey_isNeverReapplied() throws Exception {
    CommonsTextReleases releases = CommonsTextReleases.get();
    try (Text4ShellService service = service(releases)) {
      // A consistent record (file and SHA-256 match) naming a file signed by someone else.
      Path keys = Files.createDirectories(service.stateDir().resolveSibling("mallory"));
      SigningKey mallory =
          KeyGeneration.generate(
              keys.resolve("mallory.p12"),
              "mallory-key".toCharArray(),
              "CN=mallory",
              keys.resolve("mallory.pem"));
      Path resigned = keys.resolve("resigned.jsplice");
      UpdateFile.write(UpdateFile.open(releases.update()).update(), mallory, resigned);
      ServiceRecordStore store = ServiceRecordStore.at(service.stateDir(), "text4shell");
      store.commit(
          store.stage(Files.readAllBytes(resigned)),
          ID,
          "mallory",
          Instant.now(),
          java.util.List.of("org.apache.commons.text.StringSubstitutor"));

      service.start(true).assertVulnerable();

      JsonObject outcome = show(service).object("service").objects("reappliedAtStart").get(0);
      assertThat(outcome.bool("reapplied", true)).isFalse();
      assertThat(outcome.string("problem"))
          .contains("CN=mallory")
          .contains("not among the trusted");
    }
  }

  private static Text4ShellService service(CommonsTextReleases releases) throws IOException {
    Path root =
        Files.createTempDirectory(
                Files.createDirectories(Path.of("target", "restart-scenarios")), "record")
            .toAbsolutePath();
    return Text4ShellService.plain(root, Jdk.current(), releases.text19());
  }

  private static JsonObject show(Text4ShellService service) {
    Cli show = Cli.run("show", "--json", pid(service));
    assertThat(show.exitCode).as(show.text()).isZero();
    return show.json();
  }

  private static String pid(Text4ShellService service) {
    return Long.toString(service.pid());
  }
}
