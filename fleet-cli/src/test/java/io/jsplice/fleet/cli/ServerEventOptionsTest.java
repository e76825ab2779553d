package io.jsplice.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.cli.Jsplice;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jsplice server}'s event webhook options refuse what cannot work before the server starts,
 * each with a message that names the option.
 */
class ServerEventOptionsTest {
  @TempDir Path dir;

  @Test
  void eventsWithoutAWebhook_areRefused() {
    assertThat(refused("--events", "APPLIED"))
        .contains("--events needs --events-webhook URL: it says what that webhook gets");
  }

  @Test
  void aSecretFileWithoutAWebhook_isRefused() throws Exception {
    Path secret = Files.writeString(dir.resolve("secret"), "s3cret\n");
    assertThat(refused("--events-webhook-secret-file", secret.toString()))
        .contains("--events-webhook-secret-file needs --events-webhook URL");
  }

  @Test
  void anEmptySecretFile_isRefused() throws Exception {
    Path secret = Files.writeString(dir.resolve("secret"), "\n");
    assertThat(
            refused(
                "--events-webhook",
                "https://alerts.example/jsplice",
                "--events-webhook-secret-file",
                secret.toString()))
        .contains(secret + " is empty; it should hold the webhook's secret");
  }

  @Test
  void aWebhookThatIsNoHttpUrl_isRefused() {
    assertThat(refused("--events-webhook", "file:///tmp/hook"))
        .contains("--events-webhook needs an http: or https: URL, not file:///tmp/hook");
  }

  @Test
  void anUnknownKind_isRefused() {
    assertThat(
            refused("--events-webhook", "https://alerts.example/jsplice", "--events", "APPLIED,X"))
        .contains("--events");
  }

  /** Runs {@code jsplice server} with {@code more}; asserts it failed; returns its stderr. */
  private String refused(String... more) {
    String[] args = new String[4 + more.length];
    args[0] = "server";
    args[1] = "--data";
    args[2] = dir.resolve("server").toString();
    args[3] = "--port=0";
    System.arraycopy(more, 0, args, 4, more.length);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Jsplice.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    assertThat(exit).as("jsplice %s\n%s%s", String.join(" ", args), out, err).isNotZero();
    assertThat(out.toString()).doesNotContain("listening");
    return err.toString();
  }
}
