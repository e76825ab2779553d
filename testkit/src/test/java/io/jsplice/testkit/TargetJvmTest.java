package io.jsplice.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetJvmTest {
  private static final String ECHO =
      """
      import java.io.BufferedReader;
      import java.io.InputStreamReader;

      public class Echo {
        public static void main(String[] args) throws Exception {
          System.out.println("ready " + args[0]);
          System.err.println("errors here");
          BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
          for (String line; (line = in.readLine()) != null; ) {
            if (line.equals("exit")) {
              System.exit(3);
            }
            System.out.println("echo " + line);
          }
        }
      }
      """;

  @TempDir Path dir;

  @Test
  void capturesStdoutAndStderrApartAndTakesStdin() throws IOException {
    try (TargetJvm jvm = echo()) {
      jvm.awaitStdout("ready now", Duration.ofSeconds(20));
      jvm.awaitStderr("errors here", Duration.ofSeconds(20));

      jvm.sendLine("hello");

      jvm.awaitStdout("echo hello", Duration.ofSeconds(20));
      assertThat(jvm.stdout()).doesNotContain("errors here");
      assertThat(jvm.stderr()).doesNotContain("ready");
      assertThat(jvm.pid()).isPositive();
    }
  }

  @Test
  void awaitFailsWithBothOutputsOnTimeout() throws IOException {
    try (TargetJvm jvm = echo()) {
      jvm.awaitStdout("ready", Duration.ofSeconds(20));

      assertThatThrownBy(() -> jvm.awaitStdout("never", Duration.ofMillis(200)))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("no \"never\" on stdout within PT0.2S")
          .hasMessageContaining("ready now")
          .hasMessageContaining("errors here");
    }
  }

  @Test
  void awaitFailsAtOnceWhenTheJvmExits() throws IOException {
    try (TargetJvm jvm = echo()) {
      jvm.awaitStdout("ready", Duration.ofSeconds(20));
      jvm.sendLine("exit");

      assertThatThrownBy(() -> jvm.awaitStdout("never", Duration.ofSeconds(60)))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("before it exited");
      assertThat(jvm.awaitExit(Duration.ofSeconds(10))).isEqualTo(3);
    }
  }

  @Test
  void closeKillsTheJvm() throws IOException {
    TargetJvm jvm = echo();
    jvm.awaitStdout("ready", Duration.ofSeconds(20));

    jvm.close();

    assertThat(jvm.isAlive()).isFalse();
    assertThat(ProcessHandle.of(jvm.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  private TargetJvm echo() throws IOException {
    Path classes =
        Jars.writeDirectory(
            dir.resolve("classes"), Compiler.with(Jdk.current()).compile("Echo.java", ECHO));
    return TargetJvm.on(Jdk.current()).classpath(classes).mainClass("Echo").args("now").start();
  }
}
