package io.jsplice.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.cli.CommandModel;
import io.jsplice.create.UpdateCreator;
import io.jsplice.create.source.ClassSet;
import io.jsplice.model.signing.KeyGeneration;
import io.jsplice.model.signing.SigningKey;
import io.jsplice.model.signing.UpdateFile;
import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jars;
import io.jsplice.testkit.Jdk;
import io.jsplice.testkit.TargetJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The distribution archive as a new user gets it: unpacked with {@code tar} into a folder of its
 * own (whose path has a space), run with a fresh home directory and nothing on the {@code PATH} but
 * the system's tools, the JDK given as {@code JAVA_HOME}.
 */
class DistributionArchiveIT {
  private static final Path ARCHIVE = Path.of(System.getProperty("jsplice.archive"));
  private static final String VERSION = System.getProperty("jsplice.version");
  private static final Path JDK17 = Path.of(System.getProperty("java.home"));
  private static final Path JDK25 = Path.of(System.getProperty("jsplice.test.jdk25"));

  @TempDir static Path temp;
  private static Path installed;
  private static Path home;

  @BeforeAll
  static void unpack() throws Exception {
    Path opt = Files.createDirectories(temp.resolve("opt dir"));
    home = Files.createDirectories(temp.resolve("home"));
    Result tar = run(opt, JDK17, "tar", "-xzf", ARCHIVE.toString());
    assertThat(tar.exit()).as(tar.output()).isZero();
    installed = opt.resolve("jsplice-" + VERSION);
  }

  @Test
  void archive_holdsTheCommandTheAgentItsClassListTheUnitsTheManPagesAndTheCompletion() {
    for (String file :
        List.of(
            "bin/jsplice",
            "lib/jsplice.jar",
            "lib/jsplice-plain.jar",
            "lib/jsplice-agent.jar",
            "lib/jsplice.classlist",
            "lib/jsplice-plain.classlist",
            "lib/jsplice-plain-cold.classlist",
            "lib/jsplice.cds.for",
            "lib/systemd/jsplice-daemon.service",
            "lib/systemd/jsplice-server.service",
            "share/man/man1/jsplice.1",
            "share/bash-completion/completions/jsplice",
            "README.md")) {
      assertThat(installed.resolve(file)).as(file).isRegularFile();
    }
    assertThat(Files.isExecutable(installed.resolve("bin/jsplice"))).isTrue();
  }

  @Test
  void unpackedAnywhere_helpAndVersionRun_onJdk17AndJdk25_withAndWithoutTheClassDataArchive()
      throws Exception {
    for (Path jdk : List.of(JDK17, JDK25)) {
      // The first run writes the per-user class data archive, the second runs with it.
      for (int time = 0; time < 2; time++) {
        Result help = jsplice(jdk, "--help");
        assertThat(help.exit()).as(help.output()).isZero();
        assertThat(help.output()).contains("Usage: jsplice", "apply", "daemon", "Exit codes:");
        Result version = jsplice(jdk, "--version");
        assertThat(version.exit()).as(version.output()).isZero();
        assertThat(version.output().strip()).isEqualTo("jsplice " + VERSION);
      }
    }
  }

  /**
   * A line of {@code apply}, {@code undo} or {@code --version} runs the small jar, whose user
   * archive is then {@code plain-*.jsa}; what it answers is what the full command answers to the
   * same line: exit code and output, a failure's one line, a line it hands to the full command.
   */
  @Test
  void applyUndoAndVersion_runTheSmallJar_andAnswerAsTheFullCommand() throws Exception {
    Path corrupt = Files.writeString(temp.resolve("not an update.jsplice"), "PK, but not a zip");
    String self = Long.toString(ProcessHandle.current().pid()); // a JVM without the agent
    List<List<String>> lines =
        List.of(
            List.of("apply", self, corrupt.toString()), // refused before the agent is loaded
            List.of("apply", "twelve", corrupt.toString()), // not a process id
            List.of("apply", "999999999", corrupt.toString(), "--json"), // no such process
            List.of("apply", self, temp.resolve("missing.jsplice").toString()),
            List.of("undo", self, "CVE-2022-42889"), // no agent to undo in
            List.of("undo", "999999999", "CVE-2022-42889", "--force"),
            List.of("apply", "--help"), // not plain: handed to the full command
            List.of("undo", "-h"),
            List.of("--version"));
    for (List<String> line : lines) {
      Result full = fullCommand(line);
      Result small = jsplice(JDK17, line.toArray(String[]::new));

      assertThat(small).as("jsplice %s", line).isEqualTo(full);
      if (full.exit() != 0 && !line.contains("--json")) {
        assertThat(full.output().lines()).as("jsplice %s", line).hasSize(1);
      }
    }
    assertThat(home.resolve(".cache/jsplice/plain.last")).isRegularFile();
    try (var jar = new java.util.jar.JarFile(installed.resolve("lib/jsplice-plain.jar").toFile())) {
      assertThat(jar.getEntry("io/jsplice/cli/Jsplice.class")).isNotNull();
      assertThat(jar.getEntry("picocli/CommandLine.class")).isNull();
      assertThat(jar.getEntry("org/objectweb/asm/tree/ClassNode.class")).isNull();
      assertThat(jar.getEntry("io/jsplice/create/UpdateCreator.class")).isNull();
    }
  }

  /**
   * The small jar's class lists, from the build's training run: the classes of a cold apply (the
   * attach through HotSpot's attach listener, the check of a signed update) in the cold apply's
   * list, and not the JDK's attach client's reading of perf data nor its certificate parser, which
   * a cold apply no longer loads (the signature is checked directly on the trusted key), nor the
   * classes of a process: the signal that starts the target's attach listener is the attach
   * client's own {@code kill}, not {@code /bin/kill}'s process; the list of every other plain line
   * without them, so that those lines map the smaller archive.
   */
  @Test
  void smallJarsClassLists_holdAColdApplysClasses_inTheColdApplysListOnly() throws IOException {
    List<String> cold = Files.readAllLines(installed.resolve("lib/jsplice-plain-cold.classlist"));
    List<String> plain = Files.readAllLines(installed.resolve("lib/jsplice-plain.classlist"));
    List<String> coldOnly =
        List.of(
            "io/jsplice/client/internal/AttachListener",
            "io/jsplice/client/internal/HotSpotAttach",
            "io/jsplice/model/signing/UpdateFile",
            "io/jsplice/model/signing/DirectSignature");
    List<String> both =
        List.of(
            "io/jsplice/cli/PlainJsplice",
            "io/jsplice/client/AgentClient",
            "io/jsplice/protocol/message/ApplyReply",
            "io/jsplice/protocol/message/UndoReply");

    assertThat(cold).containsAll(coldOnly).containsAll(both);
    assertThat(cold)
        .doesNotContain(
            "sun/jvmstat/monitor/MonitoredHost",
            "sun/security/x509/X509CertImpl",
            "java/lang/ProcessBuilder",
            "java/lang/ProcessImpl");
    assertThat(plain).containsAll(both).doesNotContainAnyElementsOf(coldOnly);
    if (cold.contains("sun/security/jca/ProviderConfig$ProviderLoader")) {
      // JDK 17: its lookup of SunEC starts, in an order of each run's own, the providers listed
      // before it; the training met some of them, a cold apply may meet all.
      assertThat(cold)
          .contains(
              "org/jcp/xml/dsig/internal/dom/XMLDSigRI$ProviderService",
              "com/sun/security/sasl/gsskerb/JdkSASL$ProviderService",
              "sun/security/smartcardio/SunPCSC$ProviderService",
              "sun/security/jgss/SunProvider$ProviderService");
    }
  }

  /**
   * A cold apply through the small jar: it reads and verifies a real signed update (which takes
   * ASM's core, in that jar), loads the agent, applies; then an undo with the agent present.
   */
  @Test
  void applyCold_throughTheSmallJar_verifiesTheUpdateLoadsTheAgentAndApplies() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("cold apply"));
    Compiler javac = Compiler.with(Jdk.current()).options("--release", "17");
    String greeting =
        "package demo; public class Greeting { public static String text() { return %s; } }";
    Map<String, byte[]> pre = javac.compile("demo/Greeting.java", greeting.formatted("\"hello\""));
    Map<String, byte[]> post =
        javac.compile("demo/Greeting.java", greeting.formatted("\"patched\""));
    Map<String, byte[]> host =
        javac.compile(
            Map.of(
                "demo/Greeting.java",
                greeting.formatted("\"hello\""),
                "demo/Host.java",
                "package demo; public class Host { public static void main(String[] a) throws"
                    + " Exception { System.out.println(Greeting.text()); System.out.println(\"ready\");"
                    + " Thread.sleep(600_000); } }"));
    Path certificate = dir.resolve("key.pem");
    SigningKey key =
        KeyGeneration.generate(
            dir.resolve("key.p12"), "password".toCharArray(), "CN=dist test", certificate);
    Path update = dir.resolve("greeting.jsplice");
    UpdateFile.write(
        UpdateCreator.create(
                new ClassSet("pre", pre, List.of()),
                new ClassSet("post", post, List.of()),
                new UpdateCreator.Request("greeting-fix", "the greeting", List.of(), List.of()))
            .update(),
        key,
        update);
    try (TargetJvm target =
        TargetJvm.on(Jdk.current())
            .classpath(Jars.writeDirectory(dir.resolve("host"), host))
            .mainClass("demo.Host")
            .jvmArgs("-Duser.home=" + home)
            .start()) {
      target.awaitStdout("ready", Duration.ofMinutes(2));
      String pid = Long.toString(target.pid());

      Result apply =
          jsplice(JDK17, "apply", pid, update.toString(), "--trust", certificate.toString());
      assertThat(apply.exit()).as(apply.output()).isZero();
      assertThat(apply.output()).startsWith("applied greeting-fix to JVM " + pid);
      try (var cache = Files.list(home.resolve(".cache/jsplice"))) { // its archive: the cold one
        assertThat(cache.map(f -> f.getFileName().toString()))
            .anyMatch(f -> f.startsWith("plain-cold-") && f.endsWith(".jsa"));
      }
      Result undo = jsplice(JDK17, "undo", pid, "greeting-fix");
      assertThat(undo.exit()).as(undo.output()).isZero();
      assertThat(undo.output()).startsWith("undid greeting-fix in JVM " + pid);
    }
  }

  @Test
  void command_runsThroughASymbolicLinkOnThePath() throws Exception {
    Path bin = Files.createDirectories(temp.resolve("usr-local-bin"));
    Path link = Files.createSymbolicLink(bin.resolve("jsplice"), installed.resolve("bin/jsplice"));

    Result version = run(home, JDK17, link.toString(), "--version");

    assertThat(version.exit()).as(version.output()).isZero();
    assertThat(version.output().strip()).isEqualTo("jsplice " + VERSION);
  }

  // Root running a jsplice whose files another user can change runs that user's code: the launcher
  // refuses, as sshd's StrictModes. Meaningful as root only (CI runs the tests as root).
  @Test
  void asRoot_refusesToRun_whenAnotherUserCanChangeItsJarsOrADirectoryAboveThem() throws Exception {
    Assumptions.assumeTrue(
        Files.getAttribute(Path.of("/proc/self"), "unix:uid").equals(0), "runs as root only");
    Path above = Files.createDirectories(temp.resolve("strict-modes"));
    Path copy = above.resolve("jsplice");
    for (String file : List.of("bin/jsplice", "lib/jsplice.jar", "lib/jsplice-agent.jar")) {
      Files.createDirectories(copy.resolve(file).getParent());
      Files.copy(installed.resolve(file), copy.resolve(file), StandardCopyOption.COPY_ATTRIBUTES);
    }
    Path launcher = copy.resolve("bin/jsplice");
    assertThat(run(home, JDK17, launcher.toString(), "--version").exit()).isZero();

    Path lib = copy.resolve("lib");
    Path agent = lib.resolve("jsplice-agent.jar");
    List<Runnable> loosenings =
        List.of(
            () -> permissions(lib, "rwxrwxr-x"),
            () -> owner(agent, 65534),
            () -> permissions(above, "rwxrwxrwx"));
    List<Runnable> restorations =
        List.of(
            () -> permissions(lib, "rwxr-xr-x"),
            () -> owner(agent, 0),
            () -> permissions(above, "rwxr-xr-x"));
    List<Path> named = List.of(lib, agent, above);
    for (int i = 0; i < loosenings.size(); i++) {
      loosenings.get(i).run();
      Result refused = run(home, JDK17, launcher.toString(), "--version");
      restorations.get(i).run();

      assertThat(refused.exit()).as(refused.output()).isEqualTo(2);
      assertThat(refused.output().lines()).as(refused.output()).hasSize(1);
      assertThat(refused.output())
          .startsWith("jsplice: refusing to run as root: " + named.get(i).toRealPath());
    }
    assertThat(run(home, JDK17, launcher.toString(), "--version").exit()).isZero();
  }

  private static void permissions(Path path, String permissions) {
    try {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void owner(Path path, int uid) {
    try {
      Files.setAttribute(path, "unix:uid", uid);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every command and verb of the model help prints has its page, naming each of its options. */
  @Test
  void manPages_describeEveryVerbAndOption_ofTheCommandModelHelpPrints() throws IOException {
    List<CommandSpec> commands = new ArrayList<>();
    collect(CommandModel.full().getCommandSpec(), commands);
    assertThat(commands).hasSizeGreaterThan(15);
    for (CommandSpec command : commands) {
      String name = command.qualifiedName("-");
      Path page = installed.resolve("share/man/man1/" + name + ".1");
      assertThat(page).as(name).isRegularFile();
      // troff escapes the hyphens of option names.
      String text = Files.readString(page, StandardCharsets.UTF_8).replace("\\-", "-");
      assertThat(text).as(name).containsPattern("(?m)^\\.TH \"" + name.toUpperCase() + "\" \"1\"");
      for (OptionSpec option : command.options()) {
        assertThat(text).as(name).contains(option.longestName());
      }
    }
  }

  @Test
  void bashCompletion_completesVerbsAndTheirOptions() throws Exception {
    assertThat(complete("jsplice", "ap")).contains("apply");
    assertThat(complete("jsplice", "apply", "--tr")).contains("--trust");
    assertThat(complete("jsplice", "host", "deac")).contains("deactivate");
  }

  /**
   * The demo from the unpacked archive: a service exploited, patched live, undone, patched again,
   * then the fleet path, whose server's feed builds the update from a repository on disk; it
   * fetches commons-text from Maven Central into the fresh home.
   */
  @Test
  void demo_runsFromTheUnpackedArchive() throws Exception {
    Path work = Files.createDirectories(temp.resolve("demo"));
    Result demo = jsplice(JDK17, "demo", "--work", work.toString());

    assertThat(demo.exit()).as(demo.output()).isZero();
    assertThat(demo.output())
        .contains("VULNERABLE: the service read secret.txt")
        .contains("FIXED: the same request now gets the lookup back as text")
        .contains("the feed built commons-text-1.9-to-1.10.0 from the two releases")
        .contains("FIXED on both hosts: their daemons applied the feed's update")
        .contains("Demo succeeded.");
  }

  private static void collect(CommandSpec command, List<CommandSpec> into) {
    if (command.usageMessage().hidden()) {
      return;
    }
    into.add(command);
    for (CommandLine sub : command.subcommands().values()) {
      if (!into.contains(sub.getCommandSpec())) {
        collect(sub.getCommandSpec(), into);
      }
    }
  }

  /** What the bash completion offers after {@code words} (the last one being completed). */
  private static List<String> complete(String... words) throws Exception {
    String line = String.join(" ", words);
    StringBuilder array = new StringBuilder();
    for (String word : words) {
      array.append('\'').append(word).append("' ");
    }
    String script =
        "source \"$1\"\n"
            + "COMP_WORDS=("
            + array
            + ")\n"
            + "COMP_CWORD="
            + (words.length - 1)
            + "\nCOMP_LINE='"
            + line
            + "'\nCOMP_POINT="
            + line.length()
            + "\n"
            + "$(complete -p jsplice | sed -E 's/.* -F ([^ ]+) .*/\\1/') jsplice '"
            + words[words.length - 1]
            + "' '"
            + words[words.length - 2]
            + "'\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n";
    Result result =
        run(
            installed,
            JDK17,
            "bash",
            "-c",
            script,
            "completion",
            installed.resolve("share/bash-completion/completions/jsplice").toString());
    assertThat(result.exit()).as(result.output()).isZero();
    return result.output().lines().map(String::strip).toList();
  }

  /** {@code args} run by the full command, lib/jsplice.jar, as bin/jsplice would run it. */
  private static Result fullCommand(List<String> args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(JDK17.resolve("bin/java").toString());
    command.add("-Djsplice.agent.jar=" + installed.resolve("lib/jsplice-agent.jar"));
    command.add("-jar");
    command.add(installed.resolve("lib/jsplice.jar").toString());
    command.addAll(args);
    return run(installed, JDK17, command.toArray(String[]::new));
  }

  private static Result jsplice(Path jdk, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(installed.resolve("bin/jsplice").toString());
    command.addAll(List.of(args));
    return run(installed, jdk, command.toArray(String[]::new));
  }

  /** Runs with a fresh environment: the system's tools, the given JDK, the test's own home. */
  private static Result run(Path dir, Path jdk, String... command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.clear();
    env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.put("HOME", home.toString());
    env.put("JAVA_HOME", jdk.toString());
    env.put("LANG", "C.UTF-8");
    Process process = builder.start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(process.waitFor(), output);
  }

  private record Result(int exit, String output) {}
}
