package io.jsplice.agent.restart;

import io.jsplice.agent.log.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds back, at start-up, the loading of each class a recorded update modifies until that update
 * has been verified and registered (or refused), so that the verification can run beside the
 * application's start instead of before it, and still no class of an update runs unpatched in the
 * meantime.
 *
 * <p>It is a transformer in the agent's chain ({@code TransformerChain}), ahead of the engine's: a
 * thread that loads a held class waits here, then the engine's transformer, later in that chain,
 * finds the update registered and patches the class. It is not a transformer of the JVM's own: the
 * JVM calls each such list on every class load, and it would cost every class of the application a
 * second call. The thread that does the reapplication is never held (it loads no class of the
 * application anyway). A hold lasts at most {@link #LONGEST_HOLD}; after that the class loads as it
 * is and the engine switches it when the update is registered, as it does for a class loaded before
 * an apply.
 *
 * <p>Thread-safe: holds are set before the transformer is registered and only released after.
 */
final class ReapplyGate implements ClassFileTransformer {
  /** How long a class may be held back; verifying takes well under a second. */
  static final long LONGEST_HOLD = TimeUnit.SECONDS.toMillis(60);

  private final Map<String, CountDownLatch> held; // internal class name, its update's latch
  private final Map<String, CountDownLatch> byUpdate;
  private final AgentLog log;
  private volatile boolean open;
  private volatile boolean released;
  private volatile Thread worker;

  /**
   * @param classesByUpdate per update id in record order, the binary names of the classes it
   *     modifies
   */
  ReapplyGate(Map<String, List<String>> classesByUpdate, AgentLog log) {
    this(classesByUpdate, log, true);
  }

  /**
   * @param classesByUpdate per update id in record order, the binary names of the classes it
   *     modifies
   * @param holding whether it holds from now on; if not, only after {@link #hold} (a start served
   *     from the {@link ReapplyCache} until it falls back to the engine)
   */
  ReapplyGate(Map<String, List<String>> classesByUpdate, AgentLog log, boolean holding) {
    this.log = log;
    Map<String, CountDownLatch> latches = new HashMap<>();
    Map<String, CountDownLatch> classes = new HashMap<>();
    // Loops, not lambdas: premain runs this, and each lambda costs the main thread a class.
    for (Map.Entry<String, List<String>> update : classesByUpdate.entrySet()) {
      CountDownLatch latch = new CountDownLatch(1);
      latches.put(update.getKey(), latch);
      // A class several updates modify waits for the last of them (they register in order).
      for (String name : update.getValue()) {
        classes.put(name.replace('.', '/'), latch);
      }
    }
    this.byUpdate = Map.copyOf(latches);
    this.held = Map.copyOf(classes);
    this.open = !holding || held.isEmpty();
  }

  /** Starts holding the classes of the updates not released yet. */
  void hold() {
    if (!released) {
      open = held.isEmpty();
    }
  }

  /** The thread that reapplies: never held. */
  void workOn(Thread thread) {
    this.worker = thread;
  }

  /** Lets the classes of update {@code id} load: it is registered, or it was refused. */
  void release(String id) {
    CountDownLatch latch = byUpdate.get(id);
    if (latch != null) {
      latch.countDown();
    }
  }

  /** Lets every class load; the reapplication ended. */
  void releaseAll() {
    released = true;
    byUpdate.values().forEach(CountDownLatch::countDown);
    open = true;
  }

  @Override
  public byte[] transform(
      Module module,
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain domain,
      byte[] classfileBuffer) {
    if (open || classBeingRedefined != null || className == null) {
      return null;
    }
    CountDownLatch latch = held.get(className);
    if (latch == null || latch.getCount() == 0 || Thread.currentThread() == worker) {
      return null;
    }
    try {
      if (!latch.await(LONGEST_HOLD, TimeUnit.MILLISECONDS)) {
        log.warn(
            className.replace('/', '.')
                + " loads before its recorded update is verified (held "
                + LONGEST_HOLD
                + " ms); the update switches it once registered");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the loading thread's interrupt is its own; keep it
    }
    return null;
  }
}
