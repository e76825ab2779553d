package io.jsplice.agent.jmx;

import java.lang.instrument.ClassFileTransformer;
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
 * read until the server's class loads, and one string comparison. Thread-safe.
 */
public final class JmxStart implements ClassFileTransformer {
  /** The class of every MBean server the JDK makes, the platform's among them. */
  static final String SERVER_CLASS = "com/sun/jmx/mbeanserver/JmxMBeanServer";

  private volatile boolean started;
  private Runnable pending; // guarded by this

  private JmxStart(boolean started) {
    this.started = started;
  }

  /**
   * A watch for the server, started already if its class is loaded (a JMX agent can start before
   * this one). Put it in the agent's chain of transformers.
   */
  public static JmxStart watch(Instrumentation instrumentation) {
    for (Class<?> c : instrumentation.getAllLoadedClasses()) {
      if (c.getClassLoader() == null && c.getName().equals(SERVER_CLASS.replace('/', '.'))) {
        return new JmxStart(true);
      }
    }
    return new JmxStart(false);
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
    if (action != null) {
      try {
        action.run();
      } catch (RuntimeException | Error e) {
        // Never into the thread that loads the class; the MBean is for monitoring only.
      }
    }
    return null;
  }
}
