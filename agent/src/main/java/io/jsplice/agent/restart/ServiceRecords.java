package io.jsplice.agent.restart;

import io.jsplice.agent.log.AgentLog;
import io.jsplice.agent.runtime.AgentOptions;
import io.jsplice.model.record.RecordedUpdate;
import io.jsplice.model.record.ServiceRecordStore;
import io.jsplice.protocol.message.RecordChange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * The agent's side of its service's record ({@link ServiceRecordStore}): stages the bytes of each
 * update file before the agent verifies and applies them, records it once applied, and removes it
 * when undone. Without a service name nothing is recorded, and a restart loses what was applied.
 *
 * <p>The record is never a reason to fail: an apply or undo that took effect in the JVM stays in
 * effect, and a record that could not be written comes back as a warning in the reply and the log
 * (the update is then not reapplied after a restart, which {@code verify} also reports).
 *
 * <p>Used on the control thread; the store serializes changes across threads and JVMs.
 */
public final class ServiceRecords {
  private final Supplier<AgentOptions> options;
  private final AgentLog log;

  /**
   * @param options the options in force; read at each use, since a later load of the agent may name
   *     another service
   */
  public ServiceRecords(Supplier<AgentOptions> options, AgentLog log) {
    this.options = options;
    this.log = log;
  }

  /** The store of the service in force; null without a service name. */
  public ServiceRecordStore store() {
    AgentOptions current = options.get();
    return current.service() == null
        ? null
        : ServiceRecordStore.at(current.stateDir(), current.service());
  }

  /**
   * Writes the update file's {@code bytes} where the agent verifies and applies them: into the
   * service's directory if there is a service, so that the bytes verified and applied are the bytes
   * recorded; else into a private temporary file of this JVM's user. The agent never reads a file
   * its caller named. Close the result when done.
   *
   * @throws IOException if not even a temporary file can be written
   */
  public Staged stage(byte[] bytes) throws IOException {
    ServiceRecordStore store = store();
    if (store != null) {
      try {
        return new Staged(store, store.stage(bytes), null);
      } catch (IOException | RuntimeException e) {
        String warning =
            "not recorded for service "
                + store.service()
                + ": cannot write to "
                + store.directory()
                + " ("
                + e.getMessage()
                + "); a restart will not reapply it";
        return new Staged(null, temporary(bytes), warning);
      }
    }
    return new Staged(null, temporary(bytes), null);
  }

  /** A new file only this user can read, with a name nobody could have planted. */
  private static Path temporary(byte[] bytes) throws IOException {
    Path file =
        Files.createTempFile(
            "jsplice-apply-",
            ".jsplice",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.write(file, bytes);
      return file;
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(file);
      throw e;
    }
  }

  /**
   * Removes update {@code id} from the record.
   *
   * @return the reply's {@code record} field
   */
  public RecordChange undone(String id) {
    ServiceRecordStore store = store();
    if (store == null) {
      return reply(null, false, null);
    }
    try {
      boolean removed = store.remove(id);
      if (removed) {
        log.info("removed " + id + " from the record of service " + store.service());
      }
      return reply(store, removed, null);
    } catch (IOException | RuntimeException e) {
      String warning =
          "could not remove "
              + id
              + " from the record of service "
              + store.service()
              + " ("
              + e.getMessage()
              + "); a restart would apply it again: fix "
              + store.directory()
              + " and undo again";
      log.warn(warning);
      return reply(store, false, warning);
    }
  }

  private static RecordChange reply(ServiceRecordStore store, boolean changed, String warning) {
    return new RecordChange(
        store == null ? null : store.service(),
        store == null ? null : store.recordFile().toString(),
        changed,
        store == null
            ? "this JVM's agent has no service name, so nothing is recorded and a restart loses"
                + " the updates applied in it"
            : warning);
  }

  /** An update file about to be verified and applied; recorded by {@link #commit}. */
  public final class Staged implements AutoCloseable {
    private final ServiceRecordStore store; // null: nothing to record
    private final Path file;
    private final String warning;
    private boolean committed;

    private Staged(ServiceRecordStore store, Path file, String warning) {
      this.store = store;
      this.file = file;
      this.warning = warning;
    }

    /** The file to verify and apply: the staged copy. */
    public Path file() {
      return file;
    }

    /**
     * Records that update {@code id} was applied from {@link #file}.
     *
     * @param classes the binary names of the classes it modifies
     * @return the reply's {@code record} field: where it was recorded, or a warning
     */
    public RecordChange commit(String id, String appliedBy, List<String> classes) {
      return commit(id, appliedBy, classes, false);
    }

    /**
     * As {@link #commit(String, String, List)}, recording whether the operator accepted that the
     * fix was only partly in force.
     */
    public RecordChange commit(
        String id, String appliedBy, List<String> classes, boolean acceptedPartial) {
      if (store == null) {
        if (warning != null) {
          log.warn(id + " applied but " + warning);
        }
        return reply(warning == null ? null : store(), false, warning);
      }
      try {
        RecordedUpdate entry =
            store.commit(file, id, appliedBy, Instant.now(), classes, acceptedPartial);
        committed = true;
        log.info(
            "recorded "
                + id
                + " for service "
                + store.service()
                + " in "
                + store.recordFile()
                + " ("
                + entry.file()
                + ")");
        return reply(store, true, null);
      } catch (IOException | RuntimeException e) {
        String failure =
            "not recorded for service "
                + store.service()
                + " ("
                + e.getMessage()
                + "); a restart will not reapply it";
        log.warn(id + " applied but " + failure);
        return reply(store, false, failure);
      }
    }

    /** Deletes the staged copy unless it was recorded. */
    @Override
    public void close() {
      if (store != null && !committed) {
        store.discard(file);
      } else if (store == null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          log.warn("could not delete the temporary update file " + file + ": " + e.getMessage());
        }
      }
    }
  }
}
