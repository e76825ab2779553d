package io.jsplice.cli.command;

import static io.jsplice.cli.command.CliRun.jsplice;
import static io.jsplice.cli.command.TinyLibrary.FIX;
import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jars;
import io.jsplice.testkit.Jdk;
import io.jsplice.testkit.TargetJvm;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A load test, not a timing test: a target JVM serves HTTP requests whose handler calls the patched
 * library, clients in this JVM send requests without pause, and the update is applied and undone
 * over and over. Not one request may fail, and the answers must flip between the old and the new
 * code.
 */
class ApplyUndoUnderLoadIT {
  private static final int CYCLES = 15;
  private static final int CLIENTS = 4;
  private static final String V1 = "hello x (v1)";
  private static final String V2 = "hello x (v2)";

  /** Serves {@code GET /greet?NAME} with {@code lib.Greeter.greet(NAME)}, on 8 threads. */
  private static final String SOURCE =
      """
      import com.sun.net.httpserver.HttpServer;
      import java.io.OutputStream;
      import java.net.InetSocketAddress;
      import java.nio.charset.StandardCharsets;
      import java.util.concurrent.Executors;

      public class HttpHost {
        public static void main(String[] args) throws Exception {
          HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
          server.createContext(
              "/greet",
              exchange -> {
                String query = exchange.getRequestURI().getQuery();
                byte[] body = lib.Greeter.greet(query).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                  out.write(body);
                }
              });
          server.setExecutor(Executors.newFixedThreadPool(8));
          server.start();
          System.out.println("listening on " + server.getAddress().getPort() + " :ready");
          Thread.currentThread().join();
        }
      }
      """;

  private static Path classes;

  @TempDir Path home;

  static List<Jdk> jdks() {
    return Jdk.underTest();
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void applyAndUndoOverAndOver_theServerAnswersEveryRequest(Jdk jdk) throws Exception {
    TinyLibrary library = TinyLibrary.get();
    try (TargetJvm server =
        TargetJvm.on(jdk)
            // Without TCP_NODELAY, JDK 17's server waits on delayed ACKs: far fewer requests.
            .jvmArgs("-Duser.home=" + home, "-Dsun.net.httpserver.nodelay=true")
            .classpath(compiled(), library.jar("v1"))
            .mainClass("HttpHost")
            .start()) {
      server.awaitStdout(" :ready", LibraryHost.WAIT);
      String out = server.stdout();
      int port =
          Integer.parseInt(
              out.substring(out.indexOf("listening on ") + 13, out.indexOf(" :ready")));
      URI uri = URI.create("http://127.0.0.1:" + port + "/greet?x");
      Load load = new Load(uri);
      load.start();
      try {
        load.awaitRequests(200);
        for (int cycle = 0; cycle < CYCLES; cycle++) {
          jsplice(
                  "apply",
                  server.pid(),
                  library.fix(),
                  "--trust",
                  library.certificate(),
                  "--retries",
                  "20",
                  "--retry-delay",
                  "10")
              .succeeded();
          assertThat(load.probe()).as("after apply %d", cycle).isEqualTo(V2);
          jsplice("undo", server.pid(), FIX, "--retries", "20", "--retry-delay", "10").succeeded();
          assertThat(load.probe()).as("after undo %d", cycle).isEqualTo(V1);
        }
        load.awaitRequests(load.requests() + 200);
      } finally {
        load.stop();
      }

      System.out.printf(
          "%s: %d requests by %d clients through %d apply/undo cycles, answers %s, %d flips%n",
          jdk, load.requests(), CLIENTS, CYCLES, load.answers(), load.flips());
      assertThat(load.failures()).as("failed requests").isEmpty();
      assertThat(load.answers()).containsOnlyKeys(V1, V2);
      assertThat(load.flips()).as("times a client's answer changed").isPositive();
    }
  }

  private static synchronized Path compiled() throws IOException {
    if (classes == null) {
      Path dir = Path.of("target", "test-programs", "http-host").toAbsolutePath();
      Compiler.deleteTree(dir);
      classes =
          Jars.writeDirectory(
              Files.createDirectories(dir),
              Compiler.with(Jdk.current())
                  .options("--release", "17")
                  .classpath(TinyLibrary.get().jar("v1"))
                  .compile("HttpHost.java", SOURCE));
    }
    return classes;
  }

  /** Client threads sending one request after another, each counting what it got. */
  private static final class Load {
    private final URI uri;
    private final HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final List<Thread> threads = new ArrayList<>();
    private final Map<String, LongAdder> answers = new ConcurrentHashMap<>();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong flips = new AtomicLong();
    private volatile boolean stopped;

    Load(URI uri) {
      this.uri = uri;
    }

    void start() {
      for (int i = 0; i < CLIENTS; i++) {
        Thread thread = new Thread(this::run, "load-" + i);
        thread.setDaemon(true);
        thread.start();
        threads.add(thread);
      }
    }

    private void run() {
      String last = null;
      while (!stopped) {
        String answer;
        try {
          answer = probe();
        } catch (IOException | RuntimeException e) {
          failures.add(e.toString());
          continue;
        } catch (InterruptedException e) {
          return;
        }
        answers.computeIfAbsent(answer, a -> new LongAdder()).increment();
        if (last != null && !last.equals(answer)) {
          flips.incrementAndGet();
        }
        last = answer;
        requests.incrementAndGet();
      }
    }

    /** One request; a status other than 200 counts as a failure and returns its description. */
    String probe() throws IOException, InterruptedException {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        String failure = "HTTP " + response.statusCode() + ": " + response.body();
        failures.add(failure);
        return failure;
      }
      return response.body();
    }

    void awaitRequests(long count) throws InterruptedException {
      while (requests.get() < count && failures.isEmpty()) {
        Thread.sleep(10);
      }
    }

    void stop() throws InterruptedException {
      stopped = true;
      for (Thread thread : threads) {
        thread.join(60_000);
      }
    }

    long requests() {
      return requests.get();
    }

    long flips() {
      return flips.get();
    }

    List<String> failures() {
      return List.copyOf(failures);
    }

    Map<String, Long> answers() {
      Map<String, Long> out = new java.util.TreeMap<>();
      answers.forEach((answer, count) -> out.put(answer, count.sum()));
      return out;
    }
  }
}
