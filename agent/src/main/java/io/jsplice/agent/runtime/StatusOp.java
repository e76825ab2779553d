package io.jsplice.agent.runtime;

import io.jsplice.agent.control.ControlCall;
import io.jsplice.agent.control.ControlHandler;
import io.jsplice.agent.log.ThisProcess;
import io.jsplice.model.json.IsoInstant;
import io.jsplice.protocol.message.StatusReply;
import io.jsplice.protocol.message.StatusRequest;
import io.jsplice.protocol.message.UpdatesSummary;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code status} op: which JVM this is, which agent serves it and how it was started, the
 * options in force, and what is applied ({@link AgentContext#reportUpdates}).
 *
 * <p>A client's first request to an agent attached for it: it reads the pid, the runtime version
 * and the start time where they cost least, not through {@code ProcessHandle} (the JDK's process
 * machinery), {@code Runtime.version().toString()} (streams) or {@code Instant.toString()} ({@code
 * java.time}'s formatter), some hundred classes a JVM would otherwise load for this answer.
 */
final class StatusOp implements ControlHandler<StatusRequest, StatusReply> {
  private final AgentRuntime runtime;

  StatusOp(AgentRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public StatusReply handle(ControlCall<StatusRequest> call) {
    AgentContext context = runtime.context();
    AgentOptions options = context.options();
    return new StatusReply(
        ThisProcess.pid(),
        runtimeVersion(),
        System.getProperty("java.vm.vendor"),
        System.getProperty("java.vm.name"),
        runtime.version(),
        context.startMode().label(),
        runtime.loads(),
        IsoInstant.format(runtime.startedAt()),
        Duration.between(runtime.startedAt(), Instant.now()).toMillis(),
        options.service(),
        options.stateDir().toString(),
        paths(options.trust()),
        context.log().target(),
        options.jmx(),
        runtime.controlSocket(),
        context.controlOps().names(),
        runtime.componentStates(),
        updates(context));
  }

  /** {@code Runtime.version()}'s text, which the JVM also gives as {@code java.runtime.version}. */
  private static String runtimeVersion() {
    String version = System.getProperty("java.runtime.version");
    return version == null || version.isEmpty() ? Runtime.version().toString() : version;
  }

  private static List<String> paths(List<Path> paths) {
    List<String> out = new ArrayList<>(paths.size());
    for (Path path : paths) {
      out.add(path.toString());
    }
    return List.copyOf(out);
  }

  private static UpdatesSummary updates(AgentContext context) {
    try {
      return context.updates();
    } catch (RuntimeException e) {
      context.log().error("the status of the applied updates failed", e);
      return null;
    }
  }
}
