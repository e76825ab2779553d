package io.jsplice.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.testkit.Jdk;
import io.jsplice.testkit.TargetJvm;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaleCommandTest {
  @Test
  void aProcessThatIsNotAJvm_isNoAllClear_andIsLeftAlone() throws Exception {
    Process sleep = new ProcessBuilder("sleep", "600").start();
    try {
      CliRun stale = CliRun.jsplice("stale", sleep.pid());

      assertThat(stale.failedWith(20)).contains("is not a Java VM");
      assertThat(sleep.isAlive()).as("not signalled as a JVM would be to attach").isTrue();
    } finally {
      sleep.destroyForcibly();
    }
  }

  /** Issue 8, item 10: a JVM stale could not examine was reported with exit 0, as if current. */
  @Test
  void aJvmThatCannotBeExamined_isNoAllClear(@TempDir Path dir) throws Exception {
    Path classes = IdleProgram.classes(dir);
    try (TargetJvm jvm =
        TargetJvm.on(Jdk.current())
            .jvmArgs("-XX:+DisableAttachMechanism")
            .classpath(classes)
            .mainClass(IdleProgram.MAIN_CLASS)
            .start()) {
      jvm.awaitStdout("ready", Duration.ofMinutes(2));

      CliRun stale = CliRun.jsplice("stale", jvm.pid());

      assertThat(stale.exitCode()).as(stale.toString()).isEqualTo(21);
      assertThat(stale.out()).contains("error").contains("cannot attach to JVM " + jvm.pid());
    }
  }
}
