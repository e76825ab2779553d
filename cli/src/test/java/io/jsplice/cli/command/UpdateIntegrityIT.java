package io.jsplice.cli.command;

import static io.jsplice.cli.command.TinyLibrary.GUARD;
import static io.jsplice.cli.command.TinyLibrary.LATER_FIX;
import static io.jsplice.cli.command.TinyLibrary.LATER_OTHER;
import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.client.Agents;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.json.JsonObject;
import io.jsplice.model.record.ServiceRecordStore;
import io.jsplice.testkit.Jdk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
 * What a faulty, rebuilt or rival update must not do to a running JVM, on JDK 17 and 25: leave
 * classes a later apply picks up, install code the JVM's verifier rejects (loaded now or later),
 * silently drop another update's fix, or keep a JVM from starting.
 */
class UpdateIntegrityIT {
  private static final String V1 = "hello x (v1)";
  private static final String GUARDED = "hello x (guarded)";
  private static final String LATER_V1 = "later (v1)";

  @TempDir Path home;

  static List<Jdk> jdks() {
    return Jdk.underTest();
  }

  private static TinyLibrary library() {
    return TinyLibrary.get();
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void anotherBuildWithTheSameIdAppliedAndUndone_theRealBuildIsInForce(Jdk jdk) {
    try (LibraryHost host = LibraryHost.on(jdk).start(home)) {
      host.apply(library().weakenedGuard()).succeeded();
      assertThat(host.greet()).isEqualTo("hello x (weak)");
      host.undo(GUARD).succeeded();
      assertThat(host.greet()).isEqualTo(V1);

      host.apply(library().guard()).succeeded();

      assertThat(host.greet()).as("%s", host).isEqualTo(GUARDED);
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void anotherBuildWithTheSameIdFailedToApply_theRealBuildIsInForce(Jdk jdk) {
    // The weakened build with greet returning an int: its companion is defined, then the switch
    // fails in the JVM's verifier.
    UpdatePackage weakened = library().build(GUARD, "v1", "weakened", List.of());
    Path failing =
        library()
            .write(
                withInstalled(weakened, "lib/Greeter", UpdateIntegrityIT::returningAnIntFromGreet),
                library().key(),
                "greeter-guard-failing.jsplice");
    try (LibraryHost host = LibraryHost.on(jdk).start(home)) {
      host.apply(failing).failedWith(33);
      assertThat(host.greet()).isEqualTo(V1);

      host.apply(library().guard()).succeeded();

      assertThat(host.greet()).as("%s", host).isEqualTo(GUARDED);
      host.undo(GUARD).succeeded();
      host.apply(library().guard()).succeeded();
      assertThat(host.greet()).as("the same build again").isEqualTo(GUARDED);
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void anAddedClassTheVerifierRejects_isNeverDefined_soTheRealBuildAppliesAfterwards(Jdk jdk) {
    UpdatePackage real = library().build(GUARD, "v1", "guarded", List.of());
    String companion =
        real.files().keySet().stream()
            .filter(p -> p.startsWith(UpdatePackage.INSTALL) && p.contains("$$jsplice$"))
            .map(p -> p.substring(UpdatePackage.INSTALL.length(), p.length() - ".class".length()))
            .findFirst()
            .orElseThrow();
    // The same code but for the companion's added method, which returns an int: its name is the
    // real build's, so defining it would take that name for good.
    Path broken =
        library()
            .write(
                withInstalled(real, companion, c -> returningAnInt(c, "check")),
                library().key(),
                "greeter-guard-broken-companion.jsplice");
    try (LibraryHost host = LibraryHost.on(jdk).start(home)) {
      String message = host.apply(broken).failedWith(33);

      assertThat(message)
          .startsWith(
              "cannot apply " + GUARD + "; no class was changed: the JVM's verifier rejects")
          .contains(companion.replace('/', '.'));
      assertThat(host.greet()).isEqualTo(V1);

      host.apply(library().guard()).succeeded();
      assertThat(host.greet()).as("%s", host).isEqualTo(GUARDED);
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void codeTheVerifierRejects_forAClassNotLoadedYet_isRefusedBeforeTheSwitch(Jdk jdk) {
    Path broken = brokenLaterFix();
    try (LibraryHost host = LibraryHost.on(jdk).start(home)) {
      String message = host.apply(broken).failedWith(33);

      assertThat(message)
          .startsWith("cannot apply " + LATER_FIX + "; no class was changed: ")
          .contains("lib.Later");
      assertThat(host.later("app")).as("%s", host).isEqualTo(LATER_V1);
      assertThat(host.appliedUpdates()).isEmpty();

      host.apply(library().laterFix()).succeeded();
      assertThat(host.later("app")).isEqualTo("later (fixed)");
      host.undo(LATER_FIX).succeeded();
      assertThat(host.later("app")).isEqualTo(LATER_V1);
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void codeTheVerifierRejects_forAClassThatLoadsLaterInANewLoader_loadsItsOwnCode(Jdk jdk) {
    Path broken = brokenLaterFix();
    try (LibraryHost host = LibraryHost.on(jdk).running("v1-without-later").start(home)) {
      // No loader has lib.Later or its class file yet: nothing to check it against now.
      host.apply(broken).succeeded();

      assertThat(host.laterInANewLoader(library().jar("later-only")))
          .as("%s", host)
          .isEqualTo(LATER_V1);
      JsonObject show = JsonObject.parse(CliRun.jsplice("show", host.pid(), "--json").out());
      assertThat(show.objects("loadedAfterApply"))
          .anySatisfy(
              e -> {
                assertThat(e.string("class")).isEqualTo("lib.Later");
                assertThat(e.optString("update")).isNull();
                assertThat(e.string("mismatch"))
                    .startsWith(
                        "not patched with "
                            + LATER_FIX
                            + ": the verifier rejects lib.Later.answer()Ljava/lang/String;");
              });
      host.jvm()
          .awaitStderr("jsplice: lib.Later loaded unpatched: not patched with", LibraryHost.WAIT);

      host.undo(LATER_FIX).succeeded();
      assertThat(host.appliedUpdates()).isEmpty();
      host.apply(library().laterFix()).succeeded();
      assertThat(host.laterInANewLoader(library().jar("later-only"))).isEqualTo("later (fixed)");
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void twoUpdatesReplacingTheSameClassNotLoadedYet_theSecondIsRefused(Jdk jdk) {
    try (LibraryHost host = LibraryHost.on(jdk).running("v1-without-later").start(home)) {
      host.apply(library().laterFix()).succeeded();

      String message = host.apply(library().laterOther()).failedWith(34);

      assertThat(message)
          .isEqualTo(
              "cannot apply "
                  + LATER_OTHER
                  + ": it replaces the code of lib.Later that "
                  + LATER_FIX
                  + " already replaces, and it was not built on "
                  + LATER_FIX
                  + "; one would silently drop the other's fix there. Build "
                  + LATER_OTHER
                  + " from "
                  + LATER_FIX
                  + "'s fixed release (it then requires "
                  + LATER_FIX
                  + "), or undo "
                  + LATER_FIX
                  + " first");
      assertThat(host.appliedUpdates()).containsExactly(LATER_FIX);
      assertThat(host.laterInANewLoader(library().jar("later-only"))).isEqualTo("later (fixed)");

      host.undo(LATER_FIX).succeeded();
      host.apply(library().laterOther()).succeeded();
      assertThat(host.laterInANewLoader(library().jar("later-only"))).isEqualTo("later (other)");
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void twoUpdatesReplacingTheSameLoadedClass_theSecondIsRefused(Jdk jdk) {
    try (LibraryHost host = LibraryHost.on(jdk).start(home)) {
      assertThat(host.later("app")).isEqualTo(LATER_V1);
      host.apply(library().laterFix()).succeeded();

      host.apply(library().laterOther()).failedWith(34);

      assertThat(host.later("app")).isEqualTo("later (fixed)");
      assertThat(host.appliedUpdates()).containsExactly(LATER_FIX);
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void recordedUpdatesThatFailAtStart_areSkippedAndTheJvmStarts(Jdk jdk) throws IOException {
    Path state = home.resolve("state");
    ServiceRecordStore store = ServiceRecordStore.at(state, "library");
    // One the verifier rejects for a class the JVM loads before it says "ready", one whose class
    // bytes are not a class file, then the valid fix of another class.
    UpdatePackage v2 = library().build("greeter-broken", "v1", "v2", List.of());
    recordIn(
        store,
        library()
            .write(
                withInstalled(v2, "lib/Greeter", UpdateIntegrityIT::returningAnIntFromGreet),
                library().key(),
                "greeter-broken.jsplice"),
        "greeter-broken",
        "lib.Greeter");
    recordIn(store, truncatedClassUpdate(), "greeter-truncated", "lib.Greeter");
    recordIn(store, library().laterFix(), LATER_FIX, "lib.Later");

    try (LibraryHost host =
        LibraryHost.on(jdk)
            .jvmArgs(
                "-javaagent:"
                    + System.getProperty(Agents.AGENT_JAR_PROPERTY)
                    + "=service=library,state="
                    + state
                    + ",trust="
                    + library().certificate())
            .start(home)) {
      assertThat(host.greet()).as("%s", host).isEqualTo(V1);
      assertThat(host.later("app")).isEqualTo("later (fixed)");
      host.jvm()
          .awaitStderr(
              "jsplice: lib.Greeter loaded unpatched: not patched with greeter-broken",
              LibraryHost.WAIT);
      host.jvm()
          .awaitStderr(
              "jsplice: did not reapply greeter-truncated recorded for service library: ",
              LibraryHost.WAIT);
    }
  }

  private static void recordIn(ServiceRecordStore store, Path update, String id, String className)
      throws IOException {
    Path staged = store.stage(Files.readAllBytes(update));
    store.commit(staged, id, "test", Instant.now(), List.of(className));
  }

  /** An update whose lib.Greeter class file is cut short, signed with the trusted key. */
  private static Path truncatedClassUpdate() {
    UpdatePackage v2 = library().build("greeter-truncated", "v1", "v2", List.of());
    return library()
        .write(
            withInstalled(v2, "lib/Greeter", bytes -> java.util.Arrays.copyOf(bytes, 40)),
            library().key(),
            "greeter-truncated.jsplice");
  }

  /**
   * {@value TinyLibrary#LATER_FIX} with lib.Later's answer returning an int: the verifier says no.
   */
  private static Path brokenLaterFix() {
    UpdatePackage built = library().build(LATER_FIX, "v1", "later-fixed", List.of());
    return library()
        .write(
            withInstalled(built, "lib/Later", c -> returningAnInt(c, "answer")),
            library().key(),
            "later-fix-broken.jsplice");
  }

  private static UpdatePackage withInstalled(
      UpdatePackage update, String internalName, java.util.function.UnaryOperator<byte[]> change) {
    Map<String, byte[]> files = new TreeMap<>(update.files());
    String path = UpdatePackage.INSTALL + internalName + ".class";
    files.put(path, change.apply(files.get(path)));
    return new UpdatePackage(update.update(), files);
  }

  private static byte[] returningAnIntFromGreet(byte[] classFile) {
    return returningAnInt(classFile, "greet");
  }

  /** {@code classFile} with {@code method}, declared to return an object, returning the int 1. */
  static byte[] returningAnInt(byte[] classFile, String method) {
    ClassNode node = new ClassNode();
    new ClassReader(classFile).accept(node, 0);
    MethodNode m =
        node.methods.stream().filter(n -> n.name.equals(method)).findFirst().orElseThrow();
    m.instructions.clear();
    m.tryCatchBlocks.clear();
    m.localVariables = null;
    m.instructions.add(new InsnNode(Opcodes.ICONST_1));
    m.instructions.add(new InsnNode(Opcodes.ARETURN));
    m.maxStack = 1;
    ClassWriter writer = new ClassWriter(0);
    node.accept(writer);
    return writer.toByteArray();
  }
}
