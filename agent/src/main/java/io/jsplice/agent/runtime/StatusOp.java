package io.jsplice.agent.runtime;

import io.jsplice.agent.control.ControlHandler;
import io.jsplice.agent.control.StatusContributor;
import io.jsplice.model.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code status} op: which JVM this is, which agent serves it and how it was started, the
 * options in force, and what each component contributes ({@link AgentContext#addStatus}).
 */
final class StatusOp implements ControlHandler {
  private final AgentRuntime runtime;

  StatusOp(AgentRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public Map<String, Object> handle(JsonObject request) {
    AgentContext context = runtime.context();
    AgentOptions options = context.options();
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("pid", ProcessHandle.current().pid());
    status.put("jvmVersion", Runtime.version().toString());
    status.put("jvmVendor", System.getProperty("java.vm.vendor"));
    status.put("jvmName", System.getProperty("java.vm.name"));
    status.put("agentVersion", runtime.version());
    status.put("startMode", context.startMode().label());
    status.put("loads", runtime.loads());
    status.put("agentStartedAt", runtime.startedAt().toString());
    status.put(
        "agentUptimeMillis", Duration.between(runtime.startedAt(), Instant.now()).toMillis());
    status.put("service", options.service());
    status.put("stateDir", options.stateDir().toString());
    status.put("trust", options.trust().stream().map(Path::toString).toList());
    status.put("log", context.log().target());
    status.put("jmx", options.jmx());
    status.put("controlSocket", runtime.controlSocket());
    status.put("ops", context.controlOps().names());
    status.put("components", runtime.componentStates());
    for (Map.Entry<String, StatusContributor> part : context.statusContributors().entrySet()) {
      status.put(part.getKey(), contribution(context, part.getKey(), part.getValue()));
    }
    return status;
  }

  private static Object contribution(
      AgentContext context, String name, StatusContributor contributor) {
    try {
      return contributor.status();
    } catch (RuntimeException e) {
      context.log().error("status contribution '" + name + "' failed", e);
      return Map.of("error", String.valueOf(e));
    }
  }
}
