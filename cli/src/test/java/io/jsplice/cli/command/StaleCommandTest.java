package io.jsplice.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

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
}
