package io.jsplice.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.model.json.JsonObject;
import io.jsplice.testkit.Jdk;
import io.jsplice.testkit.TargetJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code --json} form of each verb that prints one without an agent: its fields, in order, and
 * their kinds. Scripts read these; a change here is a change of the CLI's interface.
 */
class JsonOutputShapeTest {
  @TempDir Path work;

  @Test
  void keygenCreateSignAndInspect_printTheirFieldsInOrder() {
    Path key = work.resolve("k");
    JsonObject keygen = json(CliRun.jsplice("keygen", key, "--json"));
    assertThat(keys(keygen))
        .containsExactly("ok", "keyStore", "certificate", "subject", "keyFingerprint");
    assertThat(keygen.string("keyStore")).isEqualTo(key + ".p12");

    Path unsigned = work.resolve("u.jsplice");
    JsonObject create =
        json(
            CliRun.jsplice(
                "create",
                "--from",
                TinyLibrary.get().jar("v1"),
                "--to",
                TinyLibrary.get().jar("v2"),
                "-o",
                unsigned,
                "--json"));
    assertThat(keys(create)).containsExactly("ok", "file", "signed", "warnings", "notes", "update");
    assertThat(create.bool("signed", true)).isFalse();
    assertThat(keys(create.object("update")))
        .startsWith("format", "id", "description", "cves", "artifacts", "created", "requires")
        .contains("applicability", "classes", "stateActions", "hooks");

    Path signed = work.resolve("s.jsplice");
    JsonObject sign =
        json(CliRun.jsplice("sign", unsigned, "--key", key + ".p12", "-o", signed, "--json"));
    assertThat(keys(sign)).containsExactly("ok", "signed");
    assertThat(sign.string("signed")).isEqualTo(signed.toString());

    JsonObject inspect = json(CliRun.jsplice("inspect", signed, "--trust", key + ".pem", "--json"));
    assertThat(keys(inspect))
        .containsExactly("ok", "file", "signers", "trusted", "update", "files");
    assertThat(inspect.objects("signers"))
        .singleElement()
        .satisfies(signer -> assertThat(keys(signer)).containsExactly("subject", "keyFingerprint"));
    assertThat(inspect.bool("trusted", false)).isTrue();
    assertThat(inspect.object("update").asMap()).isEqualTo(create.object("update").asMap());
    assertThat(inspect.strings("files")).isNotEmpty();
  }

  @Test
  void showOfAServiceRecord_printsTheRecordFileAndItsEntries() {
    JsonObject show =
        json(CliRun.jsplice("show", "--service", "billing", "--state", work, "--json"));

    assertThat(keys(show)).containsExactly("ok", "service", "recordFile", "recorded");
    assertThat(show.string("service")).isEqualTo("billing");
    assertThat(show.objects("recorded")).isEmpty();
  }

  @Test
  void showOfAJvmWithoutTheAgent_saysSoWithNoUpdates() {
    JsonObject show = json(CliRun.jsplice("show", ProcessHandle.current().pid(), "--json"));

    assertThat(show.asMap())
        .containsExactly(
            java.util.Map.entry("ok", true),
            java.util.Map.entry("agent", false),
            java.util.Map.entry("updates", List.of()));
  }

  @Test
  void ps_listsEachJvmWithItsFields() throws Exception {
    Path classes = IdleProgram.classes(work.resolve("idle"));
    JsonObject ps;
    long pid;
    try (TargetJvm jvm =
        TargetJvm.on(Jdk.current()).classpath(classes).mainClass(IdleProgram.MAIN_CLASS).start()) {
      jvm.awaitStdout("ready", Duration.ofMinutes(2));
      pid = jvm.pid();
      ps = json(CliRun.jsplice("ps", "--json"));
    }

    assertThat(keys(ps)).containsExactly("ok", "jvms");
    JsonObject self =
        ps.objects("jvms").stream()
            .filter(jvm -> jvm.number("pid") == pid)
            .findFirst()
            .orElseThrow(() -> new AssertionError("JVM " + pid + " is not listed: " + ps.asMap()));
    assertThat(keys(self))
        .containsExactly(
            "pid",
            "main",
            "displayName",
            "user",
            "javaVersion",
            "agent",
            "agentState",
            "applied",
            "effective",
            "problem");
    assertThat(self.bool("agent", true)).isFalse();
    assertThat(self.string("agentState")).isEqualTo("ABSENT");
    assertThat(self.asMap()).containsEntry("problem", null);
  }

  @Test
  void aFailure_printsOkFalseItsCauseAndItsMessage() {
    CliRun inspect = CliRun.jsplice("inspect", work.resolve("missing.jsplice"), "--json");

    JsonObject failure = JsonObject.parse(inspect.out());
    assertThat(keys(failure)).containsExactly("ok", "cause", "message");
    assertThat(failure.bool("ok", true)).isFalse();
    assertThat(failure.string("cause")).isEqualTo("CORRUPT_UPDATE");
  }

  private static List<String> keys(JsonObject json) {
    return List.copyOf(json.asMap().keySet());
  }

  private static JsonObject json(CliRun run) {
    assertThat(run.exitCode()).as(run.toString()).isZero();
    return JsonObject.parse(run.out());
  }
}
