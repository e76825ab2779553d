package io.jsplice.cli.command;

import io.jsplice.model.json.JsonObject;
import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jars;
import io.jsplice.testkit.Jdk;
import io.jsplice.testkit.TargetJvm;
import io.jsplice.testkit.TestUsers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A target JVM that runs the {@link TinyLibrary} and says, when asked on its stdin, what the
 * library's code answers in each class loader that loaded it: the application class loader, and any
 * number of {@code URLClassLoader}s, each over its own jar and not delegating to the application's.
 *
 * <p>Thread-safe.
 */
final class LibraryHost implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(30);

  /**
   * Commands, one per line on stdin: {@code call N} prints {@code result-N: LOADER=ANSWER; ...
   * :end-N} with {@code Greeter.greet("x")} in each loader; {@code hold} starts thread "holder"
   * inside {@code Greeter.hold} and prints {@code holding}; {@code release} lets it return; {@code
   * spin} starts thread "spinner" running {@code Spinner.run}; {@code shape N} prints the
   * superclass of {@code Shape}; {@code tally N} prints {@code new Tally().add(1)} in each loader;
   * {@code loader N NAME JAR} adds a loader over JAR; {@code apm-retransform} asks the test APM
   * agent to instrument again; {@code later N LOADER} prints {@code lib.Later.answer()} in the
   * named loader; {@code laterjar N JAR} prints it in a new loader over JAR.
   */
  private static final String SOURCE =
      """
      import java.io.BufferedReader;
      import java.io.InputStreamReader;
      import java.net.URL;
      import java.net.URLClassLoader;
      import java.nio.file.Path;
      import java.util.LinkedHashMap;
      import java.util.Map;
      import java.util.concurrent.CountDownLatch;

      public class LibraryHost {
        public static void main(String[] args) throws Exception {
          Map<String, ClassLoader> loaders = new LinkedHashMap<>();
          loaders.put("app", LibraryHost.class.getClassLoader());
          for (String arg : args) {
            String[] nameAndJar = arg.split("=", 2);
            URL[] jar = {Path.of(nameAndJar[1]).toUri().toURL()};
            loaders.put(
                nameAndJar[0],
                new URLClassLoader(nameAndJar[0], jar, ClassLoader.getPlatformClassLoader()));
          }
          for (ClassLoader loader : loaders.values()) {
            load(loader);
          }
          CountDownLatch release = new CountDownLatch(1);
          System.out.println("ready");
          BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
          for (String line; (line = in.readLine()) != null; ) {
            String[] command = line.split(" ");
            switch (command[0]) {
              case "call" -> {
                StringBuilder out = new StringBuilder();
                for (Map.Entry<String, ClassLoader> loader : loaders.entrySet()) {
                  Object answer =
                      loader.getValue().loadClass("lib.Greeter")
                          .getMethod("greet", String.class)
                          .invoke(null, "x");
                  out.append(out.length() == 0 ? "" : "; ")
                      .append(loader.getKey()).append('=').append(answer);
                }
                System.out.println(
                    "result-" + command[1] + ": " + out + " :end-" + command[1]);
              }
              case "hold" -> {
                CountDownLatch entered = new CountDownLatch(1);
                Thread holder =
                    new Thread(
                        () -> {
                          try {
                            System.out.println(
                                "holder got: " + lib.Greeter.hold(entered, release)
                                    + " :end-holder");
                          } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                          }
                        },
                        "holder");
                holder.setDaemon(true);
                holder.start();
                entered.await();
                System.out.println("holding");
              }
              case "release" -> release.countDown();
              case "spin" -> {
                lib.Spinner spinner = new lib.Spinner();
                Thread thread = new Thread(spinner, "spinner");
                thread.setDaemon(true);
                thread.start();
                spinner.started.await();
                System.out.println("spinning");
              }
              case "shape" -> {
                System.out.println(
                    "result-" + command[1] + ": shape extends "
                        + lib.Shape.class.getSuperclass().getName() + " :end-" + command[1]);
              }
              case "tally" -> {
                StringBuilder out = new StringBuilder();
                for (Map.Entry<String, ClassLoader> loader : loaders.entrySet()) {
                  Object answer;
                  try {
                    Object tally =
                        loader.getValue().loadClass("lib.Tally").getConstructor().newInstance();
                    answer = tally.getClass().getMethod("add", int.class).invoke(tally, 1);
                  } catch (java.lang.reflect.InvocationTargetException e) {
                    answer = "FAILED " + e.getCause();
                  }
                  out.append(out.length() == 0 ? "" : "; ")
                      .append(loader.getKey()).append('=').append(answer);
                }
                System.out.println(
                    "result-" + command[1] + ": " + out + " :end-" + command[1]);
              }
              case "loader" -> {
                URL[] jar = {Path.of(command[3]).toUri().toURL()};
                ClassLoader loader =
                    new URLClassLoader(command[2], jar, ClassLoader.getPlatformClassLoader());
                load(loader);
                loaders.put(command[2], loader);
                System.out.println(
                    "result-" + command[1] + ": loaded :end-" + command[1]);
              }
                            case "echo" -> {
                System.out.println(
                    "result-" + command[1] + ": " + lib.Greeter.echo("x") + " :end-" + command[1]);
              }
              case "later" -> {
                System.out.println(
                    "result-" + command[1] + ": " + later(loaders.get(command[2]))
                        + " :end-" + command[1]);
              }
              case "laterjar" -> {
                URL[] jar = {Path.of(command[2]).toUri().toURL()};
                ClassLoader loader =
                    new URLClassLoader("later-" + command[1], jar, ClassLoader.getPlatformClassLoader());
                System.out.println(
                    "result-" + command[1] + ": " + later(loader) + " :end-" + command[1]);
              }
              case "apm-retransform" -> {
                Class.forName("apm.Apm", true, ClassLoader.getSystemClassLoader())
                    .getMethod("retransform").invoke(null);
                System.out.println("apm retransformed");
              }
              default -> System.out.println("unknown command: " + line);
            }
          }
        }

        /** lib.Later.answer() in the loader (which loads it then), or FAILED and the error. */
        private static String later(ClassLoader loader) {
          try {
            return (String) Class.forName("lib.Later", true, loader).getMethod("answer").invoke(null);
          } catch (java.lang.reflect.InvocationTargetException e) {
            return "FAILED " + e.getCause();
          } catch (ReflectiveOperationException | LinkageError e) {
            return "FAILED " + e;
          }
        }

        private static void load(ClassLoader loader) throws ClassNotFoundException {
          for (String name :
              new String[] {"lib.Greeter", "lib.Spinner", "lib.Shape", "lib.Tally"}) {
            Class.forName(name, true, loader);
          }
        }
      }
      """;

  private static Path classes;

  private final TargetJvm jvm;
  private final Path home;
  private final AtomicInteger requests = new AtomicInteger();

  private LibraryHost(TargetJvm jvm, Path home) {
    this.jvm = jvm;
    this.home = home;
  }

  /** What to start. */
  static Builder on(Jdk jdk) {
    return new Builder(jdk);
  }

  long pid() {
    return jvm.pid();
  }

  TargetJvm jvm() {
    return jvm;
  }

  /** {@code Greeter.greet("x")} in the application class loader. */
  String greet() {
    return greetByLoader().get("app");
  }

  /** {@code Greeter.greet("x")} in each loader, by loader name ("app" first). */
  Map<String, String> greetByLoader() {
    Map<String, String> out = new LinkedHashMap<>();
    for (String part : request("call").split("; ")) {
      String[] nameAndAnswer = part.split("=", 2);
      out.put(nameAndAnswer[0], nameAndAnswer[1]);
    }
    return out;
  }

  /** {@code new Tally().add(1)} in each loader, by loader name, or "FAILED" and the error. */
  Map<String, String> tallyByLoader() {
    Map<String, String> out = new LinkedHashMap<>();
    for (String part : request("tally").split("; ")) {
      String[] nameAndAnswer = part.split("=", 2);
      out.put(nameAndAnswer[0], nameAndAnswer[1]);
    }
    return out;
  }

  /** Creates a URLClassLoader named {@code name} over {@code jar} now, and loads the library. */
  void addLoader(String name, Path jar) {
    request("loader", name + " " + jar);
  }

  /**
   * {@code lib.Later.answer()} in the loader named {@code loader} ("app" for the application's),
   * which loads it the first time; "FAILED" and the error if it throws.
   */
  String later(String loader) {
    return request("later", loader);
  }

  /**
   * {@code lib.Later.answer()} in a new URLClassLoader over {@code jar}, created now: a loader
   * nothing of jsplice has seen before.
   */
  String laterInANewLoader(Path jar) {
    return request("laterjar", jar.toString());
  }

  /** The superclass {@code lib.Shape} runs with. */
  String shapeSuperclass() {
    return request("shape").substring("shape extends ".length());
  }

  /** Starts thread "holder" and returns once it is inside {@code Greeter.hold}. */
  void hold() {
    jvm.sendLine("hold");
    jvm.awaitStdout("holding", WAIT);
  }

  /** Lets the holder return; returns what {@code Greeter.hold} answered it. */
  String release() {
    jvm.sendLine("release");
    jvm.awaitStdout(" :end-holder\n", WAIT);
    String out = jvm.stdout();
    int start = out.indexOf("holder got: ") + "holder got: ".length();
    return out.substring(start, out.indexOf(" :end-holder", start));
  }

  /** Starts thread "spinner", whose outermost frame is {@code Spinner.run}, which never returns. */
  void spin() {
    jvm.sendLine("spin");
    jvm.awaitStdout("spinning", WAIT);
  }

  /** {@code Greeter.echo("x")} in the application class loader. */
  String echo() {
    return request("echo");
  }

  /** Asks the test APM agent to retransform {@code lib.Greeter} again. */
  void apmRetransform() {
    jvm.sendLine("apm-retransform");
    jvm.awaitStdout("apm retransformed", WAIT);
  }

  /**
   * Runs {@code jsplice apply} on this JVM with the library's trusted certificate and quick retries
   * (2, 10 ms apart), then {@code options}.
   */
  CliRun apply(Path update, String... options) {
    return applyTo(jvm.pid(), update, options);
  }

  static CliRun applyTo(long pid, Path update, String... options) {
    List<Object> args = new ArrayList<>();
    Collections.addAll(args, "apply", pid, update, "--trust", TinyLibrary.get().certificate());
    Collections.addAll(args, "--retries", "2", "--retry-delay", "10");
    args.addAll(List.of(options));
    return CliRun.jsplice(args.toArray());
  }

  /** Runs {@code jsplice undo} on this JVM. */
  CliRun undo(String updateId) {
    return CliRun.jsplice("undo", jvm.pid(), updateId);
  }

  /** The ids of the updates {@code jsplice show} reports, oldest first. */
  List<String> appliedUpdates() {
    CliRun show = CliRun.jsplice("show", jvm.pid(), "--json").succeeded();
    return JsonObject.parse(show.out()).objects("updates").stream()
        .map(u -> u.string("id"))
        .toList();
  }

  /** The jsplice agent's log, for assertion messages; empty if it wrote none. */
  String agentLog() {
    Path log = home.resolve(".jsplice/state/agent-" + jvm.pid() + ".log");
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "cannot read " + log + ": " + e;
    }
  }

  @Override
  public String toString() {
    return jvm.outputs() + "--- agent log:\n" + agentLog();
  }

  @Override
  public void close() {
    jvm.close();
  }

  private String request(String command) {
    return request(command, "");
  }

  private String request(String command, String arguments) {
    int n = requests.incrementAndGet();
    jvm.sendLine(command + " " + n + (arguments.isEmpty() ? "" : " " + arguments));
    String end = " :end-" + n + "\n";
    jvm.awaitStdout(end, WAIT);
    String out = jvm.stdout();
    String start = "result-" + n + ": ";
    return out.substring(out.indexOf(start) + start.length(), out.indexOf(end));
  }

  private static synchronized Path compiled() {
    if (classes == null) {
      try {
        Path dir = Path.of("target", "test-programs", "library-host").toAbsolutePath();
        Compiler.deleteTree(dir);
        classes =
            Jars.writeDirectory(
                Files.createDirectories(dir),
                Compiler.with(Jdk.current())
                    .options("--release", "17")
                    .classpath(TinyLibrary.get().jar("v1"))
                    .compile("LibraryHost.java", SOURCE));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return classes;
  }

  /** The host's JDK, library version, extra class loaders and JVM options. */
  static final class Builder {
    private final Jdk jdk;
    private final List<String> jvmArgs = new ArrayList<>();
    private final Map<String, Path> loaders = new LinkedHashMap<>();
    private String version = "v1";
    private TestUsers.User user;
    private Path readable;
    private Path directory;

    private Builder(Jdk jdk) {
      this.jdk = jdk;
    }

    /** The library version on the class path; v1 unless set. */
    Builder running(String libraryVersion) {
      this.version = libraryVersion;
      return this;
    }

    /** Also loads the library from {@code jar} in a URLClassLoader named {@code name}. */
    Builder loader(String name, Path jar) {
      loaders.put(name, jar);
      return this;
    }

    /**
     * Runs the host as {@code user}, from copies of its classes in {@code readable}, a directory
     * every user can read.
     */
    Builder asUser(TestUsers.User user, Path readable) {
      this.user = user;
      this.readable = readable;
      return this;
    }

    /** The host's working directory. */
    Builder directory(Path workingDirectory) {
      this.directory = workingDirectory;
      return this;
    }

    Builder jvmArgs(String... more) {
      jvmArgs.addAll(List.of(more));
      return this;
    }

    /**
     * Starts the host and waits until it is ready.
     *
     * @param home the target's user.home, where the jsplice agent keeps its state and log
     */
    LibraryHost start(Path home) {
      List<String> args = new ArrayList<>(jvmArgs);
      args.add("-Duser.home=" + home);
      Path classes = compiled();
      Path library = TinyLibrary.get().jar(version);
      if (user != null) {
        classes = TestUsers.readableCopy(classes, readable);
        library = TestUsers.readableCopy(library, readable);
      }
      TargetJvm.Builder builder = TargetJvm.on(jdk).asUser(user).directory(directory);
      TargetJvm jvm =
          builder
              .jvmArgs(args.toArray(String[]::new))
              .classpath(classes, library)
              .mainClass("LibraryHost")
              .args(
                  loaders.entrySet().stream()
                      .map(e -> e.getKey() + "=" + e.getValue())
                      .toArray(String[]::new))
              .start();
      LibraryHost host = new LibraryHost(jvm, home);
      jvm.awaitStdout("ready", WAIT);
      return host;
    }
  }
}
