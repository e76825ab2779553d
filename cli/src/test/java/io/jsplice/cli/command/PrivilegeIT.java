package io.jsplice.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jsplice.client.AgentClient;
import io.jsplice.client.Agents;
import io.jsplice.client.VerifiedUpdate;
import io.jsplice.client.internal.TargetUserAttachment;
import io.jsplice.model.json.JsonObject;
import io.jsplice.protocol.AgentArguments;
import io.jsplice.protocol.message.ApplyReply;
import io.jsplice.protocol.message.Quiescence;
import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jars;
import io.jsplice.testkit.Jdk;
import io.jsplice.testkit.TargetJvm;
import io.jsplice.testkit.TestUsers;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Who may do what to whom (issue 8, docs/threat-model.md), with two unprivileged users: {@code
 * jsplice-a} runs the target JVM, {@code jsplice-b} is another user of the machine, and jsplice
 * runs as root. Each test is a defect that was found and fixed: it fails on the code before the
 * fix.
 */
class PrivilegeIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** A stand-in agent: listens where it is told and notes every connection it gets. */
  private static final String FAKE_AGENT =
      """
      import java.io.DataInputStream;
      import java.io.DataOutputStream;
      import java.net.StandardProtocolFamily;
      import java.net.UnixDomainSocketAddress;
      import java.nio.channels.Channels;
      import java.nio.channels.ServerSocketChannel;
      import java.nio.channels.SocketChannel;
      import java.nio.charset.StandardCharsets;
      import java.nio.file.Path;

      public class FakeAgent {
        public static void main(String[] args) throws Exception {
          Path socket = Path.of(args[0].replace("PID", Long.toString(ProcessHandle.current().pid())));
          ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
          server.bind(UnixDomainSocketAddress.of(socket));
          System.out.println("listening at " + socket);
          while (true) {
            try (SocketChannel client = server.accept()) {
              System.out.println("CONTACTED");
              DataOutputStream out = new DataOutputStream(Channels.newOutputStream(client));
              byte[] reply = ("{\\"ok\\":true,\\"applied\\":\\"greeter-fix\\",\\"switched\\":[],"
                  + "\\"pending\\":[],\\"forcedFrames\\":[],\\"warnings\\":[],\\"checkMillis\\":0,"
                  + "\\"switchMillis\\":0,\\"updates\\":[],\\"effective\\":[]}")
                  .getBytes(StandardCharsets.UTF_8);
              out.writeInt(reply.length);
              out.write(reply);
              out.writeInt(0);
              out.flush();
            } catch (Exception e) {
              System.out.println("client failed: " + e);
            }
          }
        }
      }
      """;

  private static TestUsers.User a;
  private static TestUsers.User b;
  private static Path readable;
  private static Path fakeAgent;
  private static Path cliClasspath;
  private static String agentJarBefore;
  private static String attachClasspathBefore;

  @BeforeAll
  static void users() throws IOException {
    String why = TestUsers.cannotRun();
    assumeTrue(why == null, () -> "skipped: " + why);
    a = TestUsers.a();
    b = TestUsers.b();
    readable = TestUsers.readableDirectory("jsplice-privilege-");
    // The target (as a) loads the agent jar and the attach helper runs jsplice's classes as a:
    // both must be readable by a, wherever the build put them.
    agentJarBefore = System.getProperty(Agents.AGENT_JAR_PROPERTY);
    attachClasspathBefore = System.getProperty(TargetUserAttachment.CLASSPATH_PROPERTY);
    Path agentJar = TestUsers.readableCopy(Path.of(agentJarBefore), readable);
    System.setProperty(Agents.AGENT_JAR_PROPERTY, agentJar.toString());
    List<String> classpath = new ArrayList<>();
    Path cp = Files.createDirectories(readable.resolve("cp"));
    Files.setPosixFilePermissions(cp, PosixFilePermissions.fromString("rwxr-xr-x"));
    String testClasspath = System.getProperty("surefire.test.class.path");
    if (testClasspath == null) {
      testClasspath = System.getProperty("java.class.path");
    }
    int i = 0;
    for (String entry : testClasspath.split(java.io.File.pathSeparator)) {
      Path path = Path.of(entry);
      if (Files.exists(path)) {
        Path slot = Files.createDirectories(cp.resolve(Integer.toString(i++)));
        Files.setPosixFilePermissions(slot, PosixFilePermissions.fromString("rwxr-xr-x"));
        classpath.add(TestUsers.readableCopy(path, slot).toString());
      }
    }
    cliClasspath = cp;
    System.setProperty(
        TargetUserAttachment.CLASSPATH_PROPERTY,
        String.join(java.io.File.pathSeparator, classpath));
    fakeAgent = Files.createDirectories(readable.resolve("fake-agent"));
    Jars.writeDirectory(
        fakeAgent,
        Compiler.with(Jdk.current())
            .options("--release", "17")
            .compile("FakeAgent.java", FAKE_AGENT));
    fakeAgent = TestUsers.readableCopy(fakeAgent, Files.createDirectories(readable.resolve("f")));
  }

  @AfterAll
  static void restore() throws IOException {
    if (readable == null) {
      return;
    }
    restore(Agents.AGENT_JAR_PROPERTY, agentJarBefore);
    restore(TargetUserAttachment.CLASSPATH_PROPERTY, attachClasspathBefore);
    Compiler.deleteTree(readable);
  }

  /**
   * Item 4: another user made {@code /tmp/.jsplice-UID} first and listens there as the target's
   * agent. Before, root's apply talked to it and said "applied" while the JVM stayed vulnerable.
   */
  @Test
  void apply_asRoot_neverTalksToAFakeAgentAnotherUserPlanted_andReachesTheRealOne()
      throws Exception {
    Path planted = Path.of("/tmp/.jsplice-" + a.uid());
    Compiler.deleteTree(planted);
    try (LibraryHost host = hostAsA()) {
      run(b, "mkdir", "-m", "700", planted.toString());
      Path fakeSocket = planted.resolve(host.pid() + ".sock");
      try (TargetJvm impostor =
          TargetJvm.on(Jdk.current())
              .asUser(b)
              .jvmArgs("-XX:-UsePerfData")
              .classpath(fakeAgent)
              .mainClass("FakeAgent")
              .args(fakeSocket.toString())
              .start()) {
        impostor.awaitStdout("listening", WAIT);

        CliRun apply = host.apply(TinyLibrary.get().fix());

        assertThat(apply.succeeded().out()).startsWith("applied greeter-fix to JVM " + host.pid());
        assertThat(host.greet()).isEqualTo("hello x (v2)");
        CliRun show = CliRun.jsplice("show", host.pid(), "--json").succeeded();
        assertThat(JsonObject.parse(show.out()).objects("updates")).hasSize(1);
        assertThat(impostor.stdout()).doesNotContain("CONTACTED");
      }
    } finally {
      Compiler.deleteTree(planted);
    }
  }

  /**
   * Item 4: the target's own process listens, but in a directory another user controls (mode 0777,
   * owned by b): that user could swap the socket. jsplice refuses to talk (21).
   */
  @Test
  void show_asRoot_refusesASocketInADirectoryAnotherUserControls() throws Exception {
    Path planted = Path.of("/tmp/.jsplice-" + a.uid() + "-planted");
    Compiler.deleteTree(planted);
    try {
      run(b, "mkdir", "-m", "777", planted.toString());
      try (TargetJvm listener =
          TargetJvm.on(Jdk.current())
              .asUser(a)
              .classpath(fakeAgent)
              .mainClass("FakeAgent")
              .args(planted.resolve("PID.sock").toString())
              .start()) {
        listener.awaitStdout("listening", WAIT);

        String message = CliRun.jsplice("show", listener.pid()).failedWith(21);

        assertThat(message)
            .startsWith(
                "refusing to talk to what answers as the jsplice agent of JVM " + listener.pid())
            .contains("belongs to uid " + b.uid() + ", not to the JVM's uid " + a.uid());
        assertThat(listener.stdout()).doesNotContain("CONTACTED");
      }
    } finally {
      Compiler.deleteTree(planted);
    }
  }

  /**
   * Item 5: a link {@code .attach_pid<PID>} in the target's working directory, pointing at a file
   * of root's. Before, root's attach deleted that file (the class of CVE-2022-33915).
   */
  @Test
  void attach_asRoot_leavesAFileOfRootsTheUserLinkedAsAttachPidAlone() throws Exception {
    Path rootOnly = Files.createTempDirectory("jsplice-root-only-");
    Path secret = Files.writeString(rootOnly.resolve("secret"), "root's own");
    Path cwd = readable.resolve("cwd-" + System.nanoTime());
    Files.createDirectories(cwd);
    TestUsers.chown(cwd, a);
    try (LibraryHost host =
        LibraryHost.on(Jdk.current()).asUser(a, readable).directory(cwd).start(home())) {
      run(a, "ln", "-s", secret.toString(), cwd.resolve(".attach_pid" + host.pid()).toString());

      CliRun verify = CliRun.jsplice("verify", "--attach", host.pid());

      assertThat(secret).as(verify.toString()).exists().hasContent("root's own");
      assertThat(verify.exitCode()).as(verify.toString()).isIn(0, 21);
    } finally {
      Compiler.deleteTree(rootOnly);
    }
  }

  /**
   * FLEET-ANCHORS ask 3: a killed JVM of root's left its attach socket {@code /tmp/.java_pidN}, and
   * a's JVM got pid N. Before, the refusal said only whose the socket was; it now says that the
   * file is older than the JVM, so stale, and how to remove it. jsplice neither uses nor deletes it
   * (21), and the JVM stays as it was.
   */
  @Test
  void apply_asRoot_refusesAStaleAttachSocketOfRoots_sayingItIsStaleAndHowToRemoveIt()
      throws Exception {
    try (LibraryHost host = hostAsA()) {
      Path socket = Path.of("/tmp/.java_pid" + host.pid());
      Files.deleteIfExists(socket); // a leftover of this machine's own killed JVMs
      Instant started =
          ProcessHandle.of(host.pid()).orElseThrow().info().startInstant().orElseThrow();
      try {
        try (ServerSocketChannel killed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
          killed.bind(UnixDomainSocketAddress.of(socket));
        }
        Files.setLastModifiedTime(socket, FileTime.from(started.minusSeconds(600)));

        String message = host.apply(TinyLibrary.get().fix()).failedWith(21);

        assertThat(message)
            .contains(
                "refusing the attach socket "
                    + socket
                    + " of JVM "
                    + host.pid()
                    + ": it belongs to root (uid 0 gid 0), not to the JVM's user "
                    + a.name())
            .contains("before the JVM started")
            .contains("it is stale, most likely left by a killed earlier process")
            .endsWith("remove it (as root): rm " + socket + ", then try again");
        assertThat(socket).exists();
        assertThat(host.greet()).isEqualTo("hello x (v1)");
      } finally {
        Files.deleteIfExists(socket);
      }
    }
  }

  /**
   * Issue 14: a stopped its JVM (SIGSTOP) after its attach listener started. The attach helper, run
   * as a, connects and waits for an answer that never comes; root's jsplice read the helper's
   * output before it looked at its bound, so it waited forever. It now gives up at the bound (21),
   * says why, and the JVM, continued, runs its own code.
   */
  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void apply_asRoot_toAJvmItsUserStopped_givesUpAtItsBoundInsteadOfWaitingForever()
      throws Exception {
    try (LibraryHost host =
        LibraryHost.on(Jdk.current())
            .asUser(a, readable)
            .jvmArgs("-XX:+StartAttachListener")
            .start(home())) {
      Path socket = Path.of("/tmp/.java_pid" + host.pid());
      while (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)
          || ((Number) Files.getAttribute(socket, "unix:uid", LinkOption.NOFOLLOW_LINKS))
                  .longValue()
              != a.uid()) {
        Thread.sleep(10); // the listener starts with the JVM; the @Timeout bounds a stale socket
      }
      signal("-STOP", host.pid());
      while (!Files.readString(Path.of("/proc/" + host.pid() + "/stat")).contains(") T ")) {
        Thread.sleep(10);
      }
      try {
        String message = host.apply(TinyLibrary.get().fix()).failedWith(21);

        assertThat(message)
            .contains("the attach helper for JVM " + host.pid() + " did not finish within")
            .contains("(is the JVM stopped or hung?); it was stopped");
      } finally {
        signal("-CONT", host.pid());
      }
      assertThat(host.greet()).isEqualTo("hello x (v1)");
    }
  }

  private static void signal(String signal, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", signal, Long.toString(pid)).inheritIO().start();
    assertThat(kill.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).as("kill " + signal + " " + pid).isZero();
  }

  /**
   * Item 6: the update lies in a directory the target's user can write. Whatever that user puts
   * there after jsplice read it, the bytes jsplice verified are the bytes applied: the agent never
   * opens the path. Before, the agent re-read the path and 3 of 6 applies installed another update.
   */
  @Test
  void apply_asRoot_appliesTheBytesItVerified_notWhatTheUserSwapsIntoThePathLater()
      throws Exception {
    Path drop = Files.createDirectories(readable.resolve("drop-" + System.nanoTime()));
    TestUsers.chown(drop, a);
    Path file = drop.resolve("update.jsplice");
    Files.copy(TinyLibrary.get().fix(), file);
    TestUsers.chown(file, a);
    Path other = TestUsers.readableCopy(TinyLibrary.get().tallyField(), readable);
    try (LibraryHost host = hostAsA()) {
      List<Path> trust = List.of(TinyLibrary.get().certificate());
      AgentClient client =
          Agents.fromSystemProperty().connectOrLoad(host.pid(), AgentArguments.of(trust, null));
      VerifiedUpdate verified = VerifiedUpdate.read(file, trust);

      run(a, "cp", other.toString(), file.toString()); // the user swaps the file now
      ApplyReply reply = client.apply(verified, Quiescence.DEFAULT);

      assertThat(reply.applied()).isEqualTo(TinyLibrary.FIX);
      assertThat(host.greet()).isEqualTo("hello x (v2)");
      assertThat(host.appliedUpdates()).containsExactly(TinyLibrary.FIX);
      assertThat(Files.readAllBytes(file)).isEqualTo(Files.readAllBytes(other));
    }
  }

  /** Item 6, the other half: root's own 0600 file in root's own directory applies (before: 13). */
  @Test
  void apply_asRoot_ofAnUpdateOnlyRootCanRead_works() throws Exception {
    Path rootOnly = Files.createTempDirectory("jsplice-root-only-");
    try (LibraryHost host = hostAsA()) {
      Path file = Files.copy(TinyLibrary.get().fix(), rootOnly.resolve("fix.jsplice"));
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

      CliRun apply = host.apply(file);

      assertThat(apply.succeeded().out()).startsWith("applied greeter-fix");
      assertThat(host.greet()).isEqualTo("hello x (v2)");
    } finally {
      Compiler.deleteTree(rootOnly);
    }
  }

  /**
   * Item 5, its consequence: the target loads the agent jar as its own user. When that user cannot
   * read it, jsplice says so before attaching (21) and the JVM stays as it was.
   */
  @Test
  void apply_asRoot_saysWhenTheTargetsUserCannotReadTheAgentJar() throws Exception {
    Path rootOnly = Files.createTempDirectory("jsplice-root-only-");
    String readableJar = System.getProperty(Agents.AGENT_JAR_PROPERTY);
    try (LibraryHost host = hostAsA()) {
      Path hidden = Files.copy(Path.of(readableJar), rootOnly.resolve("jsplice-agent.jar"));
      System.setProperty(Agents.AGENT_JAR_PROPERTY, hidden.toString());

      String message = host.apply(TinyLibrary.get().fix()).failedWith(21);

      assertThat(message)
          .isEqualTo(
              "JVM "
                  + host.pid()
                  + " runs as user "
                  + a.name()
                  + ", who cannot read the agent jar "
                  + hidden
                  + " it would have to load; install jsplice where that user can read it (for"
                  + " example under /opt), or make the jar and its directories readable");
      assertThat(host.greet()).isEqualTo("hello x (v1)");
    } finally {
      System.setProperty(Agents.AGENT_JAR_PROPERTY, readableJar);
      Compiler.deleteTree(rootOnly);
    }
  }

  /**
   * Item 10: another user asking about a patched JVM learns that it cannot tell (21), not "no
   * jsplice agent, no update applied" (0).
   */
  @Test
  void show_asAnotherUser_saysItCannotTell() throws Exception {
    try (LibraryHost host = hostAsA()) {
      host.apply(TinyLibrary.get().fix()).succeeded();

      Result asB = jspliceAs(b, "show", Long.toString(host.pid()));

      assertThat(asB.exitCode()).as(asB.toString()).isEqualTo(21);
      assertThat(asB.out()).as(asB.toString()).isEmpty();
      assertThat(asB.err())
          .startsWith("jsplice: cannot tell whether JVM " + host.pid() + " runs a jsplice agent")
          .contains("it runs as user " + a.name());
      assertThat(host.appliedUpdates()).containsExactly(TinyLibrary.FIX);
    }
  }

  private static LibraryHost hostAsA() throws IOException {
    return LibraryHost.on(Jdk.current()).asUser(a, readable).start(home());
  }

  /** A fresh home (state and log directory) for a, which a owns. */
  private static Path home() throws IOException {
    Path home = Files.createDirectories(readable.resolve("home-" + System.nanoTime()));
    TestUsers.chown(home, a);
    return home;
  }

  private static void run(TestUsers.User user, String... command) throws Exception {
    Process process = new ProcessBuilder(user.command(List.of(command))).inheritIO().start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command) + " as " + user.name()).isZero();
  }

  record Result(int exitCode, String out, String err) {}

  /** {@code jsplice ARGS} in a JVM of its own, run as {@code user}. */
  private static Result jspliceAs(TestUsers.User user, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Jdk.current().java().toString());
    command.add("-XX:-UsePerfData");
    command.add("-cp");
    command.add(System.getProperty(TargetUserAttachment.CLASSPATH_PROPERTY));
    command.add("io.jsplice.cli.Jsplice");
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(user.command(command)).directory(readable.toFile()).start();
    byte[] out = process.getInputStream().readAllBytes();
    byte[] err = process.getErrorStream().readAllBytes();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Result(
        process.exitValue(),
        new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8));
  }

  private static void restore(String property, String value) {
    if (value == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, value);
    }
  }
}
