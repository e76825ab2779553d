package io.jsplice.agent.restart;

import io.jsplice.agent.log.AgentLog;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.record.RecordedUpdate;
import io.jsplice.model.record.ServiceRecord;
import io.jsplice.model.record.ServiceRecordStore;
import io.jsplice.model.signing.TrustedKeys;
import io.jsplice.model.signing.UpdateFile;
import io.jsplice.model.signing.UpdateRejectedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies again, when a JVM starts with the agent ({@code -javaagent} with {@code service=} and
 * {@code trust=}), every update recorded for its service, in the order they were applied. It runs
 * in {@code premain}, before the application's {@code main}: each entry's file is checked against
 * the SHA-256 in the record, then verified with the keys the agent trusts now, then handed to the
 * engine, which patches each class as it loads (no redefinition). An entry that fails any check is
 * skipped and reported in the log and by {@code show}, never applied.
 */
public final class Reapplication {
  private Reapplication() {}

  /** The engine's part: applies a verified update before its classes load. */
  @FunctionalInterface
  public interface Registrar {
    /**
     * @throws RefusedException if the engine refuses it (its message says why, in one line)
     */
    void reapply(UpdatePackage update, RecordedUpdate entry) throws RefusedException;
  }

  /** The engine refused to apply a recorded update; the message is one line. */
  public static final class RefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    public RefusedException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A recorded update's file cannot be used: missing, altered, untrusted or not an update. */
  static final class UnusableEntryException extends Exception {
    private static final long serialVersionUID = 1L;

    UnusableEntryException(String message) {
      super(message);
    }
  }

  /**
   * What became of one recorded update at start-up.
   *
   * @param entry the record's entry
   * @param reapplied whether the engine took it
   * @param problem why not; null if it did
   */
  public record Outcome(RecordedUpdate entry, boolean reapplied, String problem) {}

  /**
   * Reapplies what {@code store} records. Never throws: every problem is an outcome and a log line.
   *
   * @return one outcome per recorded update, in record order; empty if the record is unreadable
   *     (logged)
   */
  public static List<Outcome> run(
      ServiceRecordStore store, List<Path> trust, Registrar registrar, AgentLog log) {
    long start = System.nanoTime();
    ServiceRecord record;
    try {
      record = store.read();
    } catch (IOException e) {
      log.error(
          "cannot read the record of service "
              + store.service()
              + ", so no update is reapplied: "
              + e.getMessage(),
          null);
      return List.of();
    }
    if (record.updates().isEmpty()) {
      return List.of();
    }
    TrustedKeys trusted = null;
    String trustProblem = null;
    try {
      trusted = trustedKeys(trust);
    } catch (UnusableEntryException e) {
      trustProblem = e.getMessage();
    }
    List<Outcome> outcomes = new ArrayList<>();
    for (RecordedUpdate entry : record.updates()) {
      Outcome outcome;
      try {
        if (trusted == null) {
          throw new UnusableEntryException(trustProblem);
        }
        registrar.reapply(verified(store, entry, trusted), entry);
        outcome = new Outcome(entry, true, null);
      } catch (UnusableEntryException | RefusedException e) {
        outcome = new Outcome(entry, false, e.getMessage());
        log.warn(
            "did not reapply "
                + entry.id()
                + " recorded for "
                + store.service()
                + ": "
                + e.getMessage());
      }
      outcomes.add(outcome);
    }
    long reapplied = outcomes.stream().filter(Outcome::reapplied).count();
    log.info(
        "reapplied "
            + reapplied
            + " of "
            + outcomes.size()
            + " updates recorded for service "
            + store.service()
            + " in "
            + (System.nanoTime() - start) / 1_000_000
            + " ms; their classes are patched as they load");
    return List.copyOf(outcomes);
  }

  /** The keys the agent trusts, or why it trusts none. */
  static TrustedKeys trustedKeys(List<Path> trust) throws UnusableEntryException {
    if (trust.isEmpty()) {
      throw new UnusableEntryException(
          "the agent trusts no key; start it with trust=/path/to/certificate.pem");
    }
    try {
      return TrustedKeys.load(trust);
    } catch (IOException e) {
      throw new UnusableEntryException("cannot read the trusted keys: " + e.getMessage());
    }
  }

  /**
   * The recorded update, if its file is the one recorded (same SHA-256), signed by a trusted key,
   * and an update of the recorded id.
   */
  static UpdatePackage verified(ServiceRecordStore store, RecordedUpdate entry, TrustedKeys trusted)
      throws UnusableEntryException {
    Path file = store.fileOf(entry);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new UnusableEntryException("its file " + file + " is missing");
    } catch (IOException e) {
      throw new UnusableEntryException("cannot read its file " + file + ": " + e.getMessage());
    }
    if (!ServiceRecordStore.sha256(bytes).equals(entry.sha256())) {
      throw new UnusableEntryException(
          "its file " + file + " is not the one recorded (SHA-256 differs): altered or replaced");
    }
    UpdatePackage update;
    try {
      update = UpdateFile.read(file, trusted);
    } catch (UpdateRejectedException e) {
      throw new UnusableEntryException(e.getMessage());
    }
    if (!update.update().id().equals(entry.id())) {
      throw new UnusableEntryException(
          "its file " + file + " holds update " + update.update().id() + ", not " + entry.id());
    }
    return update;
  }
}
