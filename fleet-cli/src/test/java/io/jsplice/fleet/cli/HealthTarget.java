package io.jsplice.fleet.cli;

import io.jsplice.fleet.testkit.TestUpdates;
import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jars;
import io.jsplice.testkit.Jdk;
import io.jsplice.testkit.TargetJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A service on jettison 1.5.0 with an HTTP health URL that the jettison fix breaks: {@code /health}
 * answers 200 while the parser still recurses on <code>{/</code> (the vulnerable release) and 500
 * once it rejects it (the fixed code is in force). A health gate watching it must undo the update.
 * It answers {@code json} probes on stdin as {@link FleetTarget} does.
 *
 * <p>Started as one host's JVM: {@code -Dfleet.host=NAME@RUN} on its command line ({@link
 * FleetTarget#marker}), which only this test run's daemons select.
 */
final class HealthTarget implements AutoCloseable {
  static final String SOURCE =
      """
      import com.sun.net.httpserver.HttpServer;
      import java.io.BufferedReader;
      import java.io.InputStreamReader;
      import java.net.InetSocketAddress;
      import java.nio.charset.StandardCharsets;
      public class HealthService {
        public static void main(String[] args) throws Exception {
          json();
          HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
          server.createContext("/health", exchange -> {
            boolean fixed = json().startsWith("JSONException");
            byte[] body = (fixed ? "the parser changed under me" : "ok").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(fixed ? 500 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
          });
          server.start();
          System.out.println("health " + server.getAddress().getPort());
          BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
          System.out.println("ready");
          for (String line; (line = in.readLine()) != null; ) {
            String[] probe = line.split(" ", 2);
            System.out.println(probe[0] + " -> " + json());
          }
        }
        static String json() {
          try {
            new org.codehaus.jettison.json.JSONObject("{/");
            return "parsed";
          } catch (StackOverflowError e) {
            return "StackOverflowError";
          } catch (Exception e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
          }
        }
      }
      """;
  private static final AtomicInteger PROBES = new AtomicInteger();
  private static Path app;

  private final TargetJvm jvm;
  private final int healthPort;

  private HealthTarget(TargetJvm jvm, int healthPort) {
    this.jvm = jvm;
    this.healthPort = healthPort;
  }

  static synchronized Path app() {
    if (app == null) {
      try {
        Path dir = Files.createDirectories(Path.of("target", "health-target")).toAbsolutePath();
        Jars.writeDirectory(
            dir,
            Compiler.with(Jdk.current())
                .options("--release", "17")
                .classpath(TestUpdates.jettison().vulnerable())
                .compile("HealthService.java", SOURCE));
        app = dir;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return app;
  }

  static HealthTarget start(String host) {
    TargetJvm jvm =
        TargetJvm.on(Jdk.current())
            .jvmArgs(FleetTarget.marker(host))
            .classpath(app(), TestUpdates.jettison().vulnerable())
            .mainClass("HealthService")
            .start();
    jvm.awaitStdout("ready", Await.LONG);
    String line =
        jvm.stdout().lines().filter(l -> l.startsWith("health ")).findFirst().orElseThrow();
    return new HealthTarget(jvm, Integer.parseInt(line.substring("health ".length()).strip()));
  }

  long pid() {
    return jvm.pid();
  }

  URI healthUrl() {
    return URI.create("http://127.0.0.1:" + healthPort + "/health");
  }

  /** The health URL's status now. */
  int health() {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(healthUrl()).timeout(Duration.ofMinutes(1)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  String json() {
    String id = "h" + PROBES.incrementAndGet();
    jvm.sendLine(id + " json");
    String prefix = id + " -> ";
    jvm.awaitStdout(prefix, Duration.ofMinutes(2));
    return jvm.stdout()
        .lines()
        .filter(l -> l.startsWith(prefix))
        .findFirst()
        .orElseThrow()
        .substring(prefix.length());
  }

  boolean fixed() {
    return json().equals(FleetTarget.FIXED_JSON);
  }

  String outputs() {
    return jvm.outputs();
  }

  @Override
  public void close() {
    jvm.close();
  }
}
