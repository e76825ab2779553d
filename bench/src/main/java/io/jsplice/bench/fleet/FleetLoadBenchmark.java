package io.jsplice.bench.fleet;

import io.jsplice.bench.CpuTimes;
import io.jsplice.create.UpdateCreator;
import io.jsplice.create.source.ClassSetReader;
import io.jsplice.create.source.MavenArtifacts;
import io.jsplice.create.source.MavenCoordinates;
import io.jsplice.fleet.api.Enrolment;
import io.jsplice.fleet.api.FleetJson;
import io.jsplice.fleet.api.HostReport;
import io.jsplice.fleet.api.JvmInventory;
import io.jsplice.fleet.api.LoadedArtifact;
import io.jsplice.fleet.api.RestartOutlook;
import io.jsplice.fleet.api.ServerStarted;
import io.jsplice.fleet.api.StaleVerdict;
import io.jsplice.fleet.api.client.FleetClient;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.signing.KeyGeneration;
import io.jsplice.model.signing.SigningKey;
import io.jsplice.model.signing.UpdateFile;
import io.jsplice.testkit.Postgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The fleet server under load, on loopback: simulated hosts poll their update list (conditional
 * requests with the ETag they hold, as daemons do) and some report their inventory, at a fixed
 * arrival rate (open loop: each request's latency counts from when it was due, so a server that
 * falls behind is charged for the queue). The target is 100,000 hosts polling once a minute, about
 * 1,700 polls/s, with p99 under 50 ms.
 *
 * <p>The server runs as {@code jsplice server} does, a JVM of its own with the JVM's default GC and
 * JIT, recorded by JFR; on embedded H2 and on a PostgreSQL started for the run. This harness, the
 * server and PostgreSQL share the machine's cores: the table says how much CPU each used, and what
 * one request cost the server and its database ({@code CPU us/req}), the figure that latency on a
 * busy machine hides.
 *
 * <p>Run: {@code ./mvnw -B -ntp verify -pl bench -am -Pbench-fleet -DskipTests}; options {@code
 * --hosts 20000 --rates 500,1000,1700,2500 --seconds 20 --reports 0.01 --backends h2,postgresql
 * --settle 0}; {@code --settle S} leaves the H2 server idle for S seconds after the load and prints
 * the size of {@code fleet.mv.db} then (H2 reuses a dead chunk only once it is 45 s old).
 */
public final class FleetLoadBenchmark {
  private static final String GROUP = "org.apache.commons";

  /**
   * Concurrent requests at most: a fleet's polls are spread, a few hundred hosts at once at most.
   */
  private static final int SENDERS = 64;

  private final Path work;
  private final int hosts;
  private final double reportShare;
  private final int seconds;
  private final int settleSeconds;

  private FleetLoadBenchmark(
      Path work, int hosts, double reportShare, int seconds, int settleSeconds) {
    this.work = work;
    this.hosts = hosts;
    this.reportShare = reportShare;
    this.seconds = seconds;
    this.settleSeconds = settleSeconds;
  }

  /** Runs the benchmark; exits 1 with the failure if it cannot finish. */
  public static void main(String[] args) {
    try {
      measure(args);
    } catch (Exception | Error e) {
      e.printStackTrace();
      System.exit(1); // the simulated hosts' threads would keep the JVM alive
    }
    System.exit(0);
  }

  private static void measure(String[] args) throws Exception {
    Path work = Path.of(option(args, "--work", "target/fleet-bench")).toAbsolutePath();
    int hosts = Integer.parseInt(option(args, "--hosts", "20000"));
    int seconds = Integer.parseInt(option(args, "--seconds", "20"));
    double reports = Double.parseDouble(option(args, "--reports", "0.01"));
    int[] rates =
        Arrays.stream(option(args, "--rates", "500,1000,1700,2500").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    List<String> backends = List.of(option(args, "--backends", "h2,postgresql").split(","));
    Files.createDirectories(work);
    int settle = Integer.parseInt(option(args, "--settle", "0"));
    FleetLoadBenchmark bench = new FleetLoadBenchmark(work, hosts, reports, seconds, settle);
    Path update = bench.signedUpdate();
    List<String> report = new ArrayList<>();
    report.add(
        String.format(
            Locale.ROOT,
            "fleet server load: %d hosts, %.0f%% of requests are reports, %d s per rate,"
                + " %d cores, %s",
            hosts,
            reports * 100,
            seconds,
            Runtime.getRuntime().availableProcessors(),
            Runtime.version()));
    for (String backend : backends) {
      report.addAll(bench.run(backend, update.resolveSibling("trusted.pem"), update, rates));
    }
    report.forEach(System.out::println);
    Files.write(work.resolve("fleet-load.txt"), report);
  }

  private static String option(String[] args, String name, String fallback) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }

  /** The commons-text 1.9 -> 1.10.0 update, signed by a key made for the run. */
  private Path signedUpdate() throws Exception {
    Path file = work.resolve("update.jsplice");
    try (MavenArtifacts maven =
        new MavenArtifacts(MavenArtifacts.defaultLocalRepository(), false)) {
      UpdatePackage update =
          UpdateCreator.create(
                  ClassSetReader.read(
                      maven.resolve(MavenCoordinates.parse(GROUP + ":commons-text:1.9"))),
                  ClassSetReader.read(
                      maven.resolve(MavenCoordinates.parse(GROUP + ":commons-text:1.10.0"))),
                  new UpdateCreator.Request(
                      "CVE-2022-42889",
                      "Text4Shell",
                      List.of("CVE-2022-42889"),
                      List.of(),
                      null,
                      List.of()))
              .update();
      Path keyStore = work.resolve("bench.p12");
      Files.deleteIfExists(keyStore);
      Files.deleteIfExists(work.resolve("trusted.pem"));
      SigningKey key =
          KeyGeneration.generate(
              keyStore, "fleet-bench".toCharArray(), "CN=fleet bench", work.resolve("trusted.pem"));
      UpdateFile.write(update, key, file);
    }
    return file;
  }

  private List<String> run(String backend, Path trust, Path update, int[] rates) throws Exception {
    Path data = work.resolve("server-" + backend);
    deleteTree(data);
    List<String> args =
        new ArrayList<>(
            List.of(
                "server",
                "--data",
                data.toString(),
                "--port",
                "0",
                "--json",
                "--trust",
                trust.toString()));
    List<Long> database = List.of();
    if (backend.equals("postgresql")) {
      String url = Postgres.get().newDatabase("bench");
      Path password = work.resolve("pg.password");
      Files.writeString(password, Postgres.PASSWORD + "\n");
      args.addAll(
          List.of(
              "--db",
              url,
              "--db-user",
              Postgres.USER,
              "--db-password-file",
              password.toString(),
              "--db-pool",
              "16"));
    }
    Path recording = work.resolve("server-" + backend + ".jfr");
    Files.deleteIfExists(recording);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    command.add(
        "-XX:StartFlightRecording=filename="
            + recording
            + ",settings=profile,jdk.ExecutionSample#period=2ms,dumponexit=true");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.jsplice.cli.Jsplice");
    command.addAll(args);
    Process server =
        new ProcessBuilder(command)
            .redirectError(work.resolve("server-" + backend + ".log").toFile())
            .start();
    List<String> out = new ArrayList<>();
    Instant measuredFrom = Instant.MAX;
    Instant measuredTo = Instant.MIN;
    try {
      URI url = url(server);
      String admin = Files.readString(data.resolve("admin.token")).strip();
      String enrolKey = Files.readString(data.resolve("enrol.key")).strip();
      FleetClient.of(url, admin).publish(Files.readAllBytes(update));
      long enrolStart = System.nanoTime();
      List<Host> fleet = enrol(url, enrolKey);
      double enrolSeconds = (System.nanoTime() - enrolStart) / 1e9;
      long afterEnrolment = databaseFileSize(data);
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      run(http, url, fleet, 1000, Math.min(10, seconds)); // warm-up, not reported
      out.add("");
      out.add(backend.equals("h2") ? "embedded H2" : "PostgreSQL " + "(pool 16)");
      out.add(
          String.format(
              Locale.ROOT,
              "  enrolment (enrol, report, poll): %d hosts in %.1f s, %.0f hosts/s",
              fleet.size(),
              enrolSeconds,
              fleet.size() / enrolSeconds));
      out.add(
          String.format(
              "  %8s %10s %8s %8s %8s %8s %7s %12s %6s   %s",
              "target/s",
              "achieved/s",
              "p50 ms",
              "p99 ms",
              "p99.9",
              "max ms",
              "errors",
              "CPU us/req",
              "load",
              "CPU s: server / database / load generator"));
      if (backend.equals("postgresql")) {
        database = CpuTimes.processesWith("jsplice-postgres-"); // the pool's backends exist now
      }
      measuredFrom = Instant.now();
      for (int rate : rates) {
        double serverBefore = CpuTimes.of(server.pid());
        double dbBefore = CpuTimes.of(database);
        double selfBefore = selfCpu();
        Result result = run(http, url, fleet, rate, seconds);
        double serverCpu = CpuTimes.of(server.pid()) - serverBefore;
        double dbCpu = CpuTimes.of(database) - dbBefore;
        out.add(
            String.format(
                Locale.ROOT,
                "  %8d %10.0f %8.1f %8.1f %8.1f %8.1f %7d %12.0f %6s   %.1f / %.1f / %.1f",
                rate,
                result.achieved(),
                result.percentile(50),
                result.percentile(99),
                result.percentile(99.9),
                result.percentile(100),
                result.errors(),
                (serverCpu + dbCpu) * 1e6 / result.latencies().length,
                loadAverage(),
                serverCpu,
                dbCpu,
                selfCpu() - selfBefore));
        System.out.println(out.get(out.size() - 1));
      }
      measuredTo = Instant.now();
      if (backend.equals("h2")) {
        out.add(
            String.format(
                Locale.ROOT,
                "  fleet.mv.db: %.1f MB after enrolment, %.1f MB after the load",
                afterEnrolment / 1e6,
                databaseFileSize(data) / 1e6));
      }
      if (backend.equals("h2") && settleSeconds > 0) {
        Thread.sleep(settleSeconds * 1000L); // a measured idle period, not a wait for a condition
        out.add(
            String.format(
                Locale.ROOT,
                "  fleet.mv.db: %.1f MB after %d s without requests",
                databaseFileSize(data) / 1e6,
                settleSeconds));
      }
    } finally {
      server.destroy(); // SIGTERM: the shutdown hooks run and JFR writes the recording
      server.waitFor(2, TimeUnit.MINUTES);
    }
    if (backend.equals("h2")) {
      out.add(
          String.format(
              Locale.ROOT,
              "  fleet.mv.db: %.1f MB after the server stopped (H2 compacts for 200 ms at close)",
              databaseFileSize(data) / 1e6));
    }
    if (Files.exists(recording)) {
      out.add("  where the server's time went (JFR):");
      out.addAll(JfrProfile.summarize(recording, measuredFrom, measuredTo));
    }
    return out;
  }

  /** The size of the embedded H2 file in {@code data}; 0 when there is none (PostgreSQL). */
  private static long databaseFileSize(Path data) throws IOException {
    Path file = data.resolve("fleet.mv.db");
    return Files.exists(file) ? Files.size(file) : 0;
  }

  /** The machine's one-minute load average: other work competing for the cores. */
  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "?";
    }
  }

  private static double selfCpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime()
        / 1e9;
  }

  private static URI url(Process server) throws IOException {
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = lines.readLine()) != null; ) {
      if (line.contains("\"url\"")) {
        ServerStarted started =
            FleetJson.read(line.getBytes(StandardCharsets.UTF_8), ServerStarted.class);
        return URI.create(started.url());
      }
    }
    throw new IOException("the server exited before it listened");
  }

  /** One simulated host: its secret, its report, and the ETag of the list it holds. */
  private static final class Host {
    final String secret;
    final byte[] report;
    volatile String etag;

    Host(String secret, byte[] report) {
      this.secret = secret;
      this.report = report;
    }
  }

  /**
   * Enrols the hosts and has each report once and poll once, as a daemon's first poll does. One
   * HTTP client for all (a client per simulated host would start a selector thread per host).
   */
  private List<Host> enrol(URI url, String enrolKey) throws Exception {
    List<Host> fleet = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService threads = Executors.newFixedThreadPool(16);
    FleetClient enroller = FleetClient.of(url, enrolKey);
    AtomicInteger next = new AtomicInteger();
    List<CompletableFuture<Void>> done = new ArrayList<>();
    try {
      for (int t = 0; t < 16; t++) {
        done.add(
            CompletableFuture.runAsync(
                () -> {
                  for (int i; (i = next.getAndIncrement()) < hosts; ) {
                    try {
                      String secret =
                          enroller.enrol(new Enrolment("host-" + i, null, null, null)).secret();
                      byte[] report = FleetJson.write(report(i));
                      FleetClient host = enroller.withCredential(secret);
                      host.report(FleetJson.read(report, HostReport.class));
                      Host h = new Host(secret, report);
                      h.etag = host.updates(null).etag();
                      fleet.add(h);
                    } catch (Exception e) {
                      throw new IllegalStateException("enrolling host-" + i + ": " + e, e);
                    }
                  }
                },
                threads));
      }
      CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();
    } finally {
      threads.shutdownNow();
    }
    return new ArrayList<>(fleet);
  }

  /** Three JVMs: two on a vulnerable release (one patched), one on the fixed release. */
  private static HostReport report(int host) {
    List<JvmInventory> jvms = new ArrayList<>();
    for (int j = 0; j < 3; j++) {
      String version = j == 2 ? "1.10.0" : "1.9";
      jvms.add(
          new JvmInventory(
              (1000 + j) + "@" + host,
              1000 + j,
              "com.example.Service" + j,
              "java -jar service" + j + ".jar",
              "17.0.10",
              Instant.ofEpochMilli(1_700_000_000_000L),
              j == 0,
              null,
              List.of(
                  new LoadedArtifact(
                      GROUP, "commons-text", version, j == 0 ? "1.10.0" : null, "/srv/lib/t.jar"),
                  new LoadedArtifact(GROUP, "commons-lang3", "3.12.0", null, "/srv/lib/l.jar"),
                  new LoadedArtifact(
                      "com.fasterxml.jackson.core",
                      "jackson-databind",
                      "2.15.2",
                      null,
                      "/srv/lib/j.jar")),
              j == 0
                  ? List.of(
                      new io.jsplice.fleet.api.JvmUpdate("CVE-2022-42889", null, "root", false))
                  : List.of(),
              StaleVerdict.CURRENT,
              RestartOutlook.SAME));
    }
    return new HostReport(UUID.randomUUID().toString(), Instant.now(), "bench", jvms, List.of());
  }

  /**
   * Latencies of one run, in ms from when each request was due.
   *
   * @param achieved completed requests per second
   */
  private record Result(double[] latencies, double achieved, int errors) {
    double percentile(double p) {
      if (latencies.length == 0) {
        return Double.NaN;
      }
      int index = (int) Math.ceil(p / 100.0 * latencies.length) - 1;
      return latencies[Math.max(0, Math.min(latencies.length - 1, index))];
    }
  }

  /**
   * Sends {@code rate} requests a second for {@code seconds}, round-robin over the hosts: a pacing
   * thread hands each request, with the time it is due, to a pool of senders that each hold a
   * keep-alive connection; a request waiting for a free sender is charged the wait.
   */
  private Result run(HttpClient http, URI url, List<Host> fleet, int rate, int seconds)
      throws Exception {
    int total = rate * seconds;
    double[] latencies = new double[total];
    AtomicInteger errors = new AtomicInteger();
    AtomicInteger completed = new AtomicInteger();
    java.util.concurrent.BlockingQueue<long[]> due =
        new java.util.concurrent.LinkedBlockingQueue<>();
    int reportEvery = reportShare <= 0 ? Integer.MAX_VALUE : (int) Math.round(1 / reportShare);
    List<Thread> senders = new ArrayList<>();
    for (int t = 0; t < SENDERS; t++) {
      Thread sender =
          new Thread(
              () -> {
                try {
                  for (long[] job; (job = due.take())[0] >= 0; ) {
                    int index = (int) job[0];
                    Host host = fleet.get(index % fleet.size());
                    boolean reporting = index % reportEvery == reportEvery - 1;
                    int status;
                    try {
                      status =
                          http.send(
                                  reporting ? reportRequest(url, host) : pollRequest(url, host),
                                  HttpResponse.BodyHandlers.discarding())
                              .statusCode();
                    } catch (IOException e) {
                      status = 0;
                    }
                    latencies[index] = (System.nanoTime() - job[1]) / 1e6;
                    completed.incrementAndGet();
                    if (status != 304 && status != 200) {
                      errors.incrementAndGet();
                    }
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "sender-" + t);
      sender.start();
      senders.add(sender);
    }
    long interval = 1_000_000_000L / rate;
    long start = System.nanoTime() + 50_000_000L;
    for (int i = 0; i < total; i++) {
      long when = start + i * interval;
      long wait = when - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      due.add(new long[] {i, when});
    }
    for (int t = 0; t < SENDERS; t++) {
      due.add(new long[] {-1, 0});
    }
    for (Thread sender : senders) {
      sender.join();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    Arrays.sort(latencies);
    return new Result(latencies, completed.get() / elapsed, errors.get());
  }

  private static HttpRequest pollRequest(URI url, Host host) {
    return HttpRequest.newBuilder(URI.create(url + "/api/v1/host/updates"))
        .header("Authorization", "Bearer " + host.secret)
        .header("If-None-Match", host.etag)
        .timeout(Duration.ofSeconds(60))
        .GET()
        .build();
  }

  /** A report of the same inventory under a new id, as a daemon's heartbeat sends it. */
  private static HttpRequest reportRequest(URI url, Host host) {
    String json = new String(host.report, StandardCharsets.UTF_8);
    String fresh = json.replaceFirst("\"id\":\"[^\"]+\"", "\"id\":\"" + UUID.randomUUID() + "\"");
    return HttpRequest.newBuilder(URI.create(url + "/api/v1/host/report"))
        .header("Authorization", "Bearer " + host.secret)
        .header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofString(fresh))
        .build();
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var files = Files.walk(dir)) {
      for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }
}
