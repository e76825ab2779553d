package io.jsplice.fleet.cli;

import io.jsplice.client.Agents;
import io.jsplice.fleet.api.FleetJson;
import io.jsplice.fleet.api.client.ClientTransport;
import io.jsplice.fleet.daemon.Daemon;
import io.jsplice.fleet.daemon.DaemonConfig;
import io.jsplice.fleet.daemon.DaemonException;
import io.jsplice.fleet.daemon.DaemonStatus;
import io.jsplice.fleet.daemon.agents.ClientAgentAccess;
import io.jsplice.fleet.daemon.agents.JvmSelector;
import io.jsplice.fleet.daemon.agents.TimeBoundAgentAccess;
import io.jsplice.fleet.daemon.health.HealthCheck;
import io.jsplice.fleet.daemon.health.HealthGate;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.control.FailureException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jsplice daemon}: keeps this host's JVMs patched from the fleet server. */
@Command(
    name = "daemon",
    mixinStandardHelpOptions = true,
    description = {
      "Keep this host's JVMs patched from a fleet server (Uptrack's autoinstall for JVMs).",
      "Enrols once with the fleet's key, then every interval: finds the local JVMs (--select",
      "narrows them by command line), reports what each loaded and runs, polls the server for",
      "the update list (a conditional request), and applies each approved update to each JVM",
      "that loaded the release it targets, after checking it against its own --trust.",
      "A JVM restarted on the vulnerable release is patched again; an update its agent",
      "reapplied by itself, or an operator undid, is left as it is. A deactivated host applies",
      "nothing and logs why. Touch STATE/poll-now to poll at once. Runs until stopped;",
      "--once polls once and exits. As root, its state directory must be root's, mode 0700."
    })
public final class DaemonCommand implements Callable<Integer> {
  /** How long reading what one JVM runs may take before the daemon moves on. */
  static final Duration INVENTORY_TIMEOUT = Duration.ofSeconds(60);

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--server",
      paramLabel = "URL",
      description = "The fleet server (default: $JSPLICE_SERVER).")
  String server;

  @Option(
      names = "--enrol-key",
      paramLabel = "FILE",
      description = "The fleet's enrolment key (the server's enrol.key); needed until it enrolled.")
  Path enrolKey;

  @Option(
      names = "--state",
      paramLabel = "DIR",
      description =
          "The daemon's own directory, mode 0700 (default: /var/lib/jsplice/daemon as root,"
              + " else ~/.jsplice/daemon).")
  Path state;

  @Option(
      names = "--trust",
      required = true,
      paramLabel = "CERT",
      split = ",",
      description = "Certificates whose keys sign the updates this daemon applies.")
  List<Path> trust = new ArrayList<>();

  @Option(
      names = "--interval",
      defaultValue = "300",
      paramLabel = "SECONDS",
      description = "Time between polls (default: ${DEFAULT-VALUE}).")
  long interval;

  @Option(
      names = "--name",
      description = "The host's name in the fleet (default: the machine's hostname).")
  String name;

  @Option(names = "--group", description = "The group to join when enrolling (default: default).")
  String group;

  @Option(
      names = "--select",
      paramLabel = "GLOB",
      description =
          "Manage only JVMs whose command line matches (* and ?; repeatable). Default: every JVM"
              + " but jsplice's own.")
  List<String> select = new ArrayList<>();

  @Option(
      names = "--apply-timeout",
      defaultValue = "120",
      paramLabel = "SECONDS",
      description =
          "How long one apply may take before the daemon moves on (a hung JVM); default:"
              + " ${DEFAULT-VALUE}.")
  long applyTimeout;

  @Option(
      names = "--health",
      paramLabel = "CHECK",
      description =
          "A health check of the JVMs it patches, compared with the same check just before each"
              + " update (repeatable): url=URL (healthy while it answers 2xx), or"
              + " jmx=OBJECTNAME#ATTRIBUTE;RULE<=LIMIT with RULE rise (a counter's rise), ratio"
              + " (a gauge against its value before), rate (a counter's pace against before) or"
              + " max; gc.time, gc.count and threads name common readings. when=GLOB; limits a"
              + " check to the JVMs whose command line matches. A failed check undoes the update"
              + " in that JVM and pauses its rollout everywhere.")
  List<String> health = new ArrayList<>();

  @Option(
      names = "--health-watch",
      defaultValue = "0",
      paramLabel = "SECONDS",
      description =
          "How long a JVM is watched after an update (default: ${DEFAULT-VALUE}, the checks"
              + " right after the apply only). It must stay alive and healthy meanwhile; one that"
              + " exits never gets that update from this daemon again (Livepatch's rule).")
  long healthWatch;

  @Mixin ConnectionOptions connection = new ConnectionOptions();

  @Option(names = "--once", description = "Poll once, print the status as JSON, and exit.")
  boolean once;

  @Override
  public Integer call() throws FailureException {
    ServerCommand.configureLogging(false);
    DaemonConfig config = config();
    Agents loader = Agents.fromSystemProperty();
    if (loader.agentJar() == null) {
      throw new FailureException(
          FailureCause.AGENT_UNAVAILABLE,
          "the daemon needs the agent jar to load into JVMs; run it through bin/jsplice, which"
              + " names it, or pass -D"
              + Agents.AGENT_JAR_PROPERTY
              + "=PATH");
    }
    Duration timeout = Duration.ofSeconds(applyTimeout);
    Daemon daemon;
    try {
      daemon =
          Daemon.open(
              config,
              new TimeBoundAgentAccess(
                  new ClientAgentAccess(config.selector(), loader, config.trust(), timeout),
                  INVENTORY_TIMEOUT,
                  timeout),
              healthGate());
    } catch (DaemonException e) {
      throw new FailureException(FailureCause.BAD_REQUEST, e.getMessage(), e);
    }
    if (once) {
      DaemonStatus status;
      try {
        status = daemon.cycle();
      } catch (IOException e) {
        throw new FailureException(FailureCause.INTERNAL, "the poll failed: " + e.getMessage(), e);
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println(FleetJson.writePretty(status));
      out.flush();
      return status.serverReachable() ? 0 : FailureCause.SERVER_UNREACHABLE.exitCode();
    }
    run(daemon);
    return 0;
  }

  private static void run(Daemon daemon) {
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(1);
    Thread loop = Thread.currentThread();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stop.set(true);
                  loop.interrupt();
                  try {
                    done.await();
                  } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                  }
                },
                "jsplice-daemon-stop"));
    try {
      daemon.run(stop);
    } finally {
      done.countDown();
    }
  }

  private HealthGate healthGate() throws FailureException {
    if (healthWatch < 0) {
      throw new FailureException(FailureCause.BAD_REQUEST, "--health-watch must not be negative");
    }
    List<HealthCheck> checks = new ArrayList<>();
    for (String spec : health) {
      try {
        checks.add(HealthCheck.parse(spec));
      } catch (IllegalArgumentException e) {
        throw new FailureException(FailureCause.BAD_REQUEST, e.getMessage(), e);
      }
    }
    return new HealthGate(checks, Duration.ofSeconds(healthWatch));
  }

  private DaemonConfig config() throws FailureException {
    boolean root = "root".equals(System.getProperty("user.name"));
    Path dir =
        state != null
            ? state
            : root
                ? Path.of("/var/lib/jsplice/daemon")
                : Path.of(System.getProperty("user.home"), ".jsplice", "daemon");
    String host = name != null ? name : hostname();
    if (interval < 1) {
      throw new FailureException(FailureCause.BAD_REQUEST, "--interval must be at least 1 second");
    }
    URI url = AdminOptions.server(server);
    ClientTransport transport = connection.transport(url);
    try {
      return new DaemonConfig(
          url,
          enrolKey == null ? null : enrolKey.toAbsolutePath(),
          host,
          group,
          dir.toAbsolutePath(),
          trust.stream().map(Path::toAbsolutePath).toList(),
          Duration.ofSeconds(interval),
          null,
          new JvmSelector(select),
          transport);
    } catch (IllegalArgumentException e) {
      throw new FailureException(FailureCause.BAD_REQUEST, e.getMessage(), e);
    }
  }

  private static String hostname() throws FailureException {
    try {
      String name =
          Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).strip();
      if (!name.isEmpty()) {
        return name.replaceAll("[^A-Za-z0-9._-]", "-");
      }
    } catch (IOException ignored) {
      // fall through
    }
    throw new FailureException(
        FailureCause.BAD_REQUEST, "cannot tell this machine's hostname; name the host with --name");
  }
}
