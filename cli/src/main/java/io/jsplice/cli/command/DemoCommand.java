package io.jsplice.cli.command;

import io.jsplice.cli.Jsplice;
import io.jsplice.create.source.MavenArtifacts;
import io.jsplice.create.source.MavenCoordinates;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.control.FailureException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javax.tools.ToolProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jsplice demo}: the main job end to end, on a real vulnerable service. Starts a web service
 * on commons-text 1.9 (Text4Shell), shows the exploit reading a file, builds and signs the 1.9 to
 * 1.10.0 update from Maven Central, applies it to the running service, shows the exploit failing,
 * shows what runs, undoes the update and applies it again. Exits 0 only if every step behaved as it
 * should.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Patch Text4Shell in a running web service, live, end to end.")
public final class DemoCommand implements Callable<Integer> {
  private static final String VULNERABLE = "org.apache.commons:commons-text:1.9";
  private static final String FIXED = "org.apache.commons:commons-text:1.10.0";
  private static final String LANG = "org.apache.commons:commons-lang3:3.11";

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--work",
      paramLabel = "DIR",
      description = "Where to put the demo's files (default: a new temporary folder).")
  Path work;

  private PrintWriter out;
  // Built when the demo runs: picocli creates every command at start-up, and an HttpClient
  // initializes TLS, which cost every jsplice invocation about 0.3 s.
  private HttpClient http;

  @Override
  public Integer call() throws Exception {
    out = spec.commandLine().getOut();
    Path dir =
        work != null ? Files.createDirectories(work) : Files.createTempDirectory("jsplice-demo");
    step("1. A web service on commons-text 1.9 starts (it expands ${...} in names, like many do)");
    List<Path> classpath = fetch(List.of(VULNERABLE, LANG));
    Path app = compileApp(dir, classpath);
    Path secret = Files.writeString(dir.resolve("secret.txt"), "the-database-password");
    Process service = start(app, classpath);
    try {
      int port = awaitPort(service);
      out.println("   service pid " + service.pid() + ", listening on 127.0.0.1:" + port);
      String exploit = "${url:UTF-8:file://" + secret.toAbsolutePath() + "}";
      step("2. An attacker sends a name that is a lookup: " + exploit);
      boolean vulnerable =
          expect(
              greet(port, exploit).contains("the-database-password"),
              "VULNERABLE: the service read secret.txt and sent it back");

      step("3. jsplice builds a signed update from the vulnerable and the fixed release");
      Path key = dir.resolve("keys").resolve("demo");
      Files.createDirectories(key.getParent());
      run("keygen", key.toString(), "--subject", "CN=jsplice demo");
      Path update = dir.resolve("text4shell.jsplice");
      run(
          "create",
          "--from",
          VULNERABLE,
          "--to",
          FIXED,
          "--cve",
          "CVE-2022-42889",
          "--description",
          "Text4Shell: no script, dns or url lookups by default",
          "--key",
          key + ".p12",
          "-o",
          update.toString(),
          "--brief");

      step("4. jsplice applies it to the running service (no restart, jars untouched)");
      run("apply", Long.toString(service.pid()), update.toString(), "--trust", key + ".pem");
      boolean fixed =
          expect(
              !greet(port, exploit).contains("the-database-password"),
              "FIXED: the same request now gets the lookup back as text");
      run("show", Long.toString(service.pid()));

      step("5. Undo restores the old code exactly; apply puts the fix back");
      run("undo", Long.toString(service.pid()), "CVE-2022-42889");
      boolean undone =
          expect(
              greet(port, exploit).contains("the-database-password"),
              "after undo the service is vulnerable again, as before the update");
      run("apply", Long.toString(service.pid()), update.toString());
      boolean again =
          expect(!greet(port, exploit).contains("the-database-password"), "applied again: fixed");
      boolean fleet = true;
      if (FleetDemo.available()) {
        fleet = fleet(dir, key, update, app, classpath, secret);
      } else {
        step("(The fleet verbs are not in this build: no server and daemon part.)");
      }
      boolean ok = vulnerable && fixed && undone && again && fleet;
      step(ok ? "Demo succeeded. Files are in " + dir : "Demo FAILED; files are in " + dir);
      return ok ? 0 : 1;
    } finally {
      service.destroy();
      if (!service.waitFor(10, TimeUnit.SECONDS)) {
        service.destroyForcibly();
      }
    }
  }

  /** Steps 6 to 8: the same update through the fleet server and two hosts' daemons. */
  private boolean fleet(
      Path dir, Path key, Path update, Path app, List<Path> classpath, Path secret)
      throws Exception {
    String exploit = "${url:UTF-8:file://" + secret.toAbsolutePath() + "}";
    FleetDemo.Services services =
        new FleetDemo.Services() {
          @Override
          public Process start(String jvmArg) throws IOException {
            return DemoCommand.start(app, classpath, jvmArg);
          }

          @Override
          public int awaitPort(Process service) throws IOException, FailureException {
            return DemoCommand.awaitPort(service);
          }

          @Override
          public boolean vulnerable(int port, boolean show)
              throws IOException, InterruptedException {
            return greet(port, exploit, show).contains("the-database-password");
          }
        };
    FleetDemo.StepPrinter printer =
        new FleetDemo.StepPrinter() {
          @Override
          public void step(String text) {
            DemoCommand.this.step(text);
          }

          @Override
          public boolean expect(boolean condition, String what) {
            return DemoCommand.this.expect(condition, what);
          }
        };
    return new FleetDemo(
            out, new PrintWriter(spec.commandLine().getErr(), true), dir, key, update, services)
        .run(printer);
  }

  private void step(String text) {
    out.println();
    out.println("== " + text);
    out.flush();
  }

  private boolean expect(boolean condition, String what) {
    out.println("   " + (condition ? "" : "UNEXPECTED, not ") + what);
    out.flush();
    return condition;
  }

  private void run(String... args) throws FailureException {
    out.println("$ jsplice " + String.join(" ", args));
    out.flush();
    int exit = Jsplice.run(args, out, new PrintWriter(spec.commandLine().getErr(), true));
    if (exit != 0) {
      throw new FailureException(
          FailureCause.INTERNAL,
          "demo step `jsplice " + args[0] + "` failed with exit code " + exit);
    }
  }

  private static List<Path> fetch(List<String> coordinates) throws IOException {
    List<Path> jars = new ArrayList<>();
    try (MavenArtifacts maven = new MavenArtifacts()) {
      for (String c : coordinates) {
        jars.add(maven.resolve(MavenCoordinates.parse(c)));
      }
    }
    return jars;
  }

  private static Path compileApp(Path dir, List<Path> classpath)
      throws IOException, FailureException {
    Path src = Files.createDirectories(dir.resolve("app-src"));
    Path classes = Files.createDirectories(dir.resolve("app"));
    try (InputStream in =
        DemoCommand.class.getResourceAsStream("/io/jsplice/cli/demo/GreetingServer.java")) {
      Files.write(src.resolve("GreetingServer.java"), in.readAllBytes());
    }
    var javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new FailureException(
          FailureCause.BAD_REQUEST, "the demo needs a JDK (javac), not a JRE");
    }
    int status =
        javac.run(
            null,
            null,
            null,
            "-d",
            classes.toString(),
            "-cp",
            String.join(
                java.io.File.pathSeparator, classpath.stream().map(Path::toString).toList()),
            src.resolve("GreetingServer.java").toString());
    if (status != 0) {
      throw new FailureException(FailureCause.INTERNAL, "cannot compile the demo service");
    }
    return classes;
  }

  /**
   * @param jvmArgs e.g. the marker a fleet daemon selects the service by
   */
  private static Process start(Path app, List<Path> classpath, String... jvmArgs)
      throws IOException {
    List<String> cp = new ArrayList<>();
    cp.add(app.toString());
    classpath.forEach(p -> cp.add(p.toString()));
    Path javaCommand = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>();
    command.add(javaCommand.toString());
    command.addAll(List.of(jvmArgs));
    command.addAll(List.of("-cp", String.join(java.io.File.pathSeparator, cp), "GreetingServer"));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  private static int awaitPort(Process service) throws IOException, FailureException {
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(service.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = lines.readLine()) != null; ) {
      if (line.startsWith("listening on ")) {
        return Integer.parseInt(line.substring("listening on ".length()).trim());
      }
    }
    throw new FailureException(FailureCause.INTERNAL, "the demo service exited before it listened");
  }

  private String greet(int port, String name) throws IOException, InterruptedException {
    return greet(port, name, true);
  }

  private String greet(int port, String name, boolean show)
      throws IOException, InterruptedException {
    URI uri =
        URI.create(
            "http://127.0.0.1:"
                + port
                + "/greet?name="
                + URLEncoder.encode(name, StandardCharsets.UTF_8));
    if (http == null) {
      http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }
    String body =
        http.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString())
            .body()
            .strip();
    if (show) {
      out.println("   GET /greet -> " + body);
    }
    return body;
  }
}
