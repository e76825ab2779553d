package io.jsplice.agent.restart;

import io.jsplice.agent.log.AgentLog;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.record.RecordedUpdate;
import io.jsplice.model.record.ServiceRecord;
import io.jsplice.model.record.ServiceRecordStore;
import io.jsplice.model.signing.TrustedKeys;
import io.jsplice.model.signing.UpdateFile;
import io.jsplice.model.signing.UpdateLimits;
import io.jsplice.model.signing.UpdateRejectedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Applies again, when a JVM starts with the agent ({@code -javaagent} with {@code service=} and
 * {@code trust=}), every update recorded for its service, in the order they were applied: each
 * entry's file is checked against the SHA-256 in the record, then verified with the keys the agent
 * trusts, then handed to the engine, which patches each class as it loads (no redefinition). An
 * entry that fails any check is skipped and reported in the log and by {@code show}, never applied.
 *
 * <p>It runs on threads of their own beside the application's start, the files' checks before the
 * engine has started: verifying signatures in a JVM that has just started costs tenths of a second
 * (the JDK's crypto and jar-verification code loads and runs interpreted). Meanwhile a {@link
 * ReapplyGate}, installed in {@code premain}, holds back each class a recorded update modifies
 * until that update is registered or refused.
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
   * Starts checking the files of what {@code record} holds ({@link #verified}), on up to one thread
   * per processor: a signature check in a JVM that has just started runs interpreted, and the
   * updates are independent until they are registered, which happens in record order. They are
   * checked in record order, so the first to be registered is checked first.
   *
   * @return one check per recorded update, in record order, for {@link #run}
   */
  static List<Future<UpdatePackage>> verifyInParallel(
      ServiceRecordStore store, ServiceRecord record, List<Path> trust) {
    Keys keys = new Keys(trust, Verdicts.of(store, trust));
    int threads =
        Math.max(1, Math.min(record.updates().size(), Runtime.getRuntime().availableProcessors()));
    AtomicInteger count = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            task -> {
              Thread thread = new Thread(task, "jsplice-verify-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    try {
      List<Future<UpdatePackage>> checks = new ArrayList<>();
      for (RecordedUpdate entry : record.updates()) {
        checks.add(pool.submit(() -> verified(store, entry, keys)));
      }
      return checks;
    } finally {
      pool.shutdown(); // the submitted checks run to their end
    }
  }

  /**
   * Reapplies what {@code record} holds, in order, as {@code checks} ({@link #verifyInParallel})
   * find each usable, releasing each update's classes from {@code gate} as soon as it is registered
   * or refused, and its outcome to {@code sink} just before. Never throws for a problem of an
   * update: every one is an outcome and a log line. The caller releases the gate whatever happens.
   *
   * @return one outcome per recorded update, in record order
   */
  static List<Outcome> run(
      ServiceRecordStore store,
      ServiceRecord record,
      List<Future<UpdatePackage>> checks,
      Registrar registrar,
      ReapplyGate gate,
      Consumer<Outcome> sink,
      AgentLog log) {
    long start = System.nanoTime();
    List<Outcome> outcomes = new ArrayList<>();
    for (int i = 0; i < record.updates().size(); i++) {
      RecordedUpdate entry = record.updates().get(i);
      Outcome outcome;
      try {
        registrar.reapply(result(checks.get(i)), entry);
        outcome = new Outcome(entry, true, null);
      } catch (UnusableEntryException | RefusedException | RuntimeException e) {
        outcome = new Outcome(entry, false, String.valueOf(e.getMessage()));
        String line =
            "did not reapply "
                + entry.id()
                + " recorded for service "
                + store.service()
                + ": "
                + e.getMessage();
        log.warn(line);
        // The JVM starts without that fix: one line where its operator looks, whatever the log.
        System.err.println("jsplice: " + line);
      }
      outcomes.add(outcome);
      sink.accept(outcome); // before its classes may load, so that show sees what they met
      gate.release(entry.id());
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

  private static UpdatePackage result(Future<UpdatePackage> check) throws UnusableEntryException {
    try {
      return check.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnusableEntryException unusable) {
        throw unusable;
      }
      throw new UnusableEntryException("checking its file failed: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnusableEntryException("interrupted while checking its file");
    }
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
   * The agent's trusted keys, read only when an update was not verified against them before: in a
   * JVM that has just started, parsing certificates and checking signatures costs more than the
   * rest of the reapplication.
   */
  static final class Keys {
    private final List<Path> trust;
    private final Verdicts verdicts;
    private TrustedKeys trusted; // guarded by this
    private String problem; // guarded by this

    Keys(List<Path> trust, Verdicts verdicts) {
      this.trust = trust;
      this.verdicts = verdicts;
    }

    synchronized TrustedKeys trusted() throws UnusableEntryException {
      if (trusted == null && problem == null) {
        try {
          trusted = trustedKeys(trust);
        } catch (UnusableEntryException e) {
          problem = e.getMessage();
        }
      }
      if (trusted == null) {
        throw new UnusableEntryException(problem);
      }
      return trusted;
    }
  }

  /**
   * The recorded update, if its file is the one recorded (same SHA-256), signed by a trusted key
   * (or verified against the same keys before: {@link Verdicts}), and an update of the recorded id.
   */
  static UpdatePackage verified(ServiceRecordStore store, RecordedUpdate entry, Keys keys)
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
      // Exactly the bytes hashed above are verified, and their hash keys the verdict.
      if (keys.verdicts.verifiedBefore(entry.sha256())) {
        update = UpdateFile.readVerifiedBefore(bytes, file.toString(), UpdateLimits.DEFAULT);
      } else {
        update = UpdateFile.read(bytes, file.toString(), keys.trusted(), UpdateLimits.DEFAULT);
        keys.verdicts.remember(entry.sha256());
      }
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
