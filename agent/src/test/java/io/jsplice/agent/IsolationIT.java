package io.jsplice.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jdk;
import io.jsplice.testkit.TargetJvm;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What an application sees of the agent: the bootstrap classes, nothing else. */
class IsolationIT {
  private static final String PROBE =
      """
      import org.objectweb.asm.ClassReader;

      public class Probe {
        public static void main(String[] args) throws Exception {
          for (String name : new String[] {
              "io.jsplice.agent.runtime.AgentRuntime", "io.jsplice.agent.control.ControlServer",
              "io.jsplice.model.json.Json", "io.jsplice.internal.asm.ClassReader"}) {
            try {
              Class.forName(name);
              System.out.println("visible " + name);
            } catch (ClassNotFoundException e) {
              System.out.println("invisible " + name);
            }
          }
          System.out.println("bootstrap loader " + io.jsplice.bootstrap.Patched.class.getClassLoader());
          System.out.println("agent running " + io.jsplice.bootstrap.RunningAgent.isRunning());
          System.out.println("asm from " + ClassReader.class.getProtectionDomain().getCodeSource().getLocation());
          System.out.println("asm reads " + new ClassReader("Probe").getClassName());
          System.out.println("probe done");
          Thread.sleep(60_000);
        }
      }
      """;

  private static Path probe;
  private static Path appAsm;
  @TempDir Path state;

  static List<Jdk> jdks() {
    return Jdk.underTest();
  }

  @BeforeAll
  static void compile() {
    appAsm = Path.of(System.getProperty("jsplice.test.appAsm"));
    // The agent jar stands in for the bootstrap jar at compile time: patched code links the same
    // way.
    probe = TestPrograms.compile("Probe", PROBE, appAsm, TestPrograms.agentJar());
  }

  @AfterAll
  static void clean() throws IOException {
    Compiler.deleteTree(probe);
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void application_seesOnlyTheBootstrapClassesAndItsOwnAsm(Jdk jdk) throws IOException {
    try (TargetJvm jvm =
        TargetJvm.on(jdk)
            .jvmArgs(TestPrograms.javaagent("state=" + state))
            .classpath(probe, appAsm)
            .mainClass("Probe")
            .start()) {
      jvm.awaitStdout("probe done", Duration.ofSeconds(20));

      assertThat(jvm.stdout())
          .contains("invisible io.jsplice.agent.runtime.AgentRuntime")
          .contains("invisible io.jsplice.agent.control.ControlServer")
          .contains("invisible io.jsplice.model.json.Json")
          .contains("invisible io.jsplice.internal.asm.ClassReader")
          .contains("bootstrap loader jdk.internal.loader.ClassLoaders$AppClassLoader")
          .contains("agent running true")
          .contains("asm from file:" + appAsm)
          .contains("asm reads Probe")
          .doesNotContainPattern("(?m)^visible ");
      assertThat(TestPrograms.stderrLines(jvm.stderr())).isEmpty();
      assertThat(ControlRequests.status(jvm.pid()).string("startMode")).isEqualTo("premain");
      assertThat(System.getProperty("jsplice.test.appAsmVersion")).isNotEqualTo("9.11.1");
    }
  }
}
