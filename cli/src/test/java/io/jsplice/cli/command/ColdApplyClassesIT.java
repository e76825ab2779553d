package io.jsplice.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.testkit.Jdk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a cold apply (the agent attached to answer it) costs the target is mostly the classes it
 * loads there: the status probe, the agent's protocol and update descriptor need none of the JDK's
 * reflective generic types, annotation proxies, {@code java.time} formatter, process machinery or
 * regular expressions, which an application that does not use them would not load either (issue
 * 13).
 */
class ColdApplyClassesIT {
  @TempDir Path home;

  static List<Jdk> jdks() {
    return Jdk.underTest();
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void coldApply_loadsNoneOfTheJdksReflectiveGenericsAnnotationProxiesTimeFormatterProcessesOrRegex(
      Jdk jdk) throws IOException {
    Path classLoads = home.resolve("class-loads.txt");
    try (LibraryHost host =
        LibraryHost.on(jdk).jvmArgs("-Xlog:class+load=info:file=" + classLoads).start(home)) {
      assertThat(host.apply(TinyLibrary.get().fix()).succeeded().out())
          .startsWith("applied greeter-fix");
      assertThat(host.greet()).isEqualTo("hello x (v2)");
    }

    assertThat(Files.readString(classLoads))
        .contains("io.jsplice.agent.engine.Engine ")
        .contains("io.jsplice.model.UpdateJson ")
        .doesNotContain("sun.reflect.generics.parser.SignatureParser ")
        .doesNotContain("sun.reflect.annotation.AnnotationInvocationHandler ")
        .doesNotContain("java.lang.reflect.ProxyGenerator ")
        .doesNotContain("java.time.format.DateTimeFormatter ")
        .doesNotContain("java.lang.ProcessHandleImpl ")
        // Update ids, the bootstrap classes an update links to and the inventory's jar names are
        // checked by hand: no regular expression's classes for the agent's start or the apply.
        .doesNotContain("java.util.regex.Pattern ");
  }

  /**
   * The agent reads the request and the update's descriptor and writes its reply through the
   * records' generated JSON forms, not through reflection, whose accessors and constructors spin
   * about fifty lambda-form classes in the target on JDK 18+ (JEP 416; issue 13).
   */
  @ParameterizedTest
  @MethodSource("jdks")
  void coldApply_mapsTheRequestTheDescriptorAndTheReplyThroughTheirGeneratedForms(Jdk jdk)
      throws IOException {
    Path classLoads = home.resolve("class-loads.txt");
    try (LibraryHost host =
        LibraryHost.on(jdk).jvmArgs("-Xlog:class+load=info:file=" + classLoads).start(home)) {
      assertThat(host.apply(TinyLibrary.get().fix()).succeeded().out())
          .startsWith("applied greeter-fix");
    }

    assertThat(Files.readString(classLoads))
        .contains("io.jsplice.protocol.message.ApplyRequest_JsonForm ")
        .contains("io.jsplice.model.UpdateJson_Descriptor_JsonForm ")
        .contains("io.jsplice.protocol.message.ApplyReply_JsonForm ");
  }

  /**
   * Each lambda's class is spun at its first use, and in a JVM the agent was just attached to every
   * use is a first: the apply's own code (the update's reading and signature check, the engine's
   * checks and switch, the class fingerprints) uses loops and classes instead (issue 13). Counted
   * from the apply's first class ({@code ApplyPreload}, loaded as the request is taken): the
   * agent's components, started on a thread of their own, may still be spinning theirs then, so
   * only the packages the apply alone runs are looked at (the engine's component, which registers
   * the apply op the request waits for, spins none either).
   */
  @ParameterizedTest
  @MethodSource("jdks")
  void coldApply_spinsNoLambdaOfTheUpdatesReadingOrTheEngine(Jdk jdk) throws IOException {
    Path classLoads = home.resolve("class-loads.txt");
    try (LibraryHost host =
        LibraryHost.on(jdk).jvmArgs("-Xlog:class+load=info:file=" + classLoads).start(home)) {
      assertThat(host.apply(TinyLibrary.get().fix()).succeeded().out())
          .startsWith("applied greeter-fix");
      assertThat(host.greet()).isEqualTo("hello x (v2)");
    }

    String log = Files.readString(classLoads);
    int apply = log.indexOf("io.jsplice.agent.engine.ApplyPreload ");
    assertThat(apply).as("the apply's first class in the log").isPositive();
    List<String> spun =
        log.substring(apply)
            .lines()
            .filter(
                line ->
                    line.matches(
                        ".* io\\.jsplice\\.(model\\.signing|model\\.fingerprint|agent\\.engine)"
                            + "\\.[\\w$]+\\$\\$Lambda.*"))
            .toList();
    assertThat(spun).isEmpty();
    // Nor the engine before the request: it is built and registers the op the request waits for.
    assertThat(
            log.lines()
                .filter(
                    line ->
                        line.contains(" io.jsplice.agent.engine.") && line.contains("$$Lambda")))
        .isEmpty();

    // From the request read: its reading, the heartbeats and the reply's writing spin none either.
    int request = log.indexOf("io.jsplice.protocol.message.ApplyRequest_JsonForm ");
    assertThat(request).as("the request's form in the log").isPositive();
    assertThat(
            log.substring(request)
                .lines()
                .filter(
                    line ->
                        line.matches(
                            ".* io\\.jsplice\\.(model\\.json|protocol|agent\\.control)"
                                + "\\.[\\w$]+\\$\\$Lambda.*")))
        .isEmpty();
  }

  /**
   * How many classes a cold apply spins in the target, from the agent launcher's first class to the
   * update applied: lambda forms, method-handle species, lambdas and reflection's generated
   * accessors, each defined at its first use, in a JVM the agent was just attached to (issue 13).
   * Measured here: 24 on JDK 25, 18 on JDK 17. They are the JDK's own (its reflective call of
   * {@code agentmain}, six on JDK 25; its socket, security providers' and signature code's lambdas
   * and reflective constructors; {@code redefineModule}'s lambdas) but for two lambda forms of
   * {@code PatchedMarkers}' read of the constant pool and a lambda of the restart safety's check.
   * The launcher reaches the runtime without reflection ({@code LauncherEntry}): its reflective
   * call spun sixteen more on JDK 25, the in-force check's reflection three more (and loaded twenty
   * of the JDK's classes), the runtime's and {@code redefineModule}'s lambdas one more each on both
   * JDKs. The bounds leave two for threads that spin one form at once (the JDK keeps the first).
   */
  @ParameterizedTest
  @MethodSource("jdks")
  void coldApply_spinsAtMostTheJdksOwnClassesAndAFewOfTheAgents(Jdk jdk) throws IOException {
    Path classLoads = home.resolve("class-loads.txt");
    try (LibraryHost host =
        LibraryHost.on(jdk).jvmArgs("-Xlog:class+load=info:file=" + classLoads).start(home)) {
      assertThat(host.apply(TinyLibrary.get().fix()).succeeded().out())
          .startsWith("applied greeter-fix");
    }

    String log = Files.readString(classLoads);
    int launcher = log.indexOf("io.jsplice.agent.launch.AgentLauncher ");
    assertThat(launcher).as("the launcher's first class in the log").isPositive();
    List<String> spun =
        log.substring(launcher)
            .lines()
            .filter(line -> !line.contains("source: shared objects file"))
            .filter(
                line ->
                    line.contains("source: __JVM_LookupDefineClass__")
                        || line.contains("$$Lambda")
                        || line.contains("GeneratedMethodAccessor")
                        || line.contains("GeneratedConstructorAccessor"))
            .toList();
    assertThat(spun)
        .as("spun on JDK %d", jdk.feature())
        .hasSizeLessThanOrEqualTo(jdk.feature() >= 18 ? 26 : 20);
    // None of the launcher's or the runtime's own: they are named classes, not lambdas.
    assertThat(
            spun.stream()
                .filter(
                    line ->
                        line.contains(" io.jsplice.agent.launch.")
                            || line.contains(" io.jsplice.agent.runtime."))
                .toList())
        .isEmpty();
  }
}
