package io.jsplice.cli.command;

import static io.jsplice.cli.command.TinyLibrary.FIX;
import static io.jsplice.cli.command.TinyLibrary.GUARD;
import static io.jsplice.cli.command.TinyLibrary.LATER_FIX;
import static io.jsplice.cli.command.TinyLibrary.TALLY_FIELD;
import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.client.Agents;
import io.jsplice.model.json.JsonObject;
import io.jsplice.model.record.RecordedUpdate;
import io.jsplice.model.record.ServiceRecord;
import io.jsplice.model.record.ServiceRecordStore;
import io.jsplice.testkit.Jdk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM started with the agent for a service, and its record on disk, stay in agreement through
 * what operations and machines do to them: applies and undos from several processes at once, the
 * JVM killed with SIGKILL at random points of an apply (seeded), and records damaged on disk. After
 * each, the JVM runs exactly the updates its record names, each recorded file is intact, and a JVM
 * of the service still starts.
 */
class RecordConsistencyIT {
  private static final String SERVICE = "library";
  private static final long SEED = 20261202L;
  private static final Map<String, Path> UPDATES = new LinkedHashMap<>();

  @TempDir Path home;

  private static TinyLibrary library() {
    return TinyLibrary.get();
  }

  private static synchronized Map<String, Path> updates() {
    if (UPDATES.isEmpty()) {
      UPDATES.put(FIX, library().fix());
      UPDATES.put(GUARD, library().guard()); // replaces Greeter too: refused while FIX is applied
      UPDATES.put(LATER_FIX, library().laterFix());
      UPDATES.put(TALLY_FIELD, library().tallyField());
    }
    return UPDATES;
  }

  @Test
  void appliesAndUndosFromSeveralProcessesAtOnce_theJvmRunsWhatItsRecordSays() throws Exception {
    Random random = new Random(SEED);
    List<String> ids = new ArrayList<>(updates().keySet());
    try (LibraryHost host = start()) {
      ExecutorService callers = Executors.newFixedThreadPool(3);
      try {
        List<CompletableFuture<List<String>>> runs = new ArrayList<>();
        for (int caller = 0; caller < 3; caller++) {
          long seed = random.nextLong();
          runs.add(
              CompletableFuture.supplyAsync(
                  () -> operations(host, new Random(seed), ids, 12), callers));
        }
        for (CompletableFuture<List<String>> run : runs) {
          assertThat(run.get()).as("operations that ended otherwise than documented").isEmpty();
        }
      } finally {
        callers.shutdownNow();
      }
      assertAgree(host);
    }
  }

  @Test
  void jvmKilledAtRandomPointsOfAnApply_restartsRunningWhatItsRecordSays() throws Exception {
    Random random = new Random(SEED + 1);
    List<String> ids = new ArrayList<>(updates().keySet());
    for (int round = 0; round < 8; round++) {
      String id = ids.get(random.nextInt(ids.size()));
      KillPoint point = KillPoint.values()[random.nextInt(KillPoint.values().length)];
      try (LibraryHost host = start()) {
        assertAgree(host);
        CompletableFuture<CliRun> apply =
            CompletableFuture.supplyAsync(() -> host.apply(updates().get(id)));
        // Kill at the seeded point of the apply, or once it is over if it passed that point
        // unseen: wherever the kill falls, what follows must hold.
        while (!point.reached(this, id) && !apply.isDone()) {
          java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // polls what is on disk
        }
        host.jvm().kill();
        CliRun run = apply.get();
        assertThat(run.exitCode()).as("%s killed %s", point, run).isIn(0, 20, 21, 34, 37);
      }
      try (LibraryHost restarted = start()) {
        assertAgree(restarted);
      }
    }
    try (LibraryHost host = start()) {
      host.apply(library().laterFix()); // stages and commits or refuses: either way it cleans
      assertThat(staged()).as("staged files left by the kills").isEmpty();
    }
  }

  /** Where in an apply the JVM is killed, told by what is on disk. */
  private enum KillPoint {
    /** As the apply starts. */
    AT_ONCE {
      @Override
      boolean reached(RecordConsistencyIT test, String id) {
        return true;
      }
    },
    /** Once the update is staged in the service's directory (verified or being verified). */
    STAGED {
      @Override
      boolean reached(RecordConsistencyIT test, String id) throws IOException {
        return !test.stagedData().isEmpty();
      }
    },
    /** Once the record names the update (the reply may not be sent yet). */
    RECORDED {
      @Override
      boolean reached(RecordConsistencyIT test, String id) throws IOException {
        return test.store().read().find(id).isPresent();
      }
    },
    /** After the apply returned. */
    AFTER {
      @Override
      boolean reached(RecordConsistencyIT test, String id) {
        return false;
      }
    };

    abstract boolean reached(RecordConsistencyIT test, String id) throws IOException;
  }

  @Test
  void damagedRecords_theJvmStartsAndWhatIsIntactIsReapplied() throws Exception {
    ServiceRecordStore store = store();
    record(store, FIX);
    record(store, LATER_FIX);
    String json = Files.readString(store.recordFile());

    // Listed twice: kept once, with the rest.
    String laterEntry = entry(json, LATER_FIX);
    Files.writeString(
        store.recordFile(), json.replace("\"updates\": [", "\"updates\": [" + laterEntry + ","));
    try (LibraryHost host = start()) {
      assertThat(reapplied(host))
          .as("%s\n%s", host, afterReapplication(host).object("service").asMap())
          .containsExactlyInAnyOrder(FIX, LATER_FIX);
      assertAgree(host);
    }

    // A recorded file gone: the others still reapplied, the missing one said.
    Path later = store.fileOf(store.read().find(LATER_FIX).orElseThrow());
    Files.delete(later);
    try (LibraryHost host = start()) {
      assertThat(reapplied(host))
          .as("%s\n%s", host, afterReapplication(host).object("service").asMap())
          .containsExactly(FIX);
      host.jvm()
          .awaitStderr(
              "jsplice: did not reapply " + LATER_FIX + " recorded for service " + SERVICE,
              LibraryHost.WAIT);
    }

    // Garbage and a cut record: the JVM starts, nothing is reapplied, every reader names the file.
    for (byte[] damaged :
        List.of(
            new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, 0x13},
            Arrays.copyOf(json.getBytes(StandardCharsets.UTF_8), json.length() / 2))) {
      Files.write(store.recordFile(), damaged);
      try (LibraryHost host = start()) {
        assertThat(host.greet()).isEqualTo("hello x (v1)");
        CliRun show = CliRun.jsplice("show", "--service", SERVICE, "--state", state().toString());
        assertThat(show.failedWith(13))
            .startsWith("cannot read the record: " + store.recordFile() + " is not");
        JsonObject service =
            JsonObject.parse(CliRun.jsplice("show", host.pid(), "--json").out()).object("service");
        assertThat(service.string("problem")).contains(store.recordFile().toString());
      }
    }
  }

  /** Runs {@code count} random applies and undos; returns what ended otherwise than documented. */
  private static List<String> operations(
      LibraryHost host, Random random, List<String> ids, int count) {
    List<String> unexpected = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String id = ids.get(random.nextInt(ids.size()));
      CliRun run = random.nextBoolean() ? host.apply(updates().get(id)) : host.undo(id);
      // 34: a rival or a dependent update; 37: applied already, or not applied.
      if (run.exitCode() != 0 && run.exitCode() != 34 && run.exitCode() != 37) {
        unexpected.add(run.toString());
      }
    }
    return unexpected;
  }

  /** The JVM runs exactly the updates its record names, their files intact, its code theirs. */
  private void assertAgree(LibraryHost host) throws IOException {
    JsonObject show = afterReapplication(host);
    ServiceRecord record = store().read();
    Set<String> recorded = new TreeSet<>();
    for (RecordedUpdate entry : record.updates()) {
      recorded.add(entry.id());
      assertThat(ServiceRecordStore.sha256(Files.readAllBytes(store().fileOf(entry))))
          .as("the file of %s", entry.id())
          .isEqualTo(entry.sha256());
    }
    assertThat(new TreeSet<>(host.appliedUpdates()))
        .as("%s\n%s", host, show.object("service").asMap())
        .isEqualTo(recorded);
    String greets = host.greet();
    if (recorded.contains(FIX)) {
      assertThat(greets).isEqualTo("hello x (v2)");
    } else if (recorded.contains(GUARD)) {
      assertThat(greets).isEqualTo("hello x (guarded)");
    } else {
      assertThat(greets).isEqualTo("hello x (v1)");
    }
  }

  private List<String> reapplied(LibraryHost host) {
    JsonObject show = afterReapplication(host);
    return show.object("service").objects("reappliedAtStart").stream()
        .filter(o -> o.bool("reapplied", false))
        .map(o -> o.string("id"))
        .toList();
  }

  /**
   * What {@code show} says once the agent has reapplied the record (it does beside the
   * application's start, on a thread of its own).
   */
  private static JsonObject afterReapplication(LibraryHost host) {
    while (true) {
      CliRun show = CliRun.jsplice("show", host.pid(), "--json").succeeded();
      JsonObject json = JsonObject.parse(show.out());
      if (!json.object("service").bool("reapplying", false)) {
        return json;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
    }
  }

  private LibraryHost start() {
    return LibraryHost.on(Jdk.current())
        .jvmArgs(
            "-javaagent:"
                + System.getProperty(Agents.AGENT_JAR_PROPERTY)
                + "=service="
                + SERVICE
                + ",state="
                + state()
                + ",trust="
                + library().certificate())
        .start(home);
  }

  private Path state() {
    return home.resolve("state");
  }

  private ServiceRecordStore store() {
    return ServiceRecordStore.at(state(), SERVICE);
  }

  private List<String> staged() throws IOException {
    Path updates = store().directory().resolve("updates");
    if (!Files.isDirectory(updates)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(updates)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(".staged-"))
          .toList();
    }
  }

  private List<String> stagedData() throws IOException {
    return staged().stream().filter(n -> n.endsWith(".jsplice")).toList();
  }

  private static void record(ServiceRecordStore store, String id) throws IOException {
    store.commit(
        store.stage(Files.readAllBytes(updates().get(id))),
        id,
        "test",
        java.time.Instant.now(),
        List.of());
  }

  /** The JSON object of {@code id}'s entry in the record's text. */
  private static String entry(String json, String id) {
    int at = json.lastIndexOf("{", json.indexOf("\"id\": \"" + id + "\""));
    return json.substring(at, json.indexOf("}", at) + 1);
  }
}
