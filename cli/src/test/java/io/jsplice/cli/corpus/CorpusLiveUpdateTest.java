package io.jsplice.cli.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.cli.Jsplice;
import io.jsplice.cli.corpus.CorpusCase.Release;
import io.jsplice.cli.live.ProbedJvm;
import io.jsplice.model.JvmCondition;
import io.jsplice.model.StaleState;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.signing.UpdateFile;
import io.jsplice.model.signing.UpdateRejectedException;
import io.jsplice.testkit.Jdk;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fix of the development corpus, applied live to a JVM that runs the vulnerable release and
 * uses it, judged by behaviour: the probe shows the vulnerable behaviour, then the fixed behaviour
 * after {@code jsplice apply}, the vulnerable one again after {@code jsplice undo}, and the fix
 * again after a second apply. On JDK 17 and 25, with the agent attached and with it loaded at start
 * ({@code -javaagent}). {@link CorpusProbesTest} checks that each probe tells the two releases
 * apart when started on them without jsplice.
 */
class CorpusLiveUpdateTest {
  /**
   * The cases whose updates are in force live today: every case of {@link CorpusCases#all()}.
   * org.json 20231013's {@code JSONTokener(InputStream)} names UTF-8 where the old release used the
   * default charset: the tokeners the program built before the update are what the fixed
   * constructor builds in a JVM whose default charset is UTF-8, which the agent checks at apply
   * (the probes run with UTF-8, {@link CorpusProbes#start}).
   */
  static final List<CorpusCase> LIVE =
      List.of(
          CorpusCases.TEXT4SHELL,
          CorpusCases.SPRING4SHELL,
          CorpusCases.JACKSON,
          CorpusCases.LOG4J_RECURSION,
          CorpusCases.XSTREAM,
          CorpusCases.NETTY_BZIP2,
          CorpusCases.FILEUPLOAD,
          CorpusCases.LOG4SHELL,
          CorpusCases.JETTISON,
          CorpusCases.XMLSEC,
          CorpusCases.JSON_PATH,
          CorpusCases.MINA,
          CorpusCases.NIMBUS,
          CorpusCases.GSON,
          CorpusCases.COMMONS_NET,
          CorpusCases.IVY,
          CorpusCases.PDFBOX,
          CorpusCases.LOG4SHELL_CONTEXT,
          CorpusCases.ORG_JSON);

  /**
   * What a case's update needs beyond the release pair, and why.
   *
   * <p>Log4Shell (2.14.1 to 2.15.0): the release also reworks classes unrelated to the fix that
   * cannot change live (hierarchies, an enum, a field type), so the update is the live subset; and
   * 2.15.0 replaced the message converter by four that a factory picks from the layout's options,
   * so a converter the running log4j built before the update can only be rebuilt by that factory
   * from the options it kept: the hook (hooks/Log4jMessageConverters.java) does that for the
   * layouts of every logger context's appenders, and puts the old converters back before an undo.
   *
   * <p>log4j 2.16.0 to 2.17.0: 2.17.0 builds the substitutors of each configuration and of each
   * configuration factory as classes the update adds, one that evaluates recursively (for the
   * configuration) and one that does not (for what is logged). No rule jsplice has can stand a
   * plain substitutor in for either (their toString differs, and the factory's must answer as the
   * recursive one). The hook (hooks/Log4jConfigurationSubstitutors.java) gives each configuration
   * factory built before the update a recursive one (the probe's configuration location), and
   * answers for the configurations, whose added copy jsplice gives from its initializer (a plugin
   * built on the configuration reads it: the probe's property).
   *
   * <p>XStream 1.4.16 denies the gadget in the security setup its constructor runs; that setup
   * first clears every permission, those the program added included, and permissions are ordered
   * (the latest decides first), so jsplice cannot run it again on the XStream the program holds.
   * The hook (hooks/XStreamSecuritySetup.java) knows the setup's permissions are the bottom of the
   * list: in each XStream on the heap whose bottom is 1.4.15's setup, it puts 1.4.16's in its
   * place, under the program's own permissions, and clears the mapper's cache of resolved classes.
   *
   * <p>log4j 2.15.0 to 2.16.0: the release also changes classes unrelated to the fix that cannot
   * change live: the live subset. The Interpolators the configurations built before the update hold
   * lose their {@code jndi} lookup while JNDI is disabled (2.16.0's constructors put it only when
   * enabled); undo puts it back.
   *
   * <p>mina-core: its release also changes code the fix does not need in ways that cannot apply
   * live: the live subset.
   *
   * <p>pdfbox 2.0.24: the whole release is not live (hierarchies change): the live subset. It adds
   * {@code COSInteger.isValid}, set only by its new constructor; the numbers the probe cached at
   * start (in {@code COSInteger.get}'s static table) get {@code true} from the creation sites that
   * built them (2.0.24's {@code get} passes {@code true} at both of its sites), so the page whose
   * /Rotate is a cached number still loads.
   *
   * <p>gson 2.8.9: besides the fix (readObject methods that refuse, in force as the JDK's
   * deserialization filter), the release adds a feature (number strategies) whose fields the Gson
   * the program built before the update would read as null: the in-force subset leaves the four
   * classes of that feature out (Gson, GsonBuilder, ObjectTypeAdapter and its factory) and the
   * report names them.
   *
   * <p>org.json 20231013: its release also gives the parser configurations a new superclass, which
   * cannot change live: the live subset.
   *
   * <p>commons-net 3.9.0: the FTPClient the program holds gets {@code Duration dataTimeout} from
   * the {@code int dataTimeoutMillis} it takes over from (as 3.9.0's own setter converts it); the
   * in-force subset leaves out the {@code writeObject} methods 3.9.0 adds (serialization would not
   * find them on the loaded classes) and classes whose old objects would keep what their changed
   * constructors no longer do (OS400FTPEntryParser, TFTPDataPacket, SubnetUtils...), with what uses
   * them.
   */
  static final Map<CorpusCase, List<String>> CREATE_OPTIONS =
      Map.of(
          CorpusCases.LOG4SHELL,
          List.of("--live-subset", "--hook", "hooks/Log4jMessageConverters.java"),
          CorpusCases.LOG4J_RECURSION,
          List.of("--hook", "hooks/Log4jConfigurationSubstitutors.java"),
          CorpusCases.XSTREAM,
          List.of("--hook", "hooks/XStreamSecuritySetup.java"),
          CorpusCases.MINA,
          List.of("--live-subset"),
          CorpusCases.PDFBOX,
          List.of("--live-subset"),
          CorpusCases.LOG4SHELL_CONTEXT,
          List.of("--live-subset"),
          CorpusCases.GSON,
          List.of("--in-force-subset"),
          CorpusCases.COMMONS_NET,
          List.of("--in-force-subset"),
          CorpusCases.ORG_JSON,
          List.of("--live-subset"));

  private static final Path WORK = CorpusProbes.WORK;
  private static final Map<String, Path> updates = new HashMap<>();

  /** The updates whose create report says it leaves classes of the fixed release out. */
  private static final java.util.Set<Path> leavingOut =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private static Path key;
  private static Path certificate;

  @BeforeAll
  static void keys() throws IOException {
    Files.createDirectories(WORK);
    Path base = WORK.resolve("keys").resolve("corpus");
    certificate = base.resolveSibling("corpus.pem");
    key = base.resolveSibling("corpus.p12");
    if (!Files.exists(key)) {
      Files.createDirectories(base.getParent());
      assertThat(jsplice("keygen", base.toString())).isZero();
    }
  }

  static Stream<Arguments> cases() {
    return onEachJdkBothWays(selected(LIVE.stream()));
  }

  /** {@code -Djsplice.corpus.only=CVE-A,CVE-B} runs only those cases (all by default). */
  static Stream<CorpusCase> selected(Stream<CorpusCase> cases) {
    List<String> only =
        List.of(System.getProperty("jsplice.corpus.only", "").split(",")).stream()
            .filter(s -> !s.isBlank())
            .toList();
    return cases.filter(c -> only.isEmpty() || only.contains(c.cve()));
  }

  /** Each case on each JDK under test, with the agent attached and loaded at start. */
  static Stream<Arguments> onEachJdkBothWays(Stream<CorpusCase> cases) {
    List<Arguments> out = new ArrayList<>();
    cases.forEach(
        c -> {
          for (Jdk jdk : Jdk.underTest()) {
            out.add(Arguments.of(c, jdk, "attach"));
            out.add(Arguments.of(c, jdk, "javaagent"));
          }
        });
    return out.stream();
  }

  @ParameterizedTest(name = "{0} on {1}, agent by {2}")
  @MethodSource("cases")
  // OutsideCorpusLiveTest runs it too, on the fixes outside the development corpus
  void apply_putsTheFixInForce_andUndoTakesItOut(CorpusCase c, Jdk jdk, String mode)
      throws IOException {
    Path update = update(c);
    try (ProbedJvm jvm = start(c, jdk, mode.equals("javaagent"), update)) {
      assertThat(jvm.probe()).as("before the update").contains(c.vulnerableResult());

      String pid = Long.toString(jvm.pid());
      List<String> apply =
          new ArrayList<>(
              List.of("apply", pid, update.toString(), "--trust", certificate.toString()));
      if (leavingOut.contains(update)) {
        // jackson-core 2.15.0's subset said "applied" (exit 0) with its depth check left out
        assertThat(jsplice(apply.toArray(String[]::new))).as(lastOutput).isEqualTo(38);
        assertThat(lastOutput)
            .as("a subset is refused unless accepted: the fix may be among what it leaves out")
            .contains("leaves out ")
            .contains("--accept-partial");
        assertThat(jvm.probe()).as("after the refusal").contains(c.vulnerableResult());
        apply.add("--accept-partial");
      }
      assertApplied(jsplice(apply.toArray(String[]::new)), jvm);
      if (leavingOut.contains(update)) {
        // commons-compress 1.26.0's subset said "applied" with its Pack200 fix left out, unnamed
        assertThat(lastOutput)
            .as("the apply of a subset says that, and what, it leaves out")
            .contains("applied " + c.cve() + " to JVM " + pid + ", WITHOUT ")
            .contains("class(es) of the fixed release (left out)")
            .contains("    left out ");
      } else {
        assertThat(lastOutput)
            .as("the apply says the fix is in force for existing state")
            .contains("applied " + c.cve() + " to JVM " + pid + " (");
      }
      String fixed = jvm.probe();
      assertThat(fixed).as("after apply\n" + jvm.outputs()).contains(c.fixedResult());
      if (CREATE_OPTIONS.getOrDefault(c, List.of()).contains("--hook")) {
        assertThat(jsplice("show", pid)).isZero();
        assertThat(lastOutput)
            .as("show says the update's hook covers the state built before it")
            .contains("in force fully: state built before the update is covered by the update's");
      }

      assertThat(jsplice("undo", pid, c.cve())).as(lastOutput + jvm.outputs()).isZero();
      assertThat(jvm.probe()).as("after undo").contains(c.vulnerableResult());

      apply.remove("--trust");
      apply.remove(certificate.toString());
      assertApplied(jsplice(apply.toArray(String[]::new)), jvm);
      assertThat(jvm.probe()).as("after the second apply").contains(c.fixedResult());
    }
  }

  /**
   * A fix only partly in force: {@code apply} refuses it (exit 38), naming {@code part}, and leaves
   * the program as it was; with {@code --accept-partial} it says PARTLY IN FORCE and names {@code
   * part}, and the probe shows the fix for state built after the update only; {@code undo} brings
   * back the vulnerable behaviour. OutsideCorpusLiveTest runs it on its partly-in-force cases.
   */
  void apply_namesThePartThatKeepsTheOldBehaviour(CorpusCase c, String part) throws IOException {
    Path update = update(c);
    try (ProbedJvm jvm = start(c, Jdk.current(), false, update)) {
      assertThat(jvm.probe()).as("before the update").contains(c.vulnerableResult());
      String pid = Long.toString(jvm.pid());
      List<String> apply =
          new ArrayList<>(
              List.of("apply", pid, update.toString(), "--trust", certificate.toString()));

      assertThat(jsplice(apply.toArray(String[]::new))).as(lastOutput).isEqualTo(38);
      assertThat(lastOutput).as("the refusal names the part").contains(part);
      assertThat(jvm.probe()).as("after the refusal").contains(c.vulnerableResult());

      apply.add("--accept-partial");
      assertApplied(jsplice(apply.toArray(String[]::new)), jvm);
      assertThat(lastOutput)
          .as("the apply says which part is not in force")
          .contains("PARTLY IN FORCE (accepted)")
          .contains("not in force: " + part);
      assertThat(jvm.probe()).as("after apply\n" + jvm.outputs()).contains(c.fixedResult());

      assertThat(jsplice("undo", pid, c.cve())).as(lastOutput + jvm.outputs()).isZero();
      assertThat(jvm.probe()).as("after undo").contains(c.vulnerableResult());
    }
  }

  /** The cases whose update carries a hook. */
  static Stream<Arguments> hookedCases() {
    return cases()
        .map(a -> (CorpusCase) a.get()[0])
        .distinct()
        .filter(c -> CREATE_OPTIONS.getOrDefault(c, List.of()).contains("--hook"))
        .map(Arguments::of);
  }

  /**
   * A case's hook is there for state jsplice cannot bring to the fixed state by itself: built from
   * the same release pair without it, the update is refused as only partly in force and the program
   * keeps its behaviour; accepted as such, it leaves the probe short of the fixed behaviour.
   */
  @ParameterizedTest(name = "{0}", allowZeroInvocations = true) // none under some "only"
  @MethodSource("hookedCases")
  void withoutItsHook_theUpdateIsOnlyPartlyInForce(CorpusCase c) throws IOException {
    List<String> options = new ArrayList<>(CREATE_OPTIONS.get(c));
    int hook = options.indexOf("--hook");
    options.subList(hook, hook + 2).clear();
    Path update = create(c, c.cve() + "-without-hook", options);
    try (ProbedJvm jvm = start(c, Jdk.current(), false, update)) {
      assertThat(jvm.probe()).as("before the update").contains(c.vulnerableResult());
      String pid = Long.toString(jvm.pid());

      int refused = jsplice("apply", pid, update.toString(), "--trust", certificate.toString());

      assertThat(refused).as(lastOutput + jvm.outputs()).isEqualTo(38);
      assertThat(jvm.probe()).as("nothing changed").contains(c.vulnerableResult());
      assertApplied(
          jsplice(
              "apply",
              pid,
              update.toString(),
              "--trust",
              certificate.toString(),
              "--accept-partial"),
          jvm);
      assertThat(lastOutput).contains("PARTLY IN FORCE");
      assertThat(jvm.probe())
          .as("the state built before the update keeps old behaviour\n" + jvm.outputs())
          .doesNotContain(c.fixedResult());
    }
  }

  /**
   * The cases whose update holds only where the target's default charset is one it names, each with
   * a charset the probes do not run with.
   */
  static Stream<Arguments> charsetCases() {
    List<Arguments> out = new ArrayList<>();
    cases()
        .map(a -> (CorpusCase) a.get()[0])
        .distinct()
        .filter(c -> !defaultCharsetConditions(update(c)).isEmpty())
        .forEach(c -> Jdk.underTest().forEach(jdk -> out.add(Arguments.of(c, jdk))));
    return out.stream();
  }

  /**
   * A target whose default charset is not the one the update's condition names (JDK 17 follows
   * {@code file.encoding}; so does JDK 25 when it is set) refuses the update as only partly in
   * force, says which charset it has, and keeps its behaviour.
   */
  @ParameterizedTest(name = "{0} on {1}", allowZeroInvocations = true) // none under some "only"
  @MethodSource("charsetCases")
  void aFixInForceUnderADefaultCharset_isRefusedByATargetWithAnother(CorpusCase c, Jdk jdk)
      throws IOException {
    Path update = update(c);
    assertThat(defaultCharsetConditions(update)).doesNotContain("ISO-8859-1");
    try (ProbedJvm jvm = start(c, jdk, false, update, "-Dfile.encoding=ISO-8859-1")) {
      assertThat(jvm.probe()).as("before the update").contains(c.vulnerableResult());
      String pid = Long.toString(jvm.pid());

      int exit = jsplice("apply", pid, update.toString(), "--trust", certificate.toString());

      assertThat(exit).as(lastOutput + jvm.outputs()).isEqualTo(38);
      assertThat(lastOutput).contains("the default charset of this JVM is ISO-8859-1, not ");
      assertThat(jvm.probe()).as("nothing changed").contains(c.vulnerableResult());
    }
  }

  /** The charsets the update's stale state names as the default charset under which it is not. */
  private static List<String> defaultCharsetConditions(Path update) {
    try {
      return UpdateFile.open(update).update().update().applicability().stale().stream()
          .map(StaleState::unless)
          .filter(u -> u != null && u.kind() == JvmCondition.Kind.DEFAULT_CHARSET)
          .map(JvmCondition::value)
          .toList();
    } catch (UpdateRejectedException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * ksplice-create's way: the library's sources and a unified diff of the fix (the core of the
   * Text4Shell fix, as a patch to 1.9), compiled before and after; the update must put the fix in
   * force in a running JVM too, including in the substitutor it built before the update.
   */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void sourcePatch_putsTheFixInForce(Jdk jdk) throws IOException {
    CorpusCase c = CorpusCases.TEXT4SHELL;
    Path patch = WORK.resolve("text4shell.diff");
    try (var in = CorpusLiveUpdateTest.class.getResourceAsStream("text4shell.diff")) {
      Files.write(patch, in.readAllBytes());
    }
    Path update = WORK.resolve("text4shell-patch.jsplice");
    assertThat(
            jsplice(
                "create",
                "--sources",
                c.vulnerableCoordinates(),
                "--patch",
                patch.toString(),
                "--id",
                "text4shell-patch",
                "--key",
                key.toString(),
                "-o",
                update.toString()))
        .as(lastOutput)
        .isZero();
    try (ProbedJvm jvm = start(c, jdk, false, update)) {
      assertThat(jvm.probe()).contains(c.vulnerableResult());
      assertApplied(
          jsplice(
              "apply",
              Long.toString(jvm.pid()),
              update.toString(),
              "--trust",
              certificate.toString()),
          jvm);
      assertThat(jvm.probe()).contains(c.fixedResult());
    }
  }

  static java.util.List<Jdk> jdks() {
    return Jdk.underTest();
  }

  /**
   * A fix in force through a class installed as it first loads ({@code create --first-load}): the
   * exploit works before, fails after the apply (with {@code --accept-partial} where the update
   * says it is partly in force), and undo is refused (exit 32) once {@code firstLoaded} has loaded
   * with the fixed code, naming it, and changes nothing. Agent attached.
   */
  void apply_installsAtFirstLoad_andUndoIsRefusedOnceLoaded(
      CorpusCase c, Jdk jdk, String firstLoaded) throws IOException {
    Path update = update(c);
    try (ProbedJvm jvm = start(c, jdk, false, update)) {
      assertThat(jvm.probe()).as("before the update").contains(c.vulnerableResult());
      String pid = Long.toString(jvm.pid());
      List<String> apply =
          new ArrayList<>(
              List.of("apply", pid, update.toString(), "--trust", certificate.toString()));
      int exit = jsplice(apply.toArray(String[]::new));
      if (exit == 38) {
        assertThat(jvm.probe()).as("after the refusal").contains(c.vulnerableResult());
        apply.add("--accept-partial");
        exit = jsplice(apply.toArray(String[]::new));
      }
      assertApplied(exit, jvm);
      assertThat(lastOutput).contains(firstLoaded).contains("is installed as it first loads");
      assertThat(jvm.probe()).as("after apply\n" + jvm.outputs()).contains(c.fixedResult());

      assertThat(jsplice("undo", pid, c.cve())).as(lastOutput + jvm.outputs()).isEqualTo(32);
      assertThat(lastOutput)
          .contains("cannot undo " + c.cve())
          .contains(firstLoaded)
          .contains("loaded with the fixed code since the update was applied");
      assertThat(jvm.probe()).as("after the refused undo").contains(c.fixedResult());
    }
  }

  private static void assertApplied(int exit, ProbedJvm jvm) {
    assertThat(exit).as(lastOutput + "\n" + jvm.outputs()).isZero();
  }

  /** Builds (once) and signs the update with {@code jsplice create}, from Maven Central. */
  private static synchronized Path update(CorpusCase c) {
    return updates.computeIfAbsent(
        c.cve(),
        cve ->
            create(
                c,
                cve,
                CREATE_OPTIONS.getOrDefault(
                    c, OutsideCorpusCases.CREATE_OPTIONS.getOrDefault(c, List.of()))));
  }

  /** Builds and signs the update as {@code name}, with the given options of {@code create}. */
  private static Path create(CorpusCase c, String name, List<String> options) {
    Path file = WORK.resolve(name + ".jsplice");
    List<String> args = new ArrayList<>(List.of("create"));
    c.artifacts(Release.VULNERABLE).forEach(from -> args.addAll(List.of("--from", from)));
    c.artifacts(Release.FIXED).forEach(to -> args.addAll(List.of("--to", to)));
    args.addAll(List.of("--cve", c.cve(), "--key", key.toString(), "-o", file.toString()));
    if (!c.exclude().isEmpty()) {
      args.add("--exclude");
      args.add(String.join(",", c.exclude()));
    }
    for (String option : options) {
      args.add(option.endsWith(".java") ? resource(option).toString() : option);
    }
    assertThat(jsplice(args.toArray(String[]::new))).as(lastOutput).isZero();
    if (lastOutput.contains("left out (in force after a restart on the fixed release)")) {
      leavingOut.add(file);
    }
    if (args.contains("--in-force-subset")) {
      assertThat(lastOutput)
          .as("the report names what the in-force subset leaves out")
          .contains("left out (in force after a restart on the fixed release)");
    }
    if (args.contains("--hook")) {
      assertThat(lastOutput)
          .as("the report says the hook covers the state built before the update")
          .contains("state built before the update is covered by the update's hook(s)");
    }
    return file;
  }

  /**
   * @param update the update the test applies: a probe that reaches into its companions learns
   *     their names (which carry a digest of the update's code) from {@code jsplice.companions}
   */
  private static ProbedJvm start(
      CorpusCase c, Jdk jdk, boolean javaagent, Path update, String... options) throws IOException {
    List<String> jvmArgs = new ArrayList<>(List.of(options));
    jvmArgs.add("-Djsplice.companions=" + String.join(",", companions(update)));
    if (javaagent) {
      jvmArgs.add(
          "-javaagent:"
              + System.getProperty("jsplice.agent.jar")
              + "=trust="
              + certificate
              + ",state="
              + WORK.resolve("state"));
    }
    return CorpusProbes.start(c, Release.VULNERABLE, jdk, jvmArgs);
  }

  /** The binary names of the companion classes {@code update} installs. */
  private static List<String> companions(Path update) {
    try {
      return UpdateFile.open(update).update().files().keySet().stream()
          .filter(p -> p.startsWith(UpdatePackage.INSTALL) && p.contains("$$jsplice$"))
          .map(
              p ->
                  p.substring(UpdatePackage.INSTALL.length(), p.length() - ".class".length())
                      .replace('/', '.'))
          .toList();
    } catch (UpdateRejectedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A test resource of this package, copied to the work directory. */
  private static Path resource(String name) {
    Path file = WORK.resolve(name);
    try (var in = CorpusLiveUpdateTest.class.getResourceAsStream(name)) {
      Files.createDirectories(file.getParent());
      Files.write(file, in.readAllBytes());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return file;
  }

  private static String lastOutput = "";

  private static int jsplice(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Jsplice.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    lastOutput = "jsplice " + String.join(" ", args) + " -> " + exit + "\n" + out + err;
    return exit;
  }
}
