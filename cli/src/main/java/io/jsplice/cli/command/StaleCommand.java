package io.jsplice.cli.command;

import io.jsplice.cli.CliException;
import io.jsplice.cli.Output;
import io.jsplice.cli.attach.AgentClient;
import io.jsplice.cli.attach.AgentException;
import io.jsplice.cli.attach.AgentLoader;
import io.jsplice.cli.attach.JvmProperties;
import io.jsplice.cli.attach.LocalJvms;
import io.jsplice.cli.render.VerifyReport;
import io.jsplice.model.control.ControlProtocol;
import io.jsplice.model.json.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jsplice stale}: the local JVMs whose loaded classes no longer match the jars on disk.
 * Exits {@value #STALE_EXIT_CODE} when it finds one (or, for a JVM without the agent, evidence of
 * one).
 */
@Command(
    name = "stale",
    mixinStandardHelpOptions = true,
    description = {
      "List local JVMs that run code older (or other) than what is on disk now: someone upgraded",
      "a library or the application underneath them. With the agent in a JVM, every loaded class",
      "is compared with its jar, nested jar or class directory by content. Without it, only the",
      "files on its class path are checked for changes after it started (by change time), and",
      "the JVM is reported as possibly stale; --attach loads the agent to compare content.",
      "Exits 0 when no JVM is stale, 42 when some is (or possibly is)."
    })
public final class StaleCommand implements Callable<Integer> {
  /** The exit code when some JVM is stale or possibly stale; the CLI's help lists it. */
  public static final int STALE_EXIT_CODE = 42;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(
      arity = "0..*",
      paramLabel = "PID",
      description = "Only these JVMs (default: every local JVM).")
  List<String> pids = new ArrayList<>();

  @Option(
      names = "--attach",
      description = "Load the agent into JVMs without it, to compare their classes by content.")
  boolean attach;

  @Option(names = "--json", description = "Print as JSON.")
  boolean json;

  /** What jsplice can tell about one JVM. */
  enum State {
    /** Loaded classes differ from disk (compared by content). */
    STALE,
    /** Loaded classes match the disk (compared by content). */
    CURRENT,
    /** No agent; a file on its class path changed after it started. */
    POSSIBLY_STALE,
    /** No agent, and no evidence either way. */
    UNKNOWN,
    /** The JVM could not be asked. */
    ERROR
  }

  @Override
  public Integer call() throws CliException {
    List<LocalJvms.LocalJvm> jvms = targets();
    PrintWriter out = spec.commandLine().getOut();
    if (!json) {
      out.printf("%-8s %-15s %s%n", "PID", "STATE", "MAIN");
    }
    List<Object> rows = new ArrayList<>();
    boolean anyStale = false;
    for (LocalJvms.LocalJvm jvm : jvms) {
      Map<String, Object> row = examine(jvm);
      rows.add(row);
      State state = (State) row.get("state");
      anyStale |= state == State.STALE || state == State.POSSIBLY_STALE;
      if (!json) {
        print(row, out);
      }
    }
    if (json) {
      Map<String, Object> value = new LinkedHashMap<>();
      value.put("ok", true);
      value.put("stale", anyStale);
      value.put("jvms", rows);
      Output.json(out, value);
    }
    out.flush();
    return anyStale ? STALE_EXIT_CODE : 0;
  }

  private List<LocalJvms.LocalJvm> targets() throws CliException {
    List<LocalJvms.LocalJvm> all = LocalJvms.list();
    if (pids.isEmpty()) {
      return all;
    }
    List<LocalJvms.LocalJvm> out = new ArrayList<>();
    for (String text : pids) {
      long pid = AgentConnection.pid(text);
      LocalJvms.LocalJvm listed = all.stream().filter(j -> j.pid() == pid).findFirst().orElse(null);
      if (listed == null) {
        // Not among the JVMs jps sees (started with -XX:-UsePerfData?): ask it directly.
        AgentClient client = AgentConnection.ifPresent(pid);
        listed = new LocalJvms.LocalJvm(pid, "", "", client != null);
      }
      out.add(listed);
    }
    return out;
  }

  private Map<String, Object> examine(LocalJvms.LocalJvm jvm) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("pid", jvm.pid());
    row.put("main", jvm.mainClass());
    try {
      AgentClient client = null;
      if (jvm.agentPresent()) {
        client = AgentClient.forPid(jvm.pid());
      } else if (attach) {
        client = AgentLoader.fromSystemProperty().connectOrLoad(jvm.pid(), "");
      }
      if (client != null) {
        byAgent(client, row);
      } else {
        byClassPath(jvm.pid(), row);
      }
    } catch (AgentException e) {
      row.put("state", State.ERROR);
      row.put("agent", jvm.agentPresent());
      row.put("problem", e.getMessage());
    }
    return row;
  }

  /** Compares every loaded class with the disk, through the agent. */
  private static void byAgent(AgentClient client, Map<String, Object> row) throws AgentException {
    JsonObject reply =
        client.send(Map.of("op", ControlProtocol.OP_VERIFY, "updates", Boolean.FALSE));
    List<Object> changed = new ArrayList<>();
    for (JsonObject source : reply.objects("codeSources")) {
      String state = source.string("state");
      if (state.equals("CHANGED") || state.equals("MISSING")) {
        changed.add(source.asMap());
      }
    }
    row.put("state", changed.isEmpty() ? State.CURRENT : State.STALE);
    row.put("agent", true);
    row.put("loadedClasses", reply.number("loadedClasses"));
    row.put("changed", changed);
  }

  /** Without the agent: the class path's files against the JVM's start time. */
  private static void byClassPath(long pid, Map<String, Object> row) throws AgentException {
    Properties properties = JvmProperties.read(pid);
    List<Path> entries = ClassPathEvidence.entries(properties);
    Instant started = ProcessHandle.of(pid).flatMap(p -> p.info().startInstant()).orElse(null);
    List<Object> changes = new ArrayList<>();
    if (started != null) {
      for (ClassPathEvidence.Change change : ClassPathEvidence.changes(entries, started)) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", change.path());
        m.put("what", change.what());
        changes.add(m);
      }
    }
    row.put("state", changes.isEmpty() ? State.UNKNOWN : State.POSSIBLY_STALE);
    row.put("agent", false);
    row.put("classPath", entries.stream().map(Path::toString).toList());
    row.put("classPathChanges", changes);
    row.put(
        "note",
        "no agent: loaded classes not compared (only the class path's files, by change time);"
            + " --attach compares them");
  }

  @SuppressWarnings("unchecked")
  private static void print(Map<String, Object> row, PrintWriter out) {
    State state = (State) row.get("state");
    out.printf(
        "%-8d %-15s %s%n",
        (Long) row.get("pid"), state.name().toLowerCase().replace('_', ' '), row.get("main"));
    if (row.get("changed") instanceof List<?> changed) {
      for (Object source : changed) {
        VerifyReport.printSource(new JsonObject((Map<String, Object>) source, "$"), out);
      }
    }
    if (row.get("classPathChanges") instanceof List<?> changes) {
      for (Object change : changes) {
        Map<String, Object> m = (Map<String, Object>) change;
        out.println("  " + m.get("path") + ": " + m.get("what"));
      }
    }
    if (state == State.UNKNOWN || state == State.POSSIBLY_STALE) {
      out.println("  (" + row.get("note") + ")");
    }
    if (row.get("problem") != null) {
      out.println("  ! " + row.get("problem"));
    }
  }
}
