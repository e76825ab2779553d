package io.jsplice.agent.jmx;

import io.jsplice.agent.runtime.TransformerChain;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;

/**
 * Tells when the JVM's platform MBean server comes into being, by the load of its class, so that
 * the agent's MBean is registered only in a JVM where something uses JMX (the application, a JMX
 * agent started by {@code jcmd} or {@code -Dcom.sun.management.jmxremote}, a monitoring tool):
 * starting the platform MBean server costs a JVM that has just started about a quarter of a second
 * of CPU, more than the agent's whole budget at start-up.
 *
 * <p>Made when the agent's components start ({@link #whenStarted}), not in {@code premain}: the
 * MBean is registered only by then, and a transformer in the agent's chain keeps the chain in the
 * JVM's list, which costs every class load ({@link TransformerChain}). A watch in the chain that
 * changes nothing; each class load costs it one volatile read until the server's class loads, and
 * one string comparison. Once it has seen that load it needs no more ({@link
 * TransformerChain.Watch}), and the chain may leave the JVM's list. Thread-safe.
 */
public final class JmxStart implements TransformerChain.Watch {
  /** The class of every MBean server the JDK makes, the platform's among them. */
  static final String SERVER_CLASS = "com/sun/jmx/mbeanserver/JmxMBeanServer";

  private volatile boolean started;
  private Runnable pending; // guarded by this; null once run
  private final Runnable ended;

  private JmxStart(Runnable action, Runnable ended) {
    this.pending = action;
    this.ended = ended;
  }

  /**
   * Runs {@code action} once the JVM has an MBean server: now if it has one (the application, or a
   * JMX agent that started before this one, made it), else on the thread that makes the first one,
   * while its class loads, so the action must only start a thread of its own. Until then a watch
   * waits in {@code chain}. Once; never throws.
   */
  public static JmxStart whenStarted(
      Instrumentation instrumentation, TransformerChain chain, Runnable action) {
    JmxStart watch = new JmxStart(action, chain.whenWatchEnds());
    // In the chain first, then the look at what loaded: a server made in between is seen by one.
    chain.append(watch);
    String name = SERVER_CLASS.replace('/', '.');
    for (Class<?> c : instrumentation.getAllLoadedClasses()) {
      if (c.getClassLoader() == null && c.getName().equals(name)) {
        watch.start();
        break;
      }
    }
    return watch;
  }

  /** Whether the MBean server exists: the watch needs to see no more class loads. */
  @Override
  public boolean ended() {
    return started;
  }

  @Override
  public byte[] transform(
      Module module,
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain domain,
      byte[] classfileBuffer) {
    if (!started && loader == null && SERVER_CLASS.equals(className)) {
      start();
    }
    return null;
  }

  /** Runs the action, then lets the chain leave the JVM's list; once. Never throws. */
  private void start() {
    Runnable action;
    synchronized (this) {
      if (started) {
        return;
      }
      started = true;
      action = pending;
      pending = null;
    }
    try {
      action.run();
    } catch (RuntimeException | Error e) {
      // Never into the thread that loads the class; the MBean is for monitoring only.
    }
    try {
      ended.run();
    } catch (RuntimeException | Error e) {
      // Then the agent's chain stays in the JVM's list: each class load costs what it did.
    }
  }
}
