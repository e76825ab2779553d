package io.jsplice.client.spi;

import io.jsplice.client.AgentUnavailableException;
import io.jsplice.client.ClientException;
import io.jsplice.client.JvmProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A way to attach to a local JVM: to load the agent into it, or to read its system properties.
 * Implementations differ in the privileges they attach with; {@link Compound} tries several in
 * order, {@link #UNAVAILABLE} attaches nowhere.
 *
 * <p>An implementation must never let another user's files steer what it does with more privilege
 * than that user has: attaching follows and deletes files in directories the target's user controls
 * ({@code .attach_pid<PID>} in its working directory, the attach socket in its {@code /tmp}).
 */
public interface AttachmentProvider {
  /** A short name for messages, e.g. {@code attach as the JVM's user}. */
  String name();

  /**
   * Null if this provider can attach to {@code target} from this process; else why not, as a clause
   * for a message ("this process runs as another user").
   */
  String unavailableBecause(JvmProcess target);

  /**
   * Loads the agent jar into {@code target} with {@code options}, and waits until the target holds
   * the agent's control socket or the agent reports why it has none.
   *
   * @param timeout how long to wait for the control socket after loading
   * @throws ClientException with the cause of the failure
   */
  void loadAgent(JvmProcess target, Path agentJar, String options, Duration timeout)
      throws ClientException;

  /** The target's system properties, without loading anything into it. */
  Properties systemProperties(JvmProcess target) throws ClientException;

  /** Attaches nowhere; every call fails saying why. */
  AttachmentProvider UNAVAILABLE =
      new AttachmentProvider() {
        @Override
        public String name() {
          return "no attachment";
        }

        @Override
        public String unavailableBecause(JvmProcess target) {
          return "no way to attach is configured";
        }

        @Override
        public void loadAgent(JvmProcess target, Path agentJar, String options, Duration timeout)
            throws ClientException {
          throw new AgentUnavailableException(
              "cannot attach to " + target + ": " + unavailableBecause(target));
        }

        @Override
        public Properties systemProperties(JvmProcess target) throws ClientException {
          throw new AgentUnavailableException(
              "cannot attach to " + target + ": " + unavailableBecause(target));
        }
      };

  /** Uses the first of its providers that can attach to the target. */
  final class Compound implements AttachmentProvider {
    private final List<AttachmentProvider> providers;

    public Compound(List<AttachmentProvider> providers) {
      this.providers = List.copyOf(providers);
    }

    @Override
    public String name() {
      return providers.stream().map(AttachmentProvider::name).toList().toString();
    }

    @Override
    public String unavailableBecause(JvmProcess target) {
      List<String> reasons = new ArrayList<>();
      for (AttachmentProvider provider : providers) {
        String reason = provider.unavailableBecause(target);
        if (reason == null) {
          return null;
        }
        reasons.add(provider.name() + ": " + reason);
      }
      return reasons.isEmpty() ? "no way to attach is configured" : String.join("; ", reasons);
    }

    @Override
    public void loadAgent(JvmProcess target, Path agentJar, String options, Duration timeout)
        throws ClientException {
      first(target).loadAgent(target, agentJar, options, timeout);
    }

    @Override
    public Properties systemProperties(JvmProcess target) throws ClientException {
      return first(target).systemProperties(target);
    }

    private AttachmentProvider first(JvmProcess target) throws AgentUnavailableException {
      for (AttachmentProvider provider : providers) {
        if (provider.unavailableBecause(target) == null) {
          return provider;
        }
      }
      throw new AgentUnavailableException(
          "cannot attach to " + target + " (" + unavailableBecause(target) + ")");
    }
  }
}
