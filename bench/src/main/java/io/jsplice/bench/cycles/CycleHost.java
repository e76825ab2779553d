package io.jsplice.bench.cycles;

import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jars;
import io.jsplice.testkit.Jdk;
import io.jsplice.testkit.TargetJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JVM the cycles run against: an HTTP server whose handler calls the patched library ({@code
 * GET /greet}), and on stdin {@code stats N}: after two full collections, the classes HotSpot
 * counts as loaded, the metaspace in use, and the classes defined outside the JDK's own packages
 * (the application's, the agent's, what updates add; from {@code -Xlog:class+load}, leaving out the
 * new versions a redefinition parses, which HotSpot counts as loaded classes too).
 *
 * <p>Not thread-safe.
 */
final class CycleHost implements AutoCloseable {
  private static final Duration WAIT = Duration.ofMinutes(2);

  private static final String SOURCE =
      """
      import com.sun.net.httpserver.HttpServer;
      import java.io.BufferedReader;
      import java.io.InputStreamReader;
      import java.io.OutputStream;
      import java.lang.management.ManagementFactory;
      import java.lang.management.MemoryPoolMXBean;
      import java.net.InetSocketAddress;
      import java.nio.charset.StandardCharsets;
      import java.nio.file.Files;
      import java.nio.file.Path;
      import java.util.concurrent.Executors;

      public class CycleHost {
        public static void main(String[] args) throws Exception {
          HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
          server.createContext(
              "/greet",
              exchange -> {
                byte[] body = lib.Greeter.greet("x").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                  out.write(body);
                }
              });
          server.setExecutor(Executors.newFixedThreadPool(8));
          server.start();
          System.out.println("listening on " + server.getAddress().getPort() + " :ready");
          BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
          for (String line; (line = in.readLine()) != null; ) {
            String[] command = line.split(" ");
            if (command[0].equals("redefine")) {
              Class.forName("bare.BareRedefiner", true, ClassLoader.getSystemClassLoader())
                  .getMethod("redefine", String.class)
                  .invoke(null, command[2]);
              System.out.println("result-" + command[1] + ": done :end-" + command[1]);
              continue;
            }
            System.gc();
            System.gc();
            long metaspace = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
              if (pool.getName().equals("Metaspace")) {
                metaspace = pool.getUsage().getUsed();
              }
            }
            long application = 0;
            long jsplice = 0;
            try (var lines = Files.lines(Path.of(args[0]))) {
              for (String l : (Iterable<String>) lines::iterator) {
                if (!l.contains(" source: ") || l.contains("RedefineClasses__")) {
                  continue;
                }
                String name = l.substring(l.indexOf("] ") + 2);
                if (name.startsWith("io.jsplice.")) {
                  jsplice++;
                } else if (!name.startsWith("java.") && !name.startsWith("jdk.")
                    && !name.startsWith("sun.") && !name.startsWith("com.sun.")) {
                  application++;
                }
              }
            }
            System.out.println(
                "result-" + command[1] + ": "
                    + ManagementFactory.getClassLoadingMXBean().getLoadedClassCount() + " "
                    + metaspace + " " + application + " " + jsplice + " :end-" + command[1]);
          }
        }
      }
      """;

  /**
   * One reading.
   *
   * @param loadedClasses what HotSpot counts as loaded, new versions of redefined classes included
   * @param metaspaceBytes metaspace in use, after two full collections
   * @param applicationClasses classes defined in the application's packages: its own, and those an
   *     update adds there (companions, classes jsplice verifies through copies)
   * @param jspliceClasses the agent's own classes ({@code io.jsplice.*}), loaded as its code runs
   */
  record Stats(
      long loadedClasses, long metaspaceBytes, long applicationClasses, long jspliceClasses) {}

  private final TargetJvm jvm;
  private final int port;
  private final AtomicInteger requests = new AtomicInteger();

  private CycleHost(TargetJvm jvm, int port) {
    this.jvm = jvm;
    this.port = port;
  }

  static Path compile(Path dir, Path library) throws IOException {
    Compiler.deleteTree(dir);
    return Jars.writeDirectory(
        Files.createDirectories(dir),
        Compiler.with(Jdk.current())
            .options("--release", "17")
            .classpath(library)
            .compile("CycleHost.java", SOURCE));
  }

  /**
   * @param bareAgent the bare redefiner's jar, loaded with {@code -javaagent} in every host so that
   *     hosts of both kinds of cycle are alike
   */
  static CycleHost start(Jdk jdk, Path host, Path library, Path home, Path bareAgent) {
    Path classLog = home.resolve("class-load.log");
    TargetJvm jvm =
        TargetJvm.on(jdk)
            .jvmArgs(
                "-Duser.home=" + home,
                "-Dsun.net.httpserver.nodelay=true",
                "-Xlog:class+load=info:file=" + classLog,
                "-javaagent:" + bareAgent)
            .classpath(host, library)
            .mainClass("CycleHost")
            .args(classLog.toString())
            .start();
    jvm.awaitStdout(" :ready", WAIT);
    String out = jvm.stdout();
    int port =
        Integer.parseInt(out.substring(out.indexOf("listening on ") + 13, out.indexOf(" :ready")));
    return new CycleHost(jvm, port);
  }

  long pid() {
    return jvm.pid();
  }

  int port() {
    return port;
  }

  /** Redefines the classes under {@code dir} with a bare {@code redefineClasses}. */
  void redefine(Path dir) {
    int n = requests.incrementAndGet();
    jvm.sendLine("redefine " + n + " " + dir);
    jvm.awaitStdout(" :end-" + n + "\n", WAIT);
  }

  Stats stats() {
    int n = requests.incrementAndGet();
    jvm.sendLine("stats " + n);
    String end = " :end-" + n + "\n";
    jvm.awaitStdout(end, WAIT);
    String out = jvm.stdout();
    String start = "result-" + n + ": ";
    String[] parts =
        out.substring(out.lastIndexOf(start) + start.length(), out.lastIndexOf(end)).split(" ");
    return new Stats(
        Long.parseLong(parts[0]),
        Long.parseLong(parts[1]),
        Long.parseLong(parts[2]),
        Long.parseLong(parts[3]));
  }

  @Override
  public void close() {
    jvm.close();
  }
}
