package io.jsplice.agent.jmx;

import io.jsplice.agent.log.AgentLog;
import java.lang.management.ManagementFactory;
import java.util.function.Supplier;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * Registers {@link AgentMBean} in the platform MBean server, on a daemon thread of its own: the
 * first use of the platform MBean server starts JMX and {@code java.util.logging}, which is too
 * slow for {@code premain} and must not happen on the thread that starts the application.
 */
public final class AgentMBeans {
  public static final String OBJECT_NAME = "io.jsplice:type=Agent";
  static final String THREAD_NAME = "jsplice-jmx";

  private AgentMBeans() {}

  /**
   * Starts a daemon thread that registers the MBean; failures (no {@code java.management} module, a
   * name taken) are logged, never thrown.
   *
   * @param controlSocket the socket path, or null while the channel is closed; called per read
   * @param applied the current feed; called per read
   */
  public static void registerInBackground(
      String version,
      String startMode,
      Supplier<String> controlSocket,
      Supplier<AppliedUpdates> applied,
      AgentLog log) {
    AgentMBean bean = new Facts(version, startMode, controlSocket, applied);
    Thread thread = new Thread(() -> register(bean, log), THREAD_NAME);
    thread.setDaemon(true);
    thread.start();
  }

  private static void register(AgentMBean bean, AgentLog log) {
    try {
      ManagementFactory.getPlatformMBeanServer()
          .registerMBean(new StandardMBean(bean, AgentMBean.class), new ObjectName(OBJECT_NAME));
      log.info("MBean " + OBJECT_NAME + " registered");
    } catch (Exception | LinkageError e) {
      log.warn(
          "MBean " + OBJECT_NAME + " not registered: " + e + " (monitoring only; updates work)");
    }
  }

  private static final class Facts implements AgentMBean {
    private final String version;
    private final String startMode;
    private final Supplier<String> controlSocket;
    private final Supplier<AppliedUpdates> applied;

    Facts(
        String version,
        String startMode,
        Supplier<String> controlSocket,
        Supplier<AppliedUpdates> applied) {
      this.version = version;
      this.startMode = startMode;
      this.controlSocket = controlSocket;
      this.applied = applied;
    }

    @Override
    public String getVersion() {
      return version;
    }

    @Override
    public String getStartMode() {
      return startMode;
    }

    @Override
    public String getControlSocket() {
      return controlSocket.get();
    }

    @Override
    public String[] getAppliedUpdates() {
      return applied.get().ids().toArray(String[]::new);
    }
  }
}
