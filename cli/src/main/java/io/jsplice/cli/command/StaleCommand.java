package io.jsplice.cli.command;

import io.jsplice.cli.Output;
import io.jsplice.cli.procfs.OpenFiles;
import io.jsplice.cli.procfs.ProcessStart;
import io.jsplice.cli.render.VerifyReport;
import io.jsplice.client.AgentClient;
import io.jsplice.client.Agents;
import io.jsplice.client.ClientException;
import io.jsplice.client.JvmProcess;
import io.jsplice.client.LocalJvm;
import io.jsplice.client.LocalJvms;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.control.FailureException;
import io.jsplice.protocol.AgentArguments;
import io.jsplice.protocol.codec.RecordCodec;
import io.jsplice.protocol.message.VerifyReply;
import java.io.PrintWriter;
import java.nio.file.Path;
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
      "List local JVMs that run code older (or other) than what is on disk now: someone "
          + "upgraded a library or the application underneath them.",
      "With the agent in a JVM, every loaded class is compared with its jar, nested jar or "
          + "class directory by content. Without it, only the files on its class path are checked: "
          + "replaced underneath the JVM (the file it holds open differs from the one at the path) "
          + "or changed after it started (by change time; Linux knows a process's start to about a "
          + "second, and a change within it counts), and the JVM is reported as possibly stale; "
          + "--attach loads the agent to compare content. Exits 0 when no JVM is stale, 42 when "
          + "some is (or possibly is); when none is but one could not be examined, the code of why "
          + "(20 no such JVM, 21 agent unavailable)."
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
  public Integer call() throws FailureException {
    List<LocalJvm> jvms = targets();
    PrintWriter out = spec.commandLine().getOut();
    if (!json) {
      out.printf("%-8s %-15s %s%n", "PID", "STATE", "MAIN");
    }
    List<Object> rows = new ArrayList<>();
    boolean anyStale = false;
    FailureCause unexamined = null;
    for (LocalJvm jvm : jvms) {
      Map<String, Object> row = examine(jvm);
      rows.add(row);
      State state = (State) row.get("state");
      anyStale |= state == State.STALE || state == State.POSSIBLY_STALE;
      if (state == State.ERROR && unexamined == null) {
        unexamined = (FailureCause) row.get("cause");
      }
      if (!json) {
        print(row, out);
      }
    }
    if (json) {
      Map<String, Object> value = new LinkedHashMap<>();
      value.put("ok", true);
      value.put("stale", anyStale);
      value.put("jvms", RecordCodec.write(rows));
      Output.json(out, value);
    }
    out.flush();
    if (anyStale) {
      return STALE_EXIT_CODE;
    }
    // Saying "no JVM is stale" about a JVM that was not examined would be a false all-clear.
    return unexamined == null ? 0 : unexamined.exitCode();
  }

  private List<LocalJvm> targets() throws FailureException {
    if (pids.isEmpty()) {
      return LocalJvms.list();
    }
    List<LocalJvm> out = new ArrayList<>();
    for (String text : pids) {
      long pid = AgentConnection.pid(text);
      LocalJvm jvm = LocalJvms.describe(pid);
      if (jvm == null) {
        JvmProcess process = JvmProcess.of(pid);
        process.requireJavaVm();
        throw process.notReachable();
      }
      out.add(jvm);
    }
    return out;
  }

  private Map<String, Object> examine(LocalJvm jvm) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("pid", jvm.pid());
    row.put("main", jvm.mainClass());
    boolean present = jvm.agent() == LocalJvm.AgentPresence.PRESENT;
    try {
      Agents agents = AgentConnection.agents();
      AgentClient client = null;
      if (present) {
        client = agents.find(jvm.pid()).orElse(null);
      } else if (attach) {
        client = agents.connectOrLoad(jvm.pid(), AgentArguments.NONE);
      }
      if (client != null) {
        byAgent(client, row);
      } else {
        byClassPath(agents, jvm.pid(), row);
      }
    } catch (ClientException e) {
      row.put("state", State.ERROR);
      row.put("agent", present);
      row.put("problem", e.getMessage());
      row.put("cause", e.failure());
    }
    return row;
  }

  /** Compares every loaded class with the disk, through the agent. */
  private static void byAgent(AgentClient client, Map<String, Object> row) throws ClientException {
    VerifyReply reply = client.verify(false);
    List<VerifyReply.CodeSource> changed =
        reply.codeSources().stream().filter(source -> source.state().differs()).toList();
    row.put("state", changed.isEmpty() ? State.CURRENT : State.STALE);
    row.put("agent", true);
    row.put("loadedClasses", (long) reply.loadedClasses());
    row.put("changed", changed);
  }

  /** Without the agent: the class path's files against the JVM's start time. */
  private static void byClassPath(Agents agents, long pid, Map<String, Object> row)
      throws ClientException {
    Properties properties = agents.systemProperties(pid);
    List<Path> entries = ClassPathEvidence.entries(properties);
    ProcessStart started =
        ProcessStart.of(pid).or(() -> ProcessStart.fromProcessHandle(pid)).orElse(null);
    List<Object> changes = new ArrayList<>();
    if (started != null) {
      for (ClassPathEvidence.Change change :
          ClassPathEvidence.changes(entries, started, OpenFiles.of(pid))) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", change.path());
        m.put("what", change.what());
        m.put("certain", change.certain());
        changes.add(m);
      }
    }
    row.put("state", changes.isEmpty() ? State.UNKNOWN : State.POSSIBLY_STALE);
    row.put("agent", false);
    row.put("classPath", entries.stream().map(Path::toString).toList());
    row.put("classPathChanges", changes);
    row.put(
        "note",
        "no agent: loaded classes not compared (only the class path's files: open files and"
            + " change times);"
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
        VerifyReport.printSource((VerifyReply.CodeSource) source, out);
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
