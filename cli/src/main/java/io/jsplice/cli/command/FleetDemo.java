package io.jsplice.cli.command;

import io.jsplice.cli.Jsplice;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.control.FailureException;
import io.jsplice.model.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The demo's fleet part: a {@code jsplice server} on its embedded database, two hosts' daemons (one
 * service each, selected by a marker on its command line), the update published once and applied by
 * both daemons with no other step, then one host deactivated: a service restarted on the other host
 * is patched again, one restarted on the deactivated host stays as it is and its daemon says why.
 *
 * <p>It runs the fleet's verbs as the command does, by name: the core has no compile-time
 * dependency on the fleet; without the fleet's verbs in the build the part is skipped.
 */
final class FleetDemo {
  private static final Duration WAIT = Duration.ofMinutes(3);

  /** Starts one more demo service, vulnerable, with a JVM argument that names its host. */
  interface Services {
    Process start(String jvmArg) throws IOException;

    int awaitPort(Process service) throws IOException, FailureException;

    /**
     * Whether the exploit still reads the secret through the service on {@code port}.
     *
     * @param show whether to print the request and its answer
     */
    boolean vulnerable(int port, boolean show) throws IOException, InterruptedException;
  }

  private final PrintWriter out;
  private final PrintWriter err;
  private final Path dir;
  private final Path key;
  private final Path update;
  private final Services services;
  private final List<Process> processes = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  FleetDemo(PrintWriter out, PrintWriter err, Path dir, Path key, Path update, Services services) {
    this.out = out;
    this.err = err;
    this.dir = dir;
    this.key = key;
    this.update = update;
    this.services = services;
  }

  /** Whether this build has the fleet's verbs. */
  static boolean available() {
    for (io.jsplice.cli.spi.VerbProvider provider :
        java.util.ServiceLoader.load(io.jsplice.cli.spi.VerbProvider.class)) {
      if (provider.verbs().stream().anyMatch(v -> v.name().equals("server"))) {
        return true;
      }
    }
    return false;
  }

  /** Runs the fleet part; returns whether every step behaved as it should. */
  boolean run(StepPrinter steps) throws Exception {
    try {
      return demo(steps);
    } finally {
      for (Process process : processes) {
        process.destroy();
      }
      for (Process process : processes) {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
    }
  }

  /** How the demo prints its steps and checks. */
  interface StepPrinter {
    void step(String text);

    boolean expect(boolean condition, String what);
  }

  private boolean demo(StepPrinter steps) throws Exception {
    steps.step("6. The fleet: a server, and two hosts whose daemons each manage one service");
    Path data = dir.resolve("fleet-server");
    Process server =
        jsplice(
            dir.resolve("server.log"),
            "server",
            "--data",
            data.toString(),
            "--port",
            "0",
            "--json",
            "--trust",
            key + ".pem");
    URI url = URI.create(JsonObject.parse(firstLineWith(server, "\"url\"")).string("url"));
    String admin = Files.readString(data.resolve("admin.token")).strip();
    print("server", "--data", data.toString(), "--port", "0", "--trust", key + ".pem");
    out.println("   jsplice server listening on " + url + " (embedded H2 in " + data + ")");
    Process webA = service("-Djsplice.demo.host=demo-a");
    Process webB = service("-Djsplice.demo.host=demo-b");
    int portA = services.awaitPort(webA);
    int portB = services.awaitPort(webB);
    out.println(
        "   service on demo-a: pid " + webA.pid() + ", service on demo-b: pid " + webB.pid());
    for (String host : List.of("demo-a", "demo-b")) {
      String[] daemon = {
        "daemon",
        "--server",
        url.toString(),
        "--enrol-key",
        data.resolve("enrol.key").toString(),
        "--state",
        dir.resolve("daemon-" + host).toString(),
        "--trust",
        key + ".pem",
        "--name",
        host,
        "--select",
        "*-Djsplice.demo.host=" + host + " *",
        "--interval",
        "1"
      };
      print(daemon);
      jsplice(dir.resolve("daemon-" + host + ".log"), daemon);
    }
    await("both hosts enrolled and reported their service", () -> reported(url, admin, 2));
    boolean bothVulnerable =
        steps.expect(
            services.vulnerable(portA, true) && services.vulnerable(portB, true),
            "both services are vulnerable");

    steps.step("7. The admin publishes the update once; both daemons apply it, no other step");
    run(
        "publish",
        update.toString(),
        "--server",
        url.toString(),
        "--token-file",
        data.resolve("admin.token").toString());
    await("both services run the fix", () -> !vulnerable(portA) && !vulnerable(portB));
    boolean bothFixed =
        steps.expect(
            !services.vulnerable(portA, true) && !services.vulnerable(portB, true),
            "FIXED on both hosts");
    // The daemons report after they apply: the host list says patched once their reports arrive.
    await("both daemons reported their service patched", () -> patchedEverywhere(url, admin));
    run(
        "hosts",
        "--server",
        url.toString(),
        "--token-file",
        data.resolve("admin.token").toString());

    steps.step("8. demo-b is deactivated; both services restart on the vulnerable jar");
    run(
        "host",
        "deactivate",
        "demo-b",
        "--reason",
        "change freeze",
        "--server",
        url.toString(),
        "--token-file",
        data.resolve("admin.token").toString());
    await(
        "demo-b's daemon knows it is deactivated",
        () -> Files.readString(dir.resolve("daemon-demo-b.log")).contains("applying nothing"));
    restart(webA);
    restart(webB);
    Process againA = service("-Djsplice.demo.host=demo-a");
    Process againB = service("-Djsplice.demo.host=demo-b");
    int portA2 = services.awaitPort(againA);
    int portB2 = services.awaitPort(againB);
    await("demo-a's restarted service is patched again", () -> !vulnerable(portA2));
    long polled = cycle("demo-b");
    await("demo-b's daemon polled twice more", () -> cycle("demo-b") >= polled + 2);
    boolean patchedAgain =
        steps.expect(!services.vulnerable(portA2, true), "demo-a: patched again after its restart");
    boolean leftAlone =
        steps.expect(
            services.vulnerable(portB2, true),
            "demo-b: deactivated, so its daemon applied nothing; its log says why:");
    Files.readString(dir.resolve("daemon-demo-b.log"))
        .lines()
        .filter(l -> l.contains("applying nothing"))
        .findFirst()
        .ifPresent(l -> out.println("   " + l));
    run(
        "fleet",
        "status",
        "--server",
        url.toString(),
        "--token-file",
        data.resolve("admin.token").toString());
    return bothVulnerable && bothFixed && patchedAgain && leftAlone;
  }

  /** A demo service the demo stops when it ends, however it ends. */
  private Process service(String jvmArg) throws IOException {
    Process service = services.start(jvmArg);
    processes.add(service);
    return service;
  }

  private void restart(Process service) throws InterruptedException {
    service.destroy();
    service.waitFor(10, TimeUnit.SECONDS);
  }

  private boolean vulnerable(int port) {
    try {
      return services.vulnerable(port, false);
    } catch (IOException e) {
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  private boolean reported(URI url, String admin, int hosts)
      throws IOException, InterruptedException {
    List<JsonObject> list = hosts(url, admin);
    return list.size() == hosts && list.stream().allMatch(h -> h.number("jvms") > 0);
  }

  private boolean patchedEverywhere(URI url, String admin)
      throws IOException, InterruptedException {
    return hosts(url, admin).stream()
        .allMatch(h -> h.number("jvms") > 0 && h.number("jvmsPatched") == h.number("jvms"));
  }

  /** The host list, as the server gives it to an admin. */
  private List<JsonObject> hosts(URI url, String admin) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url + "/api/v1/hosts"))
                .header("Authorization", "Bearer " + admin)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return JsonObject.parse(response.body()).objects("hosts");
  }

  private long cycle(String host) throws IOException {
    Path status = dir.resolve("daemon-" + host).resolve("status.json");
    return Files.exists(status) ? JsonObject.parse(Files.readString(status)).number("cycle") : 0;
  }

  /** A condition the demo waits for. */
  interface Check {
    boolean holds() throws Exception;
  }

  private void await(String what, Check check) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (check.holds()) {
        return;
      }
      Thread.sleep(250);
    }
    throw new FailureException(
        FailureCause.INTERNAL,
        "the demo waited " + WAIT.toMinutes() + " min for: " + what + "; see " + dir);
  }

  /**
   * {@code jsplice ARGS} as a process of its own (the server, a daemon), its stderr to {@code log}.
   */
  private Process jsplice(Path log, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String agent = System.getProperty(io.jsplice.client.Agents.AGENT_JAR_PROPERTY);
    if (agent != null) {
      command.add("-D" + io.jsplice.client.Agents.AGENT_JAR_PROPERTY + "=" + agent);
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Jsplice.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
    if (!args[0].equals("server")) {
      builder.redirectOutput(ProcessBuilder.Redirect.DISCARD); // the server's stdout says its URL
    }
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  private static String firstLineWith(Process process, String text)
      throws IOException, FailureException {
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = lines.readLine()) != null; ) {
      if (line.contains(text)) {
        return line;
      }
    }
    throw new FailureException(
        FailureCause.INTERNAL, "the demo's fleet server exited before it listened");
  }

  private void print(String... args) {
    List<String> quoted = new ArrayList<>();
    for (String arg : args) {
      quoted.add(arg.contains(" ") || arg.contains("*") ? "'" + arg + "'" : arg);
    }
    out.println("$ jsplice " + String.join(" ", quoted) + " &");
    out.flush();
  }

  private void run(String... args) throws FailureException {
    out.println("$ jsplice " + String.join(" ", args));
    out.flush();
    int exit = Jsplice.run(args, out, err);
    if (exit != 0) {
      throw new FailureException(
          FailureCause.INTERNAL,
          "demo step `jsplice " + args[0] + "` failed with exit code " + exit);
    }
  }
}
