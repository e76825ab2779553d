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
 * <p>A transformer in the agent's chain that changes nothing; each class load costs it one volatile
 * read until the server's class loads, and one string comparison. Once it has seen that load it
 * needs no more ({@link TransformerChain.Watch}): it runs the action it was made with, which lets
 * the chain leave the JVM's list if nothing else in it needs to see class loads. Thread-safe.
 */
public final class JmxStart implements TransformerChain.Watch {
  /** The class of every MBean server the JDK makes, the platform's among them. */
  static final String SERVER_CLASS = "com/sun/jmx/mbeanserver/JmxMBeanServer";

  private volatile boolean started;
  private Runnable pending; // guarded by this
  private final Runnable ended; // once started is set by a class load

  private JmxStart(boolean started, Runnable ended) {
    this.started = started;
    this.ended = ended;
  }

  /**
   * A watch for the server, started already if its class is loaded (a JMX agent can start before
   * this one). Put it in the agent's chain of transformers unless it {@link #ended} already.
   *
   * @param ended what to run, on the thread that loads the server's class, once it has loaded; must
   *     not throw, block or load the application's classes
   */
  public static JmxStart watch(Instrumentation instrumentation, Runnable ended) {
    for (Class<?> c : instrumentation.getAllLoadedClasses()) {
      if (c.getClassLoader() == null && c.getName().equals(SERVER_CLASS.replace('/', '.'))) {
        return new JmxStart(true, ended);
      }
    }
    return new JmxStart(false, ended);
  }

  /** Whether the MBean server exists: the watch needs to see no more class loads. */
  @Override
  public boolean ended() {
    return started;
  }

  /**
   * Runs {@code action} now if an MBean server exists, else on the thread that makes the first one,
   * while its class loads: the action must only start a thread of its own. Once.
   */
  public void whenStarted(Runnable action) {
    synchronized (this) {
      if (!started) {
        pending = action;
        return;
      }
    }
    action.run();
  }

  @Override
  public byte[] transform(
      Module module,
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain domain,
      byte[] classfileBuffer) {
    if (started || loader != null || !SERVER_CLASS.equals(className)) {
      return null;
    }
    Runnable action;
    synchronized (this) {
      if (started) {
        return null;
      }
      started = true;
      action = pending;
      pending = null;
    }
    try {
      if (action != null) {
        action.run();
      }
    } catch (RuntimeException | Error e) {
      // Never into the thread that loads the class; the MBean is for monitoring only.
    }
    try {
      ended.run();
    } catch (RuntimeException | Error e) {
      // Then the agent's chain stays in the JVM's list: each class load costs what it did.
    }
    return null;
  }
}
