package io.jsplice.cli.attach;

import com.sun.tools.attach.VirtualMachine;
import io.jsplice.model.control.FailureCause;
import java.io.IOException;
import java.util.Properties;

/**
 * A JVM's system properties, read through the attach API: the class path and command line of a JVM
 * that runs without the jsplice agent. Loads no agent into it (the JVM starts its attach listener
 * thread, as {@code jcmd} makes it do).
 */
public final class JvmProperties {
  private JvmProperties() {}

  /**
   * @throws AgentException {@code TARGET_NOT_FOUND} if the JVM is gone; {@code AGENT_UNAVAILABLE}
   *     if it cannot be attached to
   */
  public static Properties read(long pid) throws AgentException {
    VirtualMachine vm = AgentLoader.attach(pid);
    try {
      return vm.getSystemProperties();
    } catch (IOException e) {
      throw new AgentException(
          FailureCause.AGENT_UNAVAILABLE,
          "cannot read the system properties of JVM " + pid + ": " + e.getMessage(),
          e);
    } finally {
      AgentLoader.detach(vm);
    }
  }
}
