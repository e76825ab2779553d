package io.jsplice.agent.runtime;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The agent's options, immutable: what {@code -javaagent:jsplice-agent.jar=OPTIONS} or an attach
 * passed, as {@code key=value} pairs separated by commas.
 *
 * <ul>
 *   <li>{@code trust=PATH[:PATH...]}: trusted certificate files or directories for updates.
 *   <li>{@code state=DIR}: where the agent keeps its records; default {@code ~/.jsplice/state}.
 *   <li>{@code service=NAME}: the service this JVM runs ({@code [A-Za-z0-9._-]}, at most 64).
 *   <li>{@code log=FILE} or {@code log=stderr}: default {@code STATE/NAME.log} for a service, else
 *       {@code STATE/agent-PID.log}.
 *   <li>{@code jmx=true|false}: whether to register the {@code io.jsplice:type=Agent} MBean;
 *       default true. Turn it off for applications that must configure JMX or {@code
 *       java.util.logging} themselves before anything touches the platform MBean server.
 * </ul>
 *
 * <p>Values cannot contain commas, nor trusted paths colons. Relative paths resolve against the
 * JVM's working directory. Options never fail the agent: an unknown key, a value without a key or a
 * bad value is ignored (the default or the previous value applies) and described in {@link
 * #warnings}, which the runtime logs.
 *
 * @param trust absolute trusted paths in the order given; may be empty, never null
 * @param stateDir absolute; never null
 * @param service may be null
 * @param logFile absolute; null means the log goes to stderr ({@code log=stderr})
 * @param jmx whether the MBean is registered
 * @param warnings one line per option that was ignored, saying what to write instead; never null
 */
public record AgentOptions(
    List<Path> trust,
    Path stateDir,
    String service,
    Path logFile,
    boolean jmx,
    List<String> warnings) {
  private static final Pattern SERVICE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final List<String> KEYS = List.of("trust", "state", "service", "log", "jmx");

  public AgentOptions {
    trust = List.copyOf(trust);
    Objects.requireNonNull(stateDir, "stateDir");
    warnings = List.copyOf(warnings);
  }

  /** Parses the options of the first load in this JVM. {@code raw} may be null or empty. */
  public static AgentOptions parse(String raw) {
    return parse(raw, Path.of(System.getProperty("user.home", "")), ProcessHandle.current().pid());
  }

  static AgentOptions parse(String raw, Path home, long pid) {
    List<String> warnings = new ArrayList<>();
    Map<String, String> given = pairs(raw, warnings);
    List<Path> trust = List.of();
    if (given.containsKey("trust")) {
      trust = trustPaths(given.get("trust"), warnings);
    }
    Path state = home.toAbsolutePath().resolve(".jsplice").resolve("state");
    if (given.containsKey("state")) {
      Path path = path("state", given.get("state"), warnings);
      state = path == null ? state : path;
    }
    String service = given.containsKey("service") ? service(given.get("service"), warnings) : null;
    Path logFile = state.resolve(service != null ? service + ".log" : "agent-" + pid + ".log");
    if (given.containsKey("log")) {
      String log = given.get("log");
      if (log.equals("stderr")) {
        logFile = null;
      } else {
        Path path = path("log", log, warnings);
        logFile = path == null ? logFile : path;
      }
    }
    boolean jmx = !given.containsKey("jmx") || bool("jmx", given.get("jmx"), true, warnings);
    return new AgentOptions(trust, state, service, logFile, jmx, warnings);
  }

  /**
   * The options in force after a later load of the agent with {@code raw}: {@code trust} and {@code
   * service} given there replace these, keys not given keep their value. {@code state}, {@code log}
   * and {@code jmx} are fixed when the agent starts; a different value is ignored with a warning.
   */
  public AgentOptions reloadedWith(String raw) {
    List<String> newWarnings = new ArrayList<>();
    Map<String, String> given = pairs(raw, newWarnings);
    List<Path> newTrust =
        given.containsKey("trust") ? trustPaths(given.get("trust"), newWarnings) : trust;
    String newService = service;
    if (given.containsKey("service")) {
      String parsed = service(given.get("service"), newWarnings);
      newService = parsed == null ? service : parsed;
    }
    if (given.containsKey("state")
        && !Objects.equals(path("state", given.get("state"), new ArrayList<>()), stateDir)) {
      newWarnings.add(fixed("state", stateDir.toString()));
    }
    if (given.containsKey("log")) {
      String log = given.get("log");
      Path wanted = log.equals("stderr") ? null : path("log", log, new ArrayList<>());
      if (!Objects.equals(wanted, logFile)) {
        newWarnings.add(fixed("log", logFile == null ? "stderr" : logFile.toString()));
      }
    }
    if (given.containsKey("jmx") && bool("jmx", given.get("jmx"), jmx, newWarnings) != jmx) {
      newWarnings.add(fixed("jmx", Boolean.toString(jmx)));
    }
    return new AgentOptions(newTrust, stateDir, newService, logFile, jmx, newWarnings);
  }

  /** Whether the log goes to stderr rather than a file. */
  public boolean logToStderr() {
    return logFile == null;
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

  private static String service(String value, List<String> warnings) {
    if (SERVICE.matcher(value).matches() && !value.equals(".") && !value.equals("..")) {
      return value; // it names a directory under the state directory
    }
    warnings.add("service='" + value + "' ignored: use 1 to 64 letters, digits, '.', '_' or '-'");
    return null;
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

  private static boolean bool(String key, String value, boolean fallback, List<String> warnings) {
    if (value.equals("true") || value.equals("false")) {
      return Boolean.parseBoolean(value);
    }
    warnings.add(key + "='" + value + "' ignored: write true or false");
    return fallback;
  }

  private static String fixed(String key, String current) {
    return key
        + "= cannot change while the agent runs; it stays "
        + current
        + " (restart the JVM to change it)";
  }
}
