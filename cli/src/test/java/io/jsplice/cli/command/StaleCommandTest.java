package io.jsplice.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.model.json.JsonObject;
import org.junit.jupiter.api.Test;

class StaleCommandTest {
  @Test
  void aProcessThatCannotBeExamined_isNoAllClear_andIsLeftAlone() throws Exception {
    Process sleep = new ProcessBuilder("sleep", "600").start();
    try {
      CliRun stale = CliRun.jsplice("stale", "--json", sleep.pid());

      assertThat(stale.exitCode()).as("%s", stale).isEqualTo(20);
      JsonObject row = JsonObject.parse(stale.out()).objects("jvms").get(0);
      assertThat(row.string("state")).isEqualTo("ERROR");
      assertThat(row.string("problem")).contains("is not a Java VM");
      assertThat(sleep.isAlive()).as("not signalled as a JVM would be to attach").isTrue();
    } finally {
      sleep.destroyForcibly();
    }
  }
}
