package io.jsplice.cli.command;

import static io.jsplice.cli.command.TinyLibrary.FIX;
import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.client.Agents;
import io.jsplice.testkit.Jdk;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * jsplice and another agent that instruments the classes an update patches ({@link ApmAgent}), in
 * one JVM. The JVM runs retransformation-capable transformers in the order they were registered,
 * each on the previous one's output, starting from the class's original bytes.
 *
 * <p>With jsplice's transformer first (its {@code -javaagent} ahead of the other's), each keeps the
 * other's work through every retransformation: the patch survives the other agent's
 * retransformations, and its instrumentation survives apply and undo.
 *
 * <p>With the other agent's transformer first (its {@code -javaagent} ahead, or jsplice attached
 * later, the usual case in production), jsplice is handed instrumented bytes, which are not the
 * code the update was built against. When the class file itself is that code and the other agent
 * left the methods the update replaces alone, jsplice puts the update's methods into the
 * instrumented class, so each keeps the other's work. When the other agent changed a method the
 * update replaces, apply refuses with a run-pre mismatch, changes nothing, and says so.
 */
class CoexistenceIT {
  private static final String APM_V1 = "[apm] hello x (v1)";
  private static final String APM_V2 = "[apm] hello x (v2)";

  @TempDir Path home;

  static List<Jdk> jdks() {
    return Jdk.underTest();
  }

  private static TinyLibrary library() {
    return TinyLibrary.get();
  }

  private static String jspliceAgent() {
    return "-javaagent:"
        + System.getProperty(Agents.AGENT_JAR_PROPERTY)
        + "=trust="
        + library().certificate();
  }

  private static String apmAgent() {
    return "-javaagent:" + ApmAgent.jar();
  }

  /** The APM agent instrumenting {@code Greeter.echo}, which no update replaces. */
  private static String apmAgentOnEcho() {
    return apmAgent() + "=echo";
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void jspliceLoadedFirst_patchAndInstrumentationSurviveEachOthersRetransformations(Jdk jdk) {
    try (LibraryHost host = LibraryHost.on(jdk).jvmArgs(jspliceAgent(), apmAgent()).start(home)) {
      assertThat(host.greet()).isEqualTo(APM_V1);

      host.apply(library().fix()).succeeded();
      assertThat(host.greet()).as("patched and still instrumented: %s", host).isEqualTo(APM_V2);

      host.apmRetransform();
      assertThat(host.greet()).as("the APM's retransformation kept the patch").isEqualTo(APM_V2);
      assertThat(host.appliedUpdates()).containsExactly(FIX);

      host.undo(FIX).succeeded();
      assertThat(host.greet()).as("undo kept the instrumentation").isEqualTo(APM_V1);

      host.apmRetransform();
      assertThat(host.greet()).isEqualTo(APM_V1);
      assertThat(host.jvm().stdout()).doesNotContain("apm could not instrument");
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void otherAgentLoadedFirst_applyRefusesTheInstrumentedClassAsARunPreMismatch(Jdk jdk) {
    try (LibraryHost host = LibraryHost.on(jdk).jvmArgs(apmAgent(), jspliceAgent()).start(home)) {
      assertRefusedAndUnchanged(host);
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void jspliceAttachedAfterAnotherAgent_applyRefusesTheInstrumentedClassAsARunPreMismatch(Jdk jdk) {
    try (LibraryHost host = LibraryHost.on(jdk).jvmArgs(apmAgent()).start(home)) {
      assertRefusedAndUnchanged(host);
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void otherAgentLoadedFirst_onAnotherMethod_applyMergesTheFixIntoTheInstrumentedClass(Jdk jdk) {
    try (LibraryHost host =
        LibraryHost.on(jdk).jvmArgs(apmAgentOnEcho(), jspliceAgent()).start(home)) {
      assertMergedAndUndone(host);
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void jspliceAttachedAfterAnotherAgent_onAnotherMethod_applyMergesTheFix(Jdk jdk) {
    try (LibraryHost host = LibraryHost.on(jdk).jvmArgs(apmAgentOnEcho()).start(home)) {
      assertMergedAndUndone(host);
    }
  }

  private static void assertMergedAndUndone(LibraryHost host) {
    assertThat(host.greet()).isEqualTo("hello x (v1)");
    assertThat(host.echo()).isEqualTo("[apm] x");

    CliRun apply = host.apply(library().fix()).succeeded();
    assertThat(apply.out())
        .contains(
            "lib.Greeter in application class loader, from file:",
            "was instrumented by another agent; kept its changes and replaced only ");
    assertThat(host.greet()).as("the fix is in force: %s", host).isEqualTo("hello x (v2)");
    assertThat(host.echo()).as("the other agent's work is kept").isEqualTo("[apm] x");

    host.apmRetransform();
    assertThat(host.greet())
        .as("the APM's retransformation kept the patch")
        .isEqualTo("hello x (v2)");
    assertThat(host.echo()).isEqualTo("[apm] x");

    host.undo(FIX).succeeded();
    assertThat(host.greet()).isEqualTo("hello x (v1)");
    assertThat(host.echo()).as("undo kept the instrumentation").isEqualTo("[apm] x");
    assertThat(host.jvm().stdout()).doesNotContain("apm could not instrument");
  }

  private static void assertRefusedAndUnchanged(LibraryHost host) {
    assertThat(host.greet()).isEqualTo(APM_V1);

    String message = host.apply(library().fix()).failedWith(30);

    assertThat(message)
        .startsWith("cannot apply " + FIX + "; no class was changed: ")
        .contains("lib.Greeter in application class loader, from file:")
        .contains("is not what " + FIX + " was built against")
        .endsWith(
            ", yet the class file it was loaded from is that code: another Java agent"
                + " instrumented it before jsplice's transformer saw it and changed"
                + " lib.Greeter.greet(java.lang.String), which the update replaces; start the JVM"
                + " with jsplice's -javaagent ahead of that agent's, so that jsplice sees the"
                + " original code and each keeps the other's changes");
    assertThat(host.greet()).isEqualTo(APM_V1);
    assertThat(host.appliedUpdates()).isEmpty();
    host.apmRetransform();
    assertThat(host.greet()).isEqualTo(APM_V1);
  }
}
