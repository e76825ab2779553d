package io.jsplice.cli.command;

import io.jsplice.cli.Output;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.control.FailureException;
import io.jsplice.model.record.RecordedUpdate;
import io.jsplice.model.record.ServiceRecord;
import io.jsplice.model.record.ServiceRecordStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code jsplice show --service NAME}: a service's record read from disk, with no JVM running
 * (after a crash, before a start). Each recorded file is checked against its SHA-256; signatures
 * are checked by the agent when it reapplies, and by {@code jsplice verify}.
 */
final class RecordOnDisk {
  private RecordOnDisk() {}

  /** The agent's default state directory, for a JVM of the same user. */
  static Path defaultStateDir() {
    return Path.of(System.getProperty("user.home"), ".jsplice", "state");
  }

  static int show(String service, Path stateDir, boolean json, PrintWriter out)
      throws FailureException {
    ServiceRecordStore store;
    ServiceRecord record;
    try {
      store = ServiceRecordStore.at(stateDir == null ? defaultStateDir() : stateDir, service);
      record = store.read();
    } catch (IllegalArgumentException e) {
      throw new FailureException(FailureCause.BAD_REQUEST, e.getMessage(), e);
    } catch (IOException e) {
      throw new FailureException(
          FailureCause.CORRUPT_UPDATE, "cannot read the record: " + e.getMessage(), e);
    }
    List<Recorded> entries = new ArrayList<>();
    for (RecordedUpdate entry : record.updates()) {
      entries.add(
          new Recorded(
              entry.id(),
              entry.appliedAt().toString(),
              entry.appliedBy(),
              store.fileOf(entry).toString(),
              entry.sha256(),
              intact(store, entry),
              entry.acceptedPartial()));
    }
    if (json) {
      Output.ok(out, new RecordJson(service, store.recordFile().toString(), entries));
      return 0;
    }
    out.println(
        "service "
            + service
            + ": "
            + record.updates().size()
            + " update(s) recorded in "
            + store.recordFile()
            + (Files.exists(store.recordFile()) ? "" : " (no record yet)"));
    for (Recorded entry : entries) {
      out.println(
          "  "
              + entry.id()
              + "  applied "
              + entry.appliedAt()
              + " by "
              + entry.appliedBy()
              + (entry.acceptedPartial() ? "  (accepted as partly in force)" : "")
              + (entry.fileIntact()
                  ? ""
                  : "  ! its file " + entry.file() + " is missing or altered: not reapplied"));
    }
    out.flush();
    return 0;
  }

  /**
   * One recorded update as {@code --json} prints it; {@code fileIntact}: its file's hash matches.
   */
  record Recorded(
      String id,
      String appliedAt,
      String appliedBy,
      String file,
      String sha256,
      boolean fileIntact,
      boolean acceptedPartial) {}

  private static boolean intact(ServiceRecordStore store, RecordedUpdate entry) {
    try {
      return ServiceRecordStore.sha256(Files.readAllBytes(store.fileOf(entry)))
          .equals(entry.sha256());
    } catch (IOException e) {
      return false;
    }
  }

  /** What {@code show --service --json} prints after {@code "ok": true}. */
  private record RecordJson(String service, String recordFile, List<Recorded> recorded) {}
}
