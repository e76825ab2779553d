package io.jsplice.protocol;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * The agent's options as given: what {@code -javaagent:jsplice-agent.jar=OPTIONS} or an attach
 * passes, {@code key=value} pairs separated by commas. Clients build one and {@link #format} it;
 * the agent {@link #parse}s it and fills in what was not given.
 *
 * <ul>
 *   <li>{@code trust=PATH[:PATH...]}: trusted certificate files or directories for updates.
 *   <li>{@code state=DIR}: where the agent keeps its records; default {@code ~/.jsplice/state}.
 *   <li>{@code service=NAME}: the service this JVM runs ({@code [A-Za-z0-9._-]}, at most 64).
 *   <li>{@code log=FILE} or {@code log=stderr}: default {@code STATE/NAME.log} for a service, else
 *       {@code STATE/agent-PID.log}.
 *   <li>{@code jmx=true|false}: whether to register the {@code io.jsplice:type=Agent} MBean;
 *       default true.
 * </ul>
 *
 * <p>Values cannot contain commas, nor trusted paths colons. Relative paths resolve against the
 * working directory of the JVM that parses them, so clients format absolute paths. Parsing never
 * fails: an unknown key, a value without a key or a bad value is left out and described in {@link
 * #warnings}.
 *
 * @param trust trusted paths, absolute, in the order given; null when not given
 * @param state absolute; null when not given
 * @param service null when not given
 * @param log {@value #LOG_STDERR} or an absolute path; null when not given
 * @param jmx null when not given
 * @param warnings one line per option that was left out, saying what to write instead; never null;
 *     not part of equality
 */
public record AgentArguments(
    List<Path> trust, Path state, String service, String log, Boolean jmx, List<String> warnings) {
  /** The {@code log=} value that sends the agent's log to the JVM's stderr. */
  public static final String LOG_STDERR = "stderr";

  /** Nothing given. */
  public static final AgentArguments NONE =
      new AgentArguments(null, null, null, null, null, List.of());

  private static final List<String> KEYS = List.of("trust", "state", "service", "log", "jmx");

  public AgentArguments {
    trust = trust == null ? null : List.copyOf(trust);
    warnings = List.copyOf(warnings);
  }

  /**
   * What a client passes when it loads the agent.
   *
   * @param trust trusted certificate paths; made absolute here; none given when empty
   * @param service may be null
   */
  public static AgentArguments of(List<Path> trust, String service) {
    List<Path> absolute =
        trust.isEmpty() ? null : trust.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    return new AgentArguments(absolute, null, service, null, null, List.of());
  }

  /**
   * Whether {@code service} is a valid service name (it names a directory under the state): 1 to 64
   * of {@code [A-Za-z0-9._-]}, not {@code .} or {@code ..}. Checked without a regular expression,
   * whose classes an agent attached to a JVM would otherwise load there for this alone.
   */
  public static boolean isServiceName(String service) {
    if (service == null
        || service.isEmpty()
        || service.length() > 64
        || service.equals(".")
        || service.equals("..")) {
      return false;
    }
    for (int i = 0; i < service.length(); i++) {
      char c = service.charAt(i);
      boolean allowed =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '-';
      if (!allowed) {
        return false;
      }
    }
    return true;
  }

  /** Whether the options send the log to stderr. */
  public boolean logToStderr() {
    return LOG_STDERR.equals(log);
  }

  /**
   * The option string, which {@link #parse} reads back as these arguments (without warnings).
   *
   * @throws IllegalArgumentException if a value cannot be written: a comma in it, a colon in a
   *     trusted path, or an invalid service name
   */
  public String format() {
    StringJoiner out = new StringJoiner(",");
    if (trust != null) {
      StringJoiner paths = new StringJoiner(":");
      for (Path path : trust) {
        paths.add(value("trust", path.toString(), ":"));
      }
      out.add("trust=" + paths);
    }
    if (state != null) {
      out.add("state=" + value("state", state.toString(), null));
    }
    if (service != null) {
      if (!isServiceName(service)) {
        throw new IllegalArgumentException(
            "service name '" + service + "': use 1 to 64 letters, digits, '.', '_' or '-'");
      }
      out.add("service=" + service);
    }
    if (log != null) {
      out.add("log=" + value("log", log, null));
    }
    if (jmx != null) {
      out.add("jmx=" + jmx);
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return format();
  }

  /** Parses an option string; {@code raw} may be null or empty. */
  public static AgentArguments parse(String raw) {
    List<String> warnings = new ArrayList<>();
    Map<String, String> given = pairs(raw, warnings);
    List<Path> trust = given.containsKey("trust") ? trustPaths(given.get("trust"), warnings) : null;
    Path state = given.containsKey("state") ? path("state", given.get("state"), warnings) : null;
    String service = null;
    if (given.containsKey("service")) {
      service = given.get("service");
      if (!isServiceName(service)) {
        warnings.add(
            "service='" + service + "' ignored: use 1 to 64 letters, digits, '.', '_' or '-'");
        service = null;
      }
    }
    String log = null;
    if (given.containsKey("log")) {
      String value = given.get("log");
      if (value.equals(LOG_STDERR)) {
        log = LOG_STDERR;
      } else {
        Path path = path("log", value, warnings);
        log = path == null ? null : path.toString();
      }
    }
    Boolean jmx = null;
    if (given.containsKey("jmx")) {
      String value = given.get("jmx");
      if (value.equals("true") || value.equals("false")) {
        jmx = Boolean.valueOf(value);
      } else {
        warnings.add("jmx='" + value + "' ignored: write true or false");
      }
    }
    return new AgentArguments(trust, state, service, log, jmx, warnings);
  }

  private static String value(String key, String value, String alsoForbidden) {
    if (value.contains(",") || (alsoForbidden != null && value.contains(alsoForbidden))) {
      throw new IllegalArgumentException(
          key
              + " '"
              + value
              + "' cannot be passed to the agent: it contains ','"
              + (alsoForbidden == null ? "" : " or '" + alsoForbidden + "'"));
    }
    return value;
  }

  private static Map<String, String> pairs(String raw, List<String> warnings) {
    Map<String, String> given = new LinkedHashMap<>();
    if (raw == null) {
      return given;
    }
    for (String part : raw.split(",")) {
      String pair = part.trim();
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        warnings.add("option '" + pair + "' ignored: write key=value, keys are " + KEYS);
        continue;
      }
      String key = pair.substring(0, eq).trim();
      String value = pair.substring(eq + 1).trim();
      if (!KEYS.contains(key)) {
        warnings.add("unknown option '" + key + "' ignored; known options are " + KEYS);
        continue;
      }
      if (given.put(key, value) != null) {
        warnings.add("option '" + key + "' given twice; the last value, '" + value + "', applies");
      }
    }
    return given;
  }

  private static List<Path> trustPaths(String value, List<String> warnings) {
    List<Path> paths = new ArrayList<>();
    for (String entry : value.split(":")) {
      if (!entry.isBlank()) {
        Path path = path("trust", entry.trim(), warnings);
        if (path != null) {
          paths.add(path);
        }
      }
    }
    return paths;
  }

  private static Path path(String key, String value, List<String> warnings) {
    if (value.isEmpty()) {
      warnings.add(key + "= ignored: it needs a path");
      return null;
    }
    try {
      return Path.of(value).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      warnings.add(key + "='" + value + "' ignored: not a valid path (" + e.getReason() + ")");
      return null;
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof AgentArguments a
        && Objects.equals(trust, a.trust)
        && Objects.equals(state, a.state)
        && Objects.equals(service, a.service)
        && Objects.equals(log, a.log)
        && Objects.equals(jmx, a.jmx);
  }

  @Override
  public int hashCode() {
    return Objects.hash(trust, state, service, log, jmx);
  }
}
