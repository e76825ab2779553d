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
import io.jsplice.protocol.message.VerifyReply;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

  /**
   * What {@code stale} found about one JVM, as it prints it ({@code --json} writes every field,
   * those that do not apply as null).
   *
   * @param loadedClasses with the agent: how many classes it compared
   * @param changed with the agent: the code sources whose classes differ from the disk
   * @param classPath without the agent: the class path entries checked
   * @param classPathChanges without the agent: the entries that changed after the JVM started
   * @param note why the state is only evidence (no agent)
   * @param problem why the JVM could not be examined ({@code ERROR})
   */
  record StaleJvm(
      long pid,
      String main,
      State state,
      boolean agent,
      Integer loadedClasses,
      List<VerifyReply.CodeSource> changed,
      List<String> classPath,
      List<ClassPathEvidence.Change> classPathChanges,
      String note,
      String problem,
      FailureCause cause) {
    boolean stale() {
      return state == State.STALE || state == State.POSSIBLY_STALE;
    }
  }

  @Override
  public Integer call() throws FailureException {
    List<LocalJvm> jvms = targets();
    PrintWriter out = spec.commandLine().getOut();
    if (!json) {
      out.printf("%-8s %-15s %s%n", "PID", "STATE", "MAIN");
    }
    List<StaleJvm> rows = new ArrayList<>();
    boolean anyStale = false;
    FailureCause unexamined = null;
    for (LocalJvm jvm : jvms) {
      StaleJvm row = examine(jvm);
      rows.add(row);
      anyStale |= row.stale();
      if (row.state() == State.ERROR && unexamined == null) {
        unexamined = row.cause();
      }
      if (!json) {
        print(row, out);
      }
    }
    if (json) {
      Output.ok(out, new StaleJson(anyStale, rows));
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

  private StaleJvm examine(LocalJvm jvm) {
    boolean present = jvm.agent() == LocalJvm.AgentPresence.PRESENT;
    try {
      Agents agents = AgentConnection.agents();
      AgentClient client = null;
      if (present) {
        client = agents.find(jvm.pid()).orElse(null);
      } else if (attach) {
        client = agents.connectOrLoad(jvm.pid(), AgentArguments.NONE);
      }
      return client != null ? byAgent(jvm, client) : byClassPath(jvm, agents);
    } catch (ClientException e) {
      return new StaleJvm(
          jvm.pid(),
          jvm.mainClass(),
          State.ERROR,
          present,
          null,
          null,
          null,
          null,
          null,
          e.getMessage(),
          e.failure());
    }
  }

  /** Compares every loaded class with the disk, through the agent. */
  private static StaleJvm byAgent(LocalJvm jvm, AgentClient client) throws ClientException {
    VerifyReply reply = client.verify(false);
    List<VerifyReply.CodeSource> changed =
        reply.codeSources().stream().filter(source -> source.state().differs()).toList();
    return new StaleJvm(
        jvm.pid(),
        jvm.mainClass(),
        changed.isEmpty() ? State.CURRENT : State.STALE,
        true,
        reply.loadedClasses(),
        changed,
        null,
        null,
        null,
        null,
        null);
  }

  /** Without the agent: the class path's files against the JVM's start time. */
  private static StaleJvm byClassPath(LocalJvm jvm, Agents agents) throws ClientException {
    Properties properties = agents.systemProperties(jvm.pid());
    List<Path> entries = ClassPathEvidence.entries(properties);
    ProcessStart started =
        ProcessStart.of(jvm.pid()).or(() -> ProcessStart.fromProcessHandle(jvm.pid())).orElse(null);
    List<ClassPathEvidence.Change> changes =
        started == null
            ? List.of()
            : ClassPathEvidence.changes(entries, started, OpenFiles.of(jvm.pid()));
    return new StaleJvm(
        jvm.pid(),
        jvm.mainClass(),
        changes.isEmpty() ? State.UNKNOWN : State.POSSIBLY_STALE,
        false,
        null,
        null,
        entries.stream().map(Path::toString).toList(),
        changes,
        "no agent: loaded classes not compared (only the class path's files: open files and"
            + " change times);"
            + " --attach compares them",
        null,
        null);
  }

  private static void print(StaleJvm row, PrintWriter out) {
    out.printf(
        "%-8d %-15s %s%n",
        row.pid(), row.state().name().toLowerCase().replace('_', ' '), row.main());
    if (row.changed() != null) {
      for (VerifyReply.CodeSource source : row.changed()) {
        VerifyReport.printSource(source, out);
      }
    }
    if (row.classPathChanges() != null) {
      for (ClassPathEvidence.Change change : row.classPathChanges()) {
        out.println("  " + change.path() + ": " + change.what());
      }
    }
    if (row.state() == State.UNKNOWN || row.state() == State.POSSIBLY_STALE) {
      out.println("  (" + row.note() + ")");
    }
    if (row.problem() != null) {
      out.println("  ! " + row.problem());
    }
  }

  /** What {@code stale --json} prints after {@code "ok": true}. */
  private record StaleJson(boolean stale, List<StaleJvm> jvms) {}
}
