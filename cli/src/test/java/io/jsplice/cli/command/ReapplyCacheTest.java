package io.jsplice.cli.command;

import static io.jsplice.cli.command.TinyLibrary.LATER_FIX;
import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.client.Agents;
import io.jsplice.client.ClientException;
import io.jsplice.model.json.JsonObject;
import io.jsplice.model.record.ServiceRecordStore;
import io.jsplice.testkit.Jdk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reapplication cache in real JVMs (JDK 17 and 25): a start after one that reapplied a recorded
 * update installs, as its class loads, the bytes the engine installed then, without starting the
 * engine; anything the cache does not hold exactly (a corrupt cache, other trust files, an altered
 * recorded file, the class from another place) is left to the engine, which decides as without a
 * cache. The update, {@value TinyLibrary#LATER_FIX}, replaces the body of {@code
 * lib.Later.answer()}, a class the host loads only when asked.
 */
class ReapplyCacheTest {
  private static final String SERVICE = "library";
  private static final String FIXED = "later (fixed)";

  @TempDir Path home;

  static List<Jdk> jdks() {
    return Jdk.underTest();
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void secondRestart_servedFromTheCache_theEngineStartsAtTheFirstRequest(Jdk jdk) throws Exception {
    applyAndRestartOnce(jdk);

    try (LibraryHost host = start(jdk)) {
      assertThat(host.later("app")).isEqualTo(FIXED);
      assertThat(servedFromCache(host)).as(host.toString()).isTrue();
      assertThat(engineState(host))
          .contains("served from the reapplication cache")
          .contains("(1 class loads served)");

      // A client's request starts the engine, which takes the served class as patched.
      JsonObject show = JsonObject.parse(CliRun.jsplice("show", host.pid(), "--json").out());
      assertThat(engineState(host)).isEqualTo("started");
      assertThat(show.object("service").objects("reappliedAtStart"))
          .singleElement()
          .satisfies(o -> assertThat(o.bool("reapplied", false)).isTrue());
      assertThat(show.objects("loadedAfterApply"))
          .anySatisfy(
              e -> {
                assertThat(e.string("class")).isEqualTo("lib.Later");
                assertThat(e.optString("update")).isEqualTo(LATER_FIX);
              });
      assertThat(host.later("app")).isEqualTo(FIXED);
      assertThat(CliRun.jsplice("verify", host.pid()).exitCode()).isZero();
      host.undo(LATER_FIX).succeeded();
      assertThat(host.later("app")).isEqualTo("later (v1)");
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void aStartServedFromTheCache_takesNoDigest(Jdk jdk) throws Exception {
    applyAndRestartOnce(jdk);
    assertServedFromCache(jdk);

    // The handed bytes compared with those kept, every file believed by its fingerprint: the JVM
    // never loads a message digest (which runs interpreted this early).
    Path classLoads = home.resolve("class-loads.txt");
    try (LibraryHost host = start(jdk, "-Xlog:class+load=info:file=" + classLoads)) {
      assertThat(host.later("app")).isEqualTo(FIXED);
      assertThat(servedFromCache(host)).as(agentLog(host)).isTrue();
    }
    assertThat(Files.readString(classLoads))
        .contains("lib.Later ")
        .doesNotContain("java.security.MessageDigest ");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void aStateDirectoryCopiedBack_isHashedAgainOnce_theNextStartTakesNoDigest(Jdk jdk)
      throws Exception {
    applyAndRestartOnce(jdk);
    assertServedFromCache(jdk);
    // Restored from a copy (cp -a): same content, modes and times, other inodes and change times.
    Path state = home.resolve("state");
    Path saved = Files.move(state, home.resolve("state-saved"));
    try (Stream<Path> files = Files.walk(saved)) {
      for (Path file : files.toList()) {
        Files.copy(
            file,
            state.resolve(saved.relativize(file).toString()),
            java.nio.file.StandardCopyOption.COPY_ATTRIBUTES,
            java.nio.file.LinkOption.NOFOLLOW_LINKS);
      }
    }

    // The first start hashes what it cannot believe by fingerprint any more, and notes it.
    Path first = home.resolve("class-loads-first.txt");
    try (LibraryHost host = start(jdk, "-Xlog:class+load=info:file=" + first)) {
      assertThat(host.later("app")).isEqualTo(FIXED);
      assertThat(servedFromCache(host)).as(agentLog(host)).isTrue();
    }
    assertThat(Files.readString(first)).contains("java.security.MessageDigest ");
    Path next = home.resolve("class-loads-next.txt");
    try (LibraryHost host = start(jdk, "-Xlog:class+load=info:file=" + next)) {
      assertThat(host.later("app")).isEqualTo(FIXED);
      assertThat(servedFromCache(host)).as(agentLog(host)).isTrue();
    }
    assertThat(Files.readString(next))
        .contains("lib.Later ")
        .doesNotContain("java.security.MessageDigest ");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void aStartServedFromTheCache_readsTheRecordWithoutTheJsonCodecOrJavaTime(Jdk jdk)
      throws Exception {
    applyAndRestartOnce(jdk);
    assertServedFromCache(jdk);

    // premain reads the record directly: the codec's reflection and java.time's parser (for each
    // update's appliedAt) wait for the engine, which a start the cache serves never needs; and a
    // record of the bytes an earlier start read is not parsed at all (its entries remembered, the
    // direct reading's check of each appliedAt never runs).
    Path classLoads = home.resolve("class-loads.txt");
    try (LibraryHost host = start(jdk, "-Xlog:class+load=info:file=" + classLoads)) {
      assertThat(host.later("app")).isEqualTo(FIXED);
      assertThat(servedFromCache(host)).as(agentLog(host)).isTrue();
    }
    assertThat(Files.readString(classLoads))
        .contains("lib.Later ")
        .contains("io.jsplice.agent.restart.CachedReapplication ")
        .doesNotContain("io.jsplice.model.json.RecordCodec ")
        .doesNotContain("java.time.format.DateTimeFormatter ")
        .contains("io.jsplice.agent.restart.RememberedRecord ")
        .doesNotContain("io.jsplice.model.json.IsoInstant ");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void aStartServedFromTheCache_makesNothingOnlyTheEngineOrARequestNeeds(Jdk jdk) throws Exception {
    applyAndRestartOnce(jdk);
    assertServedFromCache(jdk);

    // What premain makes only for later (the cache's writer, which the engine fills; the record's
    // writer, which an apply or undo uses) and a lambda spun to ask for a package version the
    // runtime's loader never gives: none of it, while the cache serves and a client asks for the
    // status.
    Path classLoads = home.resolve("class-loads.txt");
    try (LibraryHost host = start(jdk, "-Xlog:class+load=info:file=" + classLoads)) {
      assertThat(host.later("app")).isEqualTo(FIXED);
      assertThat(servedFromCache(host)).as(agentLog(host)).isTrue();
    }
    assertThat(Files.readString(classLoads))
        .contains("lib.Later ")
        .contains("io.jsplice.agent.restart.CachedReapplication ")
        .doesNotContain("io.jsplice.agent.restart.ReapplyCache$Writer ")
        .doesNotContain("io.jsplice.agent.restart.ServiceRecords ")
        .doesNotContain("java.lang.ClassLoader$$Lambda");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void aLoadTheCacheDoesNotHold_startsTheEngine_whichPatchesIt(Jdk jdk) throws Exception {
    applyAndRestartOnce(jdk);

    try (LibraryHost host = start(jdk)) {
      assertThat(host.later("app")).isEqualTo(FIXED);
      assertThat(servedFromCache(host)).isTrue();
      // From another jar, in a new loader: not what the earlier start checked.
      assertThat(host.laterInANewLoader(TinyLibrary.get().jar("v1"))).isEqualTo(FIXED);
      assertThat(agentLog(host))
          .contains("the engine starts (lib.Later loads with code the cache does not hold)");
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void corruptCache_otherTrustFiles_alteredRecordedFile_theEngineDecides(Jdk jdk) throws Exception {
    applyAndRestartOnce(jdk);
    assertServedFromCache(jdk);

    // A corrupt cache: ignored; the engine reapplies, and writes it again.
    try (Stream<Path> files = Files.list(cacheDirectory())) {
      for (Path file :
          files.filter(f -> f.getFileName().toString().startsWith("bytes-")).toList()) {
        byte[] bytes = Files.readAllBytes(file);
        bytes[10] ^= 1;
        Files.write(file, bytes);
      }
    }
    assertReappliedByTheEngine(jdk);
    assertServedFromCache(jdk);
    Files.writeString(cacheDirectory().resolve("index"), "not an index");
    assertReappliedByTheEngine(jdk);
    assertServedFromCache(jdk);

    // Other trust files (the same key, other bytes): the engine verifies again and reapplies.
    Files.writeString(trust(), Files.readString(trust()) + "\n");
    assertReappliedByTheEngine(jdk);
    assertServedFromCache(jdk);

    // The recorded file altered: the engine refuses it, and the cache does not serve it either.
    ServiceRecordStore store = ServiceRecordStore.at(home.resolve("state"), SERVICE);
    Path recorded = store.fileOf(store.read().find(LATER_FIX).orElseThrow());
    byte[] original = Files.readAllBytes(recorded);
    Files.write(recorded, new byte[] {0}, java.nio.file.StandardOpenOption.APPEND);
    try (LibraryHost host = start(jdk)) {
      assertThat(host.later("app")).isEqualTo("later (v1)");
      assertThat(servedFromCache(host)).isFalse();
    }
    Files.write(recorded, original);
    assertServedFromCache(jdk);
  }

  /** Applies the update, then restarts once: the engine reapplies it and fills the cache. */
  private void applyAndRestartOnce(Jdk jdk) throws IOException {
    Files.copy(TinyLibrary.get().certificate(), trust());
    try (LibraryHost host = start(jdk)) {
      host.apply(TinyLibrary.get().laterFix()).succeeded();
      assertThat(host.later("app")).isEqualTo(FIXED);
    }
    assertReappliedByTheEngine(jdk);
  }

  private void assertReappliedByTheEngine(Jdk jdk) throws IOException {
    try (LibraryHost host = start(jdk)) {
      assertThat(host.later("app")).isEqualTo(FIXED);
      assertThat(servedFromCache(host)).as(host.toString()).isFalse();
      assertThat(agentLog(host)).contains("patched lib.Later (application class loader");
    }
  }

  private void assertServedFromCache(Jdk jdk) throws IOException {
    try (LibraryHost host = start(jdk)) {
      assertThat(host.later("app")).isEqualTo(FIXED);
      assertThat(servedFromCache(host)).as(agentLog(host)).isTrue();
    }
  }

  private LibraryHost start(Jdk jdk, String... jvmArgs) {
    return LibraryHost.on(jdk)
        .jvmArgs(jvmArgs)
        .jvmArgs(
            "-javaagent:"
                + System.getProperty(Agents.AGENT_JAR_PROPERTY)
                + "=service="
                + SERVICE
                + ",state="
                + home.resolve("state")
                + ",trust="
                + trust())
        .start(home);
  }

  private Path trust() {
    return home.resolve("trust.pem");
  }

  private Path cacheDirectory() {
    return home.resolve("state").resolve(SERVICE).resolve("reapply-cache");
  }

  /** The lines of the agent's log written by {@code host}'s JVM. */
  private String agentLog(LibraryHost host) throws IOException {
    String jvm = "pid " + host.pid() + " ";
    StringBuilder out = new StringBuilder();
    try (Stream<Path> files = Files.walk(home)) {
      for (Path log : files.filter(f -> f.toString().endsWith(".log")).toList()) {
        Files.readAllLines(log).stream()
            .filter(line -> line.contains(jvm))
            .forEach(line -> out.append(line).append('\n'));
      }
    }
    return out.toString();
  }

  /** Whether {@code host}'s agent installed lib.Later from the reapplication cache. */
  private boolean servedFromCache(LibraryHost host) throws IOException {
    return agentLog(host)
        .lines()
        .anyMatch(
            line ->
                line.contains("patched lib.Later (")
                    && line.contains("from the reapplication cache"));
  }

  /** What the agent's status says of its engine. */
  private static String engineState(LibraryHost host) throws ClientException {
    return AgentConnection.agents()
        .find(host.pid())
        .orElseThrow()
        .status()
        .components()
        .get("engine");
  }
}
