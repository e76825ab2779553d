package io.jsplice.cli.command;

import io.jsplice.cli.CliException;
import io.jsplice.cli.attach.AgentClient;
import io.jsplice.cli.attach.AgentException;
import io.jsplice.cli.attach.AgentLoader;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** How the verbs reach the agent in a JVM, and which keys it is told to trust when loaded. */
final class AgentConnection {
  static final String TRUST_ENV = "JSPLICE_TRUST";

  private AgentConnection() {}

  /** The agent in {@code pid}, loading it if absent with these trusted keys and service name. */
  static AgentClient connectOrLoad(long pid, List<Path> trust, String service) throws CliException {
    List<Path> keys = trust.isEmpty() ? defaultTrust() : trust;
    StringBuilder options = new StringBuilder();
    if (!keys.isEmpty()) {
      options
          .append("trust=")
          .append(
              keys.stream()
                  .map(p -> p.toAbsolutePath().toString())
                  .collect(Collectors.joining(":")));
    }
    if (service != null) {
      options.append(options.length() == 0 ? "" : ",").append("service=").append(service);
    }
    try {
      return AgentLoader.fromSystemProperty().connectOrLoad(pid, options.toString());
    } catch (AgentException e) {
      throw new CliException(e.failure(), e.getMessage(), e);
    }
  }

  /** The agent in {@code pid} if it is there; never loads it. May return null. */
  static AgentClient ifPresent(long pid) throws CliException {
    try {
      AgentClient client = AgentClient.forPid(pid);
      return client.socketExists() ? client : null;
    } catch (AgentException e) {
      throw new CliException(e.failure(), e.getMessage(), e);
    }
  }

  static JsonObject send(AgentClient client, Map<String, Object> request) throws CliException {
    try {
      return client.send(request);
    } catch (AgentException e) {
      throw new CliException(e.failure(), e.getMessage(), e);
    }
  }

  /**
   * $JSPLICE_TRUST (path-separated), else /etc/jsplice/trusted and ~/.jsplice/trusted if present.
   */
  static List<Path> defaultTrust() {
    List<Path> out = new ArrayList<>();
    String env = System.getenv(TRUST_ENV);
    if (env != null && !env.isBlank()) {
      for (String part : env.split(java.io.File.pathSeparator)) {
        if (!part.isBlank()) {
          out.add(Path.of(part));
        }
      }
      return out;
    }
    for (Path candidate :
        List.of(
            Path.of("/etc/jsplice/trusted"),
            Path.of(System.getProperty("user.home"), ".jsplice", "trusted"))) {
      if (Files.exists(candidate)) {
        out.add(candidate);
      }
    }
    return out;
  }

  static long pid(String text) throws CliException {
    try {
      long pid = Long.parseLong(text);
      if (pid <= 0) {
        throw new NumberFormatException();
      }
      return pid;
    } catch (NumberFormatException e) {
      throw new CliException(FailureCause.BAD_REQUEST, "\"" + text + "\" is not a process id");
    }
  }
}
