package io.jsplice.fleet.cli;

import io.jsplice.fleet.testkit.TestUpdates;
import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jars;
import io.jsplice.testkit.Jdk;
import io.jsplice.testkit.TargetJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A service on two vulnerable releases of the development corpus, commons-text 1.9 (Text4Shell) and
 * jettison 1.5.0 (a stack overflow on malformed JSON), that answers probes on stdin: {@code text}
 * expands {@code ${dns:address|localhost}} with the interpolator it built at start (an address
 * while vulnerable, the text unchanged once fixed), {@code json} parses <code>{/</code>
 * (StackOverflowError while vulnerable, a JSONException once fixed). It uses both libraries before
 * it says "ready", so their classes are loaded before any update arrives.
 *
 * <p>Started as one host's JVM: {@code -Dfleet.host=NAME@RUN} on its command line (RUN this test
 * run's) is what that host's daemon selects.
 */
final class FleetTarget implements AutoCloseable {
  static final String FIXED_TEXT = "${dns:address|localhost}";
  static final String FIXED_JSON = "JSONException: The JSON text is malformed at character 2 of {/";
  static final String VULNERABLE_JSON = "StackOverflowError";

  static final String SOURCE =
      """
      import java.io.BufferedReader;
      import java.io.InputStreamReader;
      import org.apache.commons.text.StringSubstitutor;
      public class FleetService {
        static final StringSubstitutor INTERPOLATOR = StringSubstitutor.createInterpolator();
        public static void main(String[] args) throws Exception {
          text();
          json();
          BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
          System.out.println("ready");
          for (String line; (line = in.readLine()) != null; ) {
            String[] probe = line.split(" ", 2);
            String result = probe[1].equals("text") ? text() : json();
            System.out.println(probe[0] + " -> " + result);
          }
        }
        static String text() {
          try {
            return INTERPOLATOR.replace("${dns:address|localhost}");
          } catch (RuntimeException e) {
            return "error " + e;
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
  private final String host;

  private FleetTarget(TargetJvm jvm, String host) {
    this.jvm = jvm;
    this.host = host;
  }

  /** The compiled service, a class directory. */
  static synchronized Path app() {
    if (app == null) {
      try {
        Path dir = Files.createDirectories(Path.of("target", "fleet-target")).toAbsolutePath();
        Jars.writeDirectory(
            dir,
            Compiler.with(Jdk.current())
                .options("--release", "17")
                .classpath(TestUpdates.get().commonsText19(), TestUpdates.jettison().vulnerable())
                .compile("FleetService.java", SOURCE));
        app = dir;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return app;
  }

  /**
   * The test JVM's pid: other test runs on the machine (another checkout's) start JVMs of a
   * "host-a" too, and a daemon must never select theirs.
   */
  private static final String RUN = Long.toString(ProcessHandle.current().pid());

  /** What a JVM of {@code host} started by this test run has on its command line. */
  static String marker(String host) {
    return "-Dfleet.host=" + host + "@" + RUN;
  }

  /**
   * Starts the service as a JVM of host {@code host}.
   *
   * @param agentOptions the agent's options to start it with ({@code -javaagent}); null for none
   */
  static FleetTarget start(String host, Jdk jdk, String agentOptions) {
    List<String> jvmArgs = new ArrayList<>();
    jvmArgs.add(marker(host));
    if (agentOptions != null) {
      jvmArgs.add("-javaagent:" + JspliceProcess.agentJar() + "=" + agentOptions);
    }
    TargetJvm jvm =
        TargetJvm.on(jdk)
            .jvmArgs(jvmArgs.toArray(String[]::new))
            .classpath(
                app(),
                TestUpdates.get().commonsText19(),
                TestUpdates.get().commonsLang3(),
                TestUpdates.jettison().vulnerable())
            .mainClass("FleetService")
            .start();
    jvm.awaitStdout("ready", Await.LONG);
    return new FleetTarget(jvm, host);
  }

  long pid() {
    return jvm.pid();
  }

  String host() {
    return host;
  }

  /** What the service answers to {@code probe} ({@code text} or {@code json}) now. */
  String ask(String probe) {
    String id = "p" + PROBES.incrementAndGet();
    jvm.sendLine(id + " " + probe);
    String prefix = id + " -> ";
    jvm.awaitStdout(prefix, Duration.ofMinutes(2));
    return jvm.stdout()
        .lines()
        .filter(l -> l.startsWith(prefix))
        .findFirst()
        .orElseThrow()
        .substring(prefix.length());
  }

  boolean textFixed() {
    return ask("text").equals(FIXED_TEXT);
  }

  boolean jsonFixed() {
    return ask("json").equals(FIXED_JSON);
  }

  String outputs() {
    return jvm.outputs();
  }

  @Override
  public void close() {
    jvm.close();
  }
}
