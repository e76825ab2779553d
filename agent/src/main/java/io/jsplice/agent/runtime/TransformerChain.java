package io.jsplice.agent.runtime;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The agent's one retransformation-capable transformer in the JVM's chain, registered when the
 * runtime starts (in {@code premain} under {@code -javaagent}, {@link #takePlace}), into which the
 * components put theirs when they start, possibly much later. Its place in the JVM's chain is what
 * decides whether jsplice sees a class before or after another agent's instrumentation, so it is
 * taken as early as possible, while the components that fill it may start only when they are
 * needed.
 *
 * <p>Like the JVM's chain, each transformer gets the previous one's output (the class's bytes if
 * none changed them).
 *
 * <p><b>In the JVM's list only while it must be.</b> As long as the agent has a transformer
 * registered, the JVM hands it every class it loads (a copy of its bytes, read back from the
 * archive for a class the JVM shares, and a call into Java): tens of microseconds a class, for the
 * 10,000 classes a service loads before it answers. So the chain leaves the JVM's list while it
 * holds nothing but {@link Watch}es that have ended ({@link #leaveWhileIdle}), and joins it again
 * as soon as a transformer is appended. Its place is kept: it is the agent's JVMTI environment for
 * retransformation, which the JVM makes at the first registration and keeps, and which the JVM
 * calls in the order the environments were made.
 *
 * <p>Thread-safe.
 */
public final class TransformerChain implements ClassFileTransformer {
  private final List<ClassFileTransformer> transformers = new CopyOnWriteArrayList<>();
  private final Object registration = new Object();
  private Instrumentation jvm; // guarded by registration; null until takePlace
  private boolean inJvm; // guarded by registration

  /**
   * A transformer that changes nothing and needs to see class loads only until the one it waits
   * for; it then calls the {@link #whenWatchEnds} action, so that the chain can leave the JVM's
   * list.
   */
  public interface Watch extends ClassFileTransformer {
    /** Whether it has seen what it waited for; once true, true for good. */
    boolean ended();
  }

  /**
   * Takes the chain's place in the JVM's list of retransformation-capable transformers, now. Once;
   * then the chain leaves and joins the list as {@link #leaveWhileIdle} and {@link #append} say.
   */
  public void takePlace(Instrumentation instrumentation) {
    synchronized (registration) {
      if (jvm == null) {
        jvm = instrumentation;
        instrumentation.addTransformer(this, true);
        inJvm = true;
      }
    }
  }

  /**
   * Appends {@code transformer}; it sees every class loaded or retransformed from the moment this
   * returns, and those that wait in a transformer before it. Transformers stay in the chain for the
   * life of the JVM. Joins the JVM's list again if the chain had left it.
   */
  public void append(ClassFileTransformer transformer) {
    transformers.add(transformer);
    synchronized (registration) {
      if (jvm != null && !inJvm && !idle()) {
        jvm.addTransformer(this, true);
        inJvm = true;
      }
    }
  }

  /**
   * Leaves the JVM's list while nothing in the chain needs to see a class load: it is empty, or
   * holds only {@link Watch}es that have ended. Never throws.
   */
  public void leaveWhileIdle() {
    synchronized (registration) {
      if (jvm != null && inJvm && idle()) {
        try {
          inJvm = !jvm.removeTransformer(this);
        } catch (RuntimeException e) {
          // Stays in the list: every load costs what it did.
        }
      }
    }
  }

  /** Whether the chain is in the JVM's list now; for tests. */
  public boolean inJvm() {
    synchronized (registration) {
      return inJvm;
    }
  }

  /** What a {@link Watch} runs once it ended: {@link #leaveWhileIdle}. Not a lambda (premain). */
  public Runnable whenWatchEnds() {
    return new LeaveWhileIdle(this);
  }

  private static final class LeaveWhileIdle implements Runnable {
    private final TransformerChain chain;

    LeaveWhileIdle(TransformerChain chain) {
      this.chain = chain;
    }

    @Override
    public void run() {
      chain.leaveWhileIdle();
    }
  }

  private boolean idle() {
    for (ClassFileTransformer transformer : transformers) {
      if (!(transformer instanceof Watch watch && watch.ended())) {
        return false;
      }
    }
    return true;
  }

  @Override
  public byte[] transform(
      Module module,
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain domain,
      byte[] classfileBuffer)
      throws IllegalClassFormatException {
    if (transformers.isEmpty()) {
      return null;
    }
    byte[] current = classfileBuffer;
    boolean changed = false;
    // By index, not over a snapshot: a class held in one transformer (the reapplication's gate)
    // meets those appended while it waited (the engine's). Nothing is ever removed.
    for (int i = 0; i < transformers.size(); i++) {
      ClassFileTransformer transformer = transformers.get(i);
      byte[] out =
          transformer.transform(module, loader, className, classBeingRedefined, domain, current);
      if (out != null) {
        current = out;
        changed = true;
      }
    }
    return changed ? current : null;
  }
}
