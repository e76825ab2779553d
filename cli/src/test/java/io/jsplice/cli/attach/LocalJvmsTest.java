package io.jsplice.cli.attach;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.cli.attach.LocalJvms.LocalJvm;
import io.jsplice.testkit.Jdk;
import io.jsplice.testkit.TargetJvm;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalJvmsTest {
  @TempDir Path state;

  @Test
  void list_showsEachJvmWithItsMainClassAndWhetherTheAgentAnswers() throws Exception {
    try (TargetJvm jvm = Targets.ticker(Jdk.current())) {
      jvm.awaitStdout("tick 1", Duration.ofSeconds(20));

      assertThat(find(jvm.pid())).isEqualTo(new LocalJvm(jvm.pid(), "Ticker", "Ticker", false));
      Targets.loader().load(jvm.pid(), "state=" + state);
      assertThat(find(jvm.pid()).agentPresent()).isTrue();
    }
  }

  @Test
  void list_leavesOutThisJvm() {
    assertThat(LocalJvms.list()).noneMatch(jvm -> jvm.pid() == ProcessHandle.current().pid());
  }

  private static LocalJvm find(long pid) {
    return LocalJvms.list().stream()
        .filter(jvm -> jvm.pid() == pid)
        .findFirst()
        .orElseThrow(() -> new AssertionError("JVM " + pid + " not listed: " + LocalJvms.list()));
  }
}
