package io.jsplice.bench.apply;

import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jars;
import io.jsplice.testkit.Jdk;
import io.jsplice.testkit.TargetJvm;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM the benchmark updates: it loads the filler classes (if any), then one thread calls {@code
 * work} of all ten library classes in a loop and counts calls, while stdin commands read the rate
 * of calls, the number of loaded classes, or make the bare agent redefine the classes.
 *
 * <p>Not thread-safe: one caller at a time.
 */
final class BenchTarget implements AutoCloseable {
  private static final Duration WAIT = Duration.ofMinutes(2);

  private static final String SOURCE =
      """
      import java.io.BufferedReader;
      import java.io.InputStreamReader;
      import java.lang.management.ManagementFactory;
      import java.util.Collections;
      import java.util.jar.JarEntry;
      import java.util.jar.JarFile;

      public class BenchHost {
        private static volatile long calls;
        private static volatile int sink;

        public static void main(String[] args) throws Exception {
          if (args.length > 0) {
            try (JarFile jar = new JarFile(args[0])) {
              for (JarEntry entry : Collections.list(jar.entries())) {
                String name = entry.getName();
                if (name.endsWith(".class")) {
                  Class.forName(
                      name.substring(0, name.length() - 6).replace('/', '.'),
                      false,
                      BenchHost.class.getClassLoader());
                }
              }
            }
          }
          Thread workload = new Thread(BenchHost::work, "workload");
          workload.setDaemon(true);
          workload.start();
          System.out.println("ready");
          BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
          for (String line; (line = in.readLine()) != null; ) {
            String[] command = line.split(" ");
            String answer;
            switch (command[0]) {
              case "rate" -> {
                long before = calls;
                long start = System.nanoTime();
                Thread.sleep(Long.parseLong(command[2]));
                long after = calls;
                answer = Double.toString((after - before) * 1e9 / (System.nanoTime() - start));
              }
              case "classes" ->
                  answer =
                      Integer.toString(
                          ManagementFactory.getClassLoadingMXBean().getLoadedClassCount());
              case "redefine" -> {
                Class.forName("bare.BareRedefiner", true, ClassLoader.getSystemClassLoader())
                    .getMethod("redefine", String.class)
                    .invoke(null, command[2]);
                answer = "done";
              }
              default -> answer = "unknown command " + line;
            }
            System.out.println("result-" + command[1] + ": " + answer + " :end-" + command[1]);
          }
        }

        /** One call means one call of each class's work. */
        private static void work() {
          int acc = 1;
          while (true) {
            for (int i = 0; i < 1000; i++) {
              acc = bench.lib.C0.work(acc) ^ bench.lib.C1.work(acc) ^ bench.lib.C2.work(acc)
                  ^ bench.lib.C3.work(acc) ^ bench.lib.C4.work(acc) ^ bench.lib.C5.work(acc)
                  ^ bench.lib.C6.work(acc) ^ bench.lib.C7.work(acc) ^ bench.lib.C8.work(acc)
                  ^ bench.lib.C9.work(acc);
            }
            calls += 1000;
            sink = acc;
          }
        }
      }
      """;

  private final TargetJvm jvm;
  private int requests;

  private BenchTarget(TargetJvm jvm) {
    this.jvm = jvm;
  }

  /** Compiles the host program against the library into {@code dir}. */
  static Path compile(Path dir, TenClassLibrary library) throws IOException {
    return Jars.writeDirectory(
        dir,
        Compiler.with(Jdk.current())
            .options("--release", "17")
            .classpath(library.pre())
            .compile("BenchHost.java", SOURCE));
  }

  /**
   * Starts a target and waits until it has loaded everything.
   *
   * @param filler a jar of classes to load first; may be null
   */
  static BenchTarget start(
      Jdk jdk, Path host, TenClassLibrary library, Path filler, List<String> jvmArgs) {
    List<Path> classpath = new ArrayList<>(List.of(host, library.pre()));
    if (filler != null) {
      classpath.add(filler);
    }
    TargetJvm jvm =
        TargetJvm.on(jdk)
            .jvmArgs(jvmArgs.toArray(String[]::new))
            .classpath(classpath.toArray(Path[]::new))
            .mainClass("BenchHost")
            .args(filler == null ? new String[0] : new String[] {filler.toString()})
            .start();
    jvm.awaitStdout("ready", WAIT);
    return new BenchTarget(jvm);
  }

  long pid() {
    return jvm.pid();
  }

  /** Calls of the workload per second, over {@code millis}. */
  double rate(long millis) {
    return Double.parseDouble(request("rate " + millis));
  }

  int loadedClasses() {
    return Integer.parseInt(request("classes"));
  }

  /** Has the bare agent redefine the classes in {@code dir}. */
  void redefine(Path dir) {
    request("redefine " + dir);
  }

  String outputs() {
    return jvm.outputs();
  }

  @Override
  public void close() {
    jvm.close();
  }

  private String request(String command) {
    int n = ++requests;
    String[] words = command.split(" ", 2);
    jvm.sendLine(words[0] + " " + n + (words.length > 1 ? " " + words[1] : ""));
    String end = " :end-" + n + "\n";
    jvm.awaitStdout(end, WAIT);
    String out = jvm.stdout();
    String start = "result-" + n + ": ";
    return out.substring(out.indexOf(start) + start.length(), out.indexOf(end));
  }
}
