package io.jsplice.cli.command;

import static io.jsplice.cli.command.CliRun.jsplice;
import static io.jsplice.cli.command.TinyLibrary.FIX;
import static io.jsplice.cli.command.TinyLibrary.FIX_2;
import static io.jsplice.cli.command.TinyLibrary.REBASE;
import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.model.UpdatePackage;
import io.jsplice.model.signing.UpdateFile;
import io.jsplice.testkit.Jdk;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Every named cause for which {@code jsplice apply} and {@code jsplice undo} refuse, against real
 * JVMs on JDK 17 and JDK 25: the exit code, the one line on stderr, and that the target's code is
 * what it was before (its answer, and {@code jsplice show}).
 */
class ApplyFailuresIT {
  private static final String V0 = "hello x (v0)";
  private static final String V1 = "hello x (v1)";
  private static final String V2 = "hello x (v2)";
  private static final String V3 = "hello x (v3)";

  @TempDir Path home;

  static List<Jdk> jdks() {
    return Jdk.underTest();
  }

  private static TinyLibrary library() {
    return TinyLibrary.get();
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void apply_refusesAnUnsignedUpdate(Jdk jdk) throws IOException {
    Path unsigned =
        library()
            .writeRaw(
                UpdateFile.unsignedJar(library().build(FIX, "v1", "v2", List.of())),
                "unsigned.jsplice");
    try (LibraryHost host = LibraryHost.on(jdk).start(home)) {
      String message = host.apply(unsigned).failedWith(10);

      assertThat(message)
          .isEqualTo(
              unsigned + " is not signed; sign it with `jsplice sign` or `jsplice create --key`");
      assertUnchanged(host, V1);
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void apply_refusesAnUpdateChangedAfterSigning(Jdk jdk) throws IOException {
    Path tampered =
        library()
            .writeRaw(
                replaceInEntry(library().fix(), "jsplice/install/lib/Greeter.class", "v2", "v9"),
                "tampered.jsplice");
    try (LibraryHost host = LibraryHost.on(jdk).start(home)) {
      String message = host.apply(tampered).failedWith(11);

      assertThat(message).startsWith(tampered + " was modified after it was signed");
      assertUnchanged(host, V1);
      assertThat(jsplice("show", host.pid()).succeeded().out())
          .as("refused before the agent was loaded")
          .contains("no jsplice agent");
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void apply_refusesAnUpdateSignedByAnUntrustedKey(Jdk jdk) {
    Path foreign =
        library()
            .write(
                library().build(FIX, "v1", "v2", List.of()),
                library().otherKey(),
                "other-key.jsplice");
    try (LibraryHost host = LibraryHost.on(jdk).start(home)) {
      String message = host.apply(foreign).failedWith(12);

      assertThat(message)
          .startsWith(foreign + " is signed by \"CN=someone else\" (key ")
          .endsWith("), which is not among the trusted keys in [" + library().certificate() + "]");
      assertUnchanged(host, V1);
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void apply_refusesATruncatedUpdateFile(Jdk jdk) throws IOException {
    byte[] whole = Files.readAllBytes(library().fix());
    Path truncated =
        library().writeRaw(Arrays.copyOf(whole, whole.length / 2), "truncated.jsplice");
    try (LibraryHost host = LibraryHost.on(jdk).start(home)) {
      String message = host.apply(truncated).failedWith(13);

      assertThat(message).startsWith(truncated + " is not a valid update (damaged or truncated: ");
      assertUnchanged(host, V1);
    }
  }

  @Test
  void apply_failsForAPidWithNoProcess() {
    long pid = 4_000_000;
    while (ProcessHandle.of(pid).isPresent()) {
      pid++;
    }

    String message = LibraryHost.applyTo(pid, library().fix()).failedWith(20);

    assertThat(message).isEqualTo("no process with pid " + pid);
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void apply_failsWhenTheJvmRefusesDynamicAgents(Jdk jdk) {
    try (LibraryHost host =
        LibraryHost.on(jdk).jvmArgs("-XX:-EnableDynamicAgentLoading").start(home)) {
      String message = host.apply(library().fix()).failedWith(21);

      assertThat(message)
          .startsWith("JVM " + host.pid() + " refused to load the agent (")
          .contains("restart it with -javaagent:");
      assertUnchanged(host, V1);
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void apply_failsWhenTheJvmDisablesAttach(Jdk jdk) {
    try (LibraryHost host =
        LibraryHost.on(jdk).jvmArgs("-XX:+DisableAttachMechanism").start(home)) {
      String message = host.apply(library().fix()).failedWith(21);

      assertThat(message)
          .startsWith("cannot attach to JVM " + host.pid() + " (")
          .endsWith("start it with -javaagent:jsplice-agent.jar instead");
      assertUnchanged(host, V1);
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void apply_refusesClearly_whenTheAgentJarWasOverwrittenInPlaceUnderTheJvm(Jdk jdk)
      throws IOException {
    Path agentJar =
        Files.copy(Path.of(System.getProperty("jsplice.agent.jar")), home.resolve("agent.jar"));
    try (LibraryHost host = LibraryHost.on(jdk).jvmArgs("-javaagent:" + agentJar).start(home)) {
      // An upgrade with cp: another jar written into the same file, its entries at other offsets.
      Files.write(agentJar, reordered(agentJar));

      String message = host.apply(library().fix()).failedWith(21);

      assertThat(message)
          .startsWith("the jsplice agent jar " + agentJar + " was overwritten in place after JVM")
          .contains("restart the JVM")
          .endsWith("renaming a new file over the old one, never by writing into it");
      assertThat(host.greet()).as("%s", host).isEqualTo(V1);
      assertThat(host.jvm().stderr()).as("nothing thrown into the JVM's output").isEmpty();
    }
  }

  /** The zip {@code file}'s entries, the same bytes each, written in the reverse order. */
  private static byte[] reordered(Path file) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipFile zip = new ZipFile(file.toFile());
        ZipOutputStream out = new ZipOutputStream(bytes)) {
      List<? extends ZipEntry> entries = Collections.list(zip.entries());
      Collections.reverse(entries);
      for (ZipEntry entry : entries) {
        out.putNextEntry(new ZipEntry(entry.getName()));
        out.write(zip.getInputStream(entry).readAllBytes());
        out.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void apply_refusesWhenTheJvmRunsAnotherVersionThanTheUpdateWasBuiltAgainst(Jdk jdk) {
    try (LibraryHost host = LibraryHost.on(jdk).running("v0").start(home)) {
      String message = host.apply(library().fix()).failedWith(30);

      // Both classes of the update differ in v0, and the refusal names each of them.
      for (String differing : List.of("Greeter", "Spinner")) {
        assertThat(message)
            .startsWith("cannot apply " + FIX + "; no class was changed: ")
            .containsPattern(
                "lib\\."
                    + differing
                    + " in application class loader, from file:"
                    + Pattern.quote(library().jar("v0").toString())
                    + ": its code \\(fingerprint \\p{XDigit}{12}\\) is not what "
                    + FIX
                    + " was built against \\(expected \\p{XDigit}{12}\\)")
            .doesNotContain("another Java agent");
      }
      assertUnchanged(host, V0);
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void apply_refusesWhileAThreadIsInsideReplacedCode_andForceSaysWhichFrameKeepsOldCode(Jdk jdk) {
    try (LibraryHost host = LibraryHost.on(jdk).start(home)) {
      host.hold();

      String message = host.apply(library().fix()).failedWith(31);

      assertThat(message)
          .startsWith("cannot apply " + FIX + ": code it replaces is running after 2 retries: ")
          .contains("thread \"holder\" in lib.Greeter.hold:")
          .doesNotContain("outermost")
          .endsWith("(retry later, or pass --force to let these frames finish on the old code)");
      assertUnchanged(host, V1);

      CliRun forced = host.apply(library().fix(), "--force").succeeded();

      assertThat(forced.out())
          .contains("  ! still on old code: thread \"holder\" in lib.Greeter.hold:");
      assertThat(host.greet()).isEqualTo(V2);
      assertThat(host.release())
          .as("the forced frame finishes on the old code")
          .isEqualTo("held (v1)");
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void apply_flagsAReplacedMethodThatNeverReturns(Jdk jdk) {
    try (LibraryHost host = LibraryHost.on(jdk).start(home)) {
      host.spin();

      String message = host.apply(library().fix()).failedWith(31);

      assertThat(message)
          .contains("thread \"spinner\" in lib.Spinner.run:")
          .contains("(its outermost frame: it may never return)");
      assertUnchanged(host, V1);

      CliRun forced = host.apply(library().fix(), "--force").succeeded();

      assertThat(forced.out())
          .containsPattern(
              "  ! still on old code: thread \"spinner\" in lib\\.Spinner\\.run:\\d+ \\(its"
                  + " outermost frame: it may never return\\)");
      assertThat(host.greet()).isEqualTo(V2);
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void apply_refusesAnUpdateThatCannotBeAppliedLive(Jdk jdk) {
    try (LibraryHost host = LibraryHost.on(jdk).start(home)) {
      String message = host.apply(library().rebase()).failedWith(32);

      assertThat(message).startsWith("update " + REBASE + " cannot be applied live: ");
      assertThat(host.shapeSuperclass()).isEqualTo("java.lang.Object");
      assertUnchanged(host, V1);
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void apply_refusesCodeTheJvmsVerifierRejects(Jdk jdk) {
    String id = "greeter-fix-unverifiable";
    UpdatePackage built = library().build(id, "v1", "v2", List.of());
    Map<String, byte[]> files = new TreeMap<>(built.files());
    String greeter = UpdatePackage.INSTALL + "lib/Greeter.class";
    files.put(greeter, returningAnIntFromGreet(files.get(greeter)));
    Path unverifiable =
        library()
            .write(
                new UpdatePackage(built.update(), files), library().key(), "unverifiable.jsplice");
    try (LibraryHost host = LibraryHost.on(jdk).jvmArgs("-Xlog:verification=info").start(home)) {
      String message = host.apply(unverifiable).failedWith(33);

      assertThat(message)
          .isEqualTo(
              "cannot apply "
                  + id
                  + "; no class was changed: the JVM's verifier rejected the new code of"
                  + " lib.Greeter, lib.Spinner; the update is faulty: rebuild it"
                  + " (-Xlog:verification shows which class and why)");
      assertThat(host.jvm().stdout())
          .as("what the message advises")
          .contains("Verification for lib.Greeter failed");
      assertUnchanged(host, V1);
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void undo_refusesWhileALaterUpdateDependsOnIt(Jdk jdk) {
    try (LibraryHost host = LibraryHost.on(jdk).start(home)) {
      host.apply(library().fix()).succeeded();
      host.apply(library().fix2()).succeeded();
      assertThat(host.greet()).isEqualTo(V3);

      String message = host.undo(FIX).failedWith(34);

      assertThat(message)
          .isEqualTo(
              "cannot undo "
                  + FIX
                  + ": update "
                  + FIX_2
                  + " depends on it; undo "
                  + FIX_2
                  + " first");
      assertThat(host.greet()).isEqualTo(V3);
      assertThat(host.appliedUpdates()).containsExactly(FIX, FIX_2);

      host.undo(FIX_2).succeeded();
      assertThat(host.greet()).isEqualTo(V2);
      host.undo(FIX).succeeded();
      assertUnchanged(host, V1);
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void applyAndUndo_refuseWhatIsAlreadyAppliedOrNotApplied(Jdk jdk) {
    try (LibraryHost host = LibraryHost.on(jdk).start(home)) {
      assertThat(host.undo(FIX).failedWith(37))
          .isEqualTo(
              "JVM " + host.pid() + " has no jsplice agent, so no update is applied to undo");

      host.apply(library().fix()).succeeded();
      assertThat(host.apply(library().fix()).failedWith(37))
          .isEqualTo("update " + FIX + " is already applied");
      assertThat(host.greet()).isEqualTo(V2);

      assertThat(host.undo("no-such-update").failedWith(37))
          .isEqualTo("update no-such-update is not applied in this JVM");
      assertThat(host.greet()).isEqualTo(V2);
      assertThat(host.appliedUpdates()).containsExactly(FIX);
    }
  }

  /** The host still runs the code it ran before, and no update is recorded as applied. */
  private static void assertUnchanged(LibraryHost host, String answer) {
    assertThat(host.greet()).as("%s", host).isEqualTo(answer);
    assertThat(host.appliedUpdates()).isEmpty();
  }

  /** A copy of the zip {@code file} with {@code from} replaced by {@code to} in one entry. */
  private static byte[] replaceInEntry(Path file, String entry, String from, String to)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipFile zip = new ZipFile(file.toFile());
        ZipOutputStream out = new ZipOutputStream(bytes)) {
      for (ZipEntry e : Collections.list(zip.entries())) {
        byte[] content = zip.getInputStream(e).readAllBytes();
        if (e.getName().equals(entry)) {
          String text = new String(content, StandardCharsets.ISO_8859_1);
          assertThat(text).contains(from);
          content = text.replace(from, to).getBytes(StandardCharsets.ISO_8859_1);
        }
        out.putNextEntry(new ZipEntry(e.getName()));
        out.write(content);
        out.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  /**
   * {@code classFile} with {@code greet}, declared to return a String, returning the int 1: a class
   * file every parser reads and the JVM's verifier rejects.
   */
  private static byte[] returningAnIntFromGreet(byte[] classFile) {
    ClassNode node = new ClassNode();
    new ClassReader(classFile).accept(node, 0);
    MethodNode greet =
        node.methods.stream().filter(m -> m.name.equals("greet")).findFirst().orElseThrow();
    greet.instructions.clear();
    greet.tryCatchBlocks.clear();
    greet.localVariables = null;
    greet.instructions.add(new InsnNode(Opcodes.ICONST_1));
    greet.instructions.add(new InsnNode(Opcodes.ARETURN));
    greet.maxStack = 1;
    ClassWriter writer = new ClassWriter(0);
    node.accept(writer);
    return writer.toByteArray();
  }
}
