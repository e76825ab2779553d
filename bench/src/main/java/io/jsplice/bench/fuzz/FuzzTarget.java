package io.jsplice.bench.fuzz;

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
 * A long-running JVM the fuzzer applies mutants to. It loads {@code lib.Greeter} at start and
 * answers on stdin: {@code greet N} with {@code Greeter.greet("x")}; {@code loaded N} with whether
 * {@code lib.Later} is loaded (without loading it); {@code later N} with {@code Later.answer()},
 * which loads it.
 *
 * <p>Not thread-safe.
 */
final class FuzzTarget implements AutoCloseable {
  /** A guard against a hung target, not a measure: answers take milliseconds. */
  private static final Duration WAIT = Duration.ofMinutes(2);

  private static final String SOURCE =
      """
      import java.io.BufferedReader;
      import java.io.InputStreamReader;
      import java.lang.reflect.Method;

      public class FuzzHost {
        public static void main(String[] args) throws Exception {
          ClassLoader app = FuzzHost.class.getClassLoader();
          Class.forName("lib.Greeter", true, app);
          Method findLoaded = ClassLoader.class.getDeclaredMethod("findLoadedClass", String.class);
          findLoaded.setAccessible(true);
          System.out.println("ready");
          BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
          for (String line; (line = in.readLine()) != null; ) {
            String[] command = line.split(" ");
            String answer;
            try {
              answer = switch (command[0]) {
                case "greet" -> lib.Greeter.greet("x");
                case "loaded" -> String.valueOf(findLoaded.invoke(app, "lib.Later") != null);
                case "later" -> (String) Class.forName("lib.Later", true, app)
                    .getMethod("answer").invoke(null);
                default -> "unknown command " + line;
              };
            } catch (Throwable t) {
              Throwable cause = t instanceof java.lang.reflect.InvocationTargetException i ? i.getCause() : t;
              answer = "FAILED " + String.valueOf(cause).replace('\\n', ' ');
            }
            System.out.println("result-" + command[1] + ": " + answer + " :end-" + command[1]);
          }
        }
      }
      """;

  private final TargetJvm jvm;
  private final Jdk jdk;
  private final AtomicInteger requests = new AtomicInteger();

  private FuzzTarget(TargetJvm jvm, Jdk jdk) {
    this.jvm = jvm;
    this.jdk = jdk;
  }

  static Path compile(Path dir, FuzzLibrary library) throws IOException {
    Compiler.deleteTree(dir);
    return Jars.writeDirectory(
        Files.createDirectories(dir),
        Compiler.with(Jdk.current())
            .options("--release", "17")
            .classpath(library.v1Jar)
            .compile("FuzzHost.java", SOURCE));
  }

  /**
   * @param home the target's user.home, where the agent keeps its log
   */
  static FuzzTarget start(Jdk jdk, Path host, FuzzLibrary library, Path home) {
    TargetJvm jvm =
        TargetJvm.on(jdk)
            .jvmArgs("-Duser.home=" + home, "--add-opens=java.base/java.lang=ALL-UNNAMED")
            .classpath(host, library.v1Jar)
            .mainClass("FuzzHost")
            .start();
    jvm.awaitStdout("ready", WAIT);
    return new FuzzTarget(jvm, jdk);
  }

  long pid() {
    return jvm.pid();
  }

  Jdk jdk() {
    return jdk;
  }

  boolean isAlive() {
    return jvm.isAlive();
  }

  String greet() {
    return request("greet");
  }

  boolean laterLoaded() {
    return Boolean.parseBoolean(request("loaded"));
  }

  String later() {
    return request("later");
  }

  String outputs() {
    return jvm.outputs();
  }

  private String request(String command) {
    int n = requests.incrementAndGet();
    jvm.sendLine(command + " " + n);
    String end = " :end-" + n + "\n";
    jvm.awaitStdout(end, WAIT);
    String out = jvm.stdout();
    String start = "result-" + n + ": ";
    return out.substring(out.lastIndexOf(start) + start.length(), out.lastIndexOf(end));
  }

  @Override
  public void close() {
    jvm.close();
  }
}
