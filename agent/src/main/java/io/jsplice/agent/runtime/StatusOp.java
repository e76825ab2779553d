package io.jsplice.agent.runtime;

import io.jsplice.agent.control.ControlCall;
import io.jsplice.agent.control.ControlHandler;
import io.jsplice.protocol.message.StatusReply;
import io.jsplice.protocol.message.StatusRequest;
import io.jsplice.protocol.message.UpdatesSummary;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The {@code status} op: which JVM this is, which agent serves it and how it was started, the
 * options in force, and what is applied ({@link AgentContext#reportUpdates}).
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
        ProcessHandle.current().pid(),
        Runtime.version().toString(),
        System.getProperty("java.vm.vendor"),
        System.getProperty("java.vm.name"),
        runtime.version(),
        context.startMode().label(),
        runtime.loads(),
        runtime.startedAt().toString(),
        Duration.between(runtime.startedAt(), Instant.now()).toMillis(),
        options.service(),
        options.stateDir().toString(),
        options.trust().stream().map(Path::toString).toList(),
        context.log().target(),
        options.jmx(),
        runtime.controlSocket(),
        context.controlOps().names(),
        runtime.componentStates(),
        updates(context));
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
