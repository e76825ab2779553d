package io.jsplice.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A real JVM started for a test: a target to load the agent into, attach to, and update.
 *
 * <p>Its stdout and stderr are captured separately (they interleave in any order, so tests wait for
 * each on its own). {@link #close} kills it; a JVM a test forgot to close is killed when the test
 * JVM exits, so none outlives the build.
 *
 * <p>Thread-safe.
 */
public final class TargetJvm implements AutoCloseable {
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> LIVE.forEach(Process::destroyForcibly), "target-jvm-reaper"));
  }

  private final Process process;
  private final String description;
  private final Output stdout;
  private final Output stderr;

  private TargetJvm(Process process, String description) {
    this.process = process;
    this.description = description;
    this.stdout = new Output(process.getInputStream(), "stdout of " + description);
    this.stderr = new Output(process.getErrorStream(), "stderr of " + description);
  }

  /** Starts describing a JVM that runs on {@code jdk}. */
  public static Builder on(Jdk jdk) {
    return new Builder(jdk);
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Everything written to stdout so far. */
  public String stdout() {
    return stdout.text();
  }

  /** Everything written to stderr so far. */
  public String stderr() {
    return stderr.text();
  }

  /**
   * Waits until stdout contains {@code text}.
   *
   * @throws AssertionError on timeout, or if the JVM exits first, with both outputs in the message
   */
  public void awaitStdout(String text, Duration timeout) {
    await(stdout, text, timeout);
  }

  /** Like {@link #awaitStdout}, for stderr. */
  public void awaitStderr(String text, Duration timeout) {
    await(stderr, text, timeout);
  }

  /** Writes {@code line} and a newline to the JVM's stdin. */
  public void sendLine(String line) {
    try {
      OutputStream in = process.getOutputStream();
      in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to the stdin of " + description, e);
    }
  }

  /**
   * Waits for the JVM to exit by itself.
   *
   * @return its exit code
   * @throws AssertionError if it still runs after {@code timeout}
   */
  public int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(description + " still runs after " + timeout + "\n" + outputs());
      }
      stdout.drain();
      stderr.drain();
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + description, e);
    }
  }

  /** Both outputs, labelled, for assertion messages. */
  public String outputs() {
    return "--- stdout of " + description + ":\n" + stdout() + "--- stderr:\n" + stderr();
  }

  /** Kills the JVM at once (SIGKILL: nothing of it runs any more) and waits until it is gone. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      LIVE.remove(process);
    }
  }

  /** Stops the JVM: SIGTERM (shutdown hooks run), then SIGKILL after 5 s. */
  @Override
  public void close() {
    try {
      process.destroy();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      LIVE.remove(process);
    }
  }

  @Override
  public String toString() {
    return description;
  }

  private void await(Output output, String text, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (output) {
      while (!output.text().contains(text)) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || (output.closed && !output.text().contains(text))) {
          String why = left <= 0 ? "within " + timeout : "before it exited";
          throw new AssertionError(
              description
                  + ": no \""
                  + text
                  + "\" on "
                  + output.name
                  + " "
                  + why
                  + "\n"
                  + outputs());
        }
        try {
          output.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted while waiting for " + description, e);
        }
      }
    }
  }

  /** One captured stream; its reader thread appends and notifies waiters. */
  private static final class Output {
    private final StringBuilder text = new StringBuilder(); // guarded by this
    private final String name;
    private final Thread reader;
    private boolean closed; // guarded by this

    Output(InputStream in, String label) {
      this.name = label.substring(0, label.indexOf(' '));
      this.reader = new Thread(() -> pump(in), label);
      reader.setDaemon(true);
      reader.start();
    }

    private void pump(InputStream in) {
      byte[] buffer = new byte[8192];
      try (in) {
        for (int n; (n = in.read(buffer)) > 0; ) {
          String chunk = new String(buffer, 0, n, StandardCharsets.UTF_8);
          synchronized (this) {
            text.append(chunk);
            notifyAll();
          }
        }
      } catch (IOException streamClosed) {
        // The process is gone; what was read stays.
      } finally {
        synchronized (this) {
          closed = true;
          notifyAll();
        }
      }
    }

    synchronized String text() {
      return text.toString();
    }

    void drain() throws InterruptedException {
      reader.join(5000);
    }
  }

  /** What to start: the JDK, class path, main class, JVM options and program arguments. */
  public static final class Builder {
    private final Jdk jdk;
    private final List<Path> classpath = new ArrayList<>();
    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private String mainClass;
    private Path directory;
    private TestUsers.User user;

    private Builder(Jdk jdk) {
      this.jdk = jdk;
    }

    public Builder classpath(Path... entries) {
      classpath.addAll(List.of(entries));
      return this;
    }

    /** Options before the main class, e.g. {@code -javaagent:...}. */
    public Builder jvmArgs(String... more) {
      jvmArgs.addAll(List.of(more));
      return this;
    }

    public Builder mainClass(String name) {
      this.mainClass = name;
      return this;
    }

    public Builder args(String... more) {
      args.addAll(List.of(more));
      return this;
    }

    /** Runs the JVM as {@code user} ({@link TestUsers}); default: this JVM's user. */
    public Builder asUser(TestUsers.User user) {
      this.user = user;
      return this;
    }

    /** The working directory; default: this JVM's. */
    public Builder directory(Path workingDirectory) {
      this.directory = workingDirectory;
      return this;
    }

    public TargetJvm start() {
      if (mainClass == null) {
        throw new IllegalStateException("no main class: call mainClass(...) before start()");
      }
      List<String> command = new ArrayList<>();
      command.add(jdk.java().toString());
      command.addAll(jvmArgs);
      if (!classpath.isEmpty()) {
        command.add("-cp");
        command.add(String.join(":", classpath.stream().map(Path::toString).toList()));
      }
      command.add(mainClass);
      command.addAll(args);
      try {
        ProcessBuilder builder = new ProcessBuilder(user == null ? command : user.command(command));
        if (directory != null) {
          builder.directory(directory.toFile());
        }
        Process process = builder.start();
        LIVE.add(process);
        return new TargetJvm(
            process,
            mainClass
                + " on "
                + jdk
                + (user == null ? "" : " as " + user.name())
                + " (pid "
                + process.pid()
                + ")");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start " + command, e);
      }
    }
  }
}
