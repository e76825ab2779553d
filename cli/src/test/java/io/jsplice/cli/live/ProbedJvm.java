package io.jsplice.cli.live;

import io.jsplice.testkit.TargetJvm;
import java.time.Duration;
import java.util.List;

/** A target JVM running a corpus probe program: ask it what the library does now. */
public final class ProbedJvm implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final TargetJvm jvm;
  private int asked;

  public ProbedJvm(TargetJvm jvm) {
    this.jvm = jvm;
    jvm.awaitStdout("ready", TIMEOUT);
  }

  public long pid() {
    return jvm.pid();
  }

  /** Sends one probe and returns its observation (the text after {@code RESULT }). */
  public String probe() {
    asked++;
    jvm.sendLine("probe");
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      List<String> results = jvm.stdout().lines().filter(l -> l.startsWith("RESULT ")).toList();
      if (results.size() >= asked) {
        return results.get(asked - 1).substring("RESULT ".length());
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError(
        "no answer to probe " + asked + " within " + TIMEOUT + ":\n" + jvm.outputs());
  }

  public String outputs() {
    return jvm.outputs();
  }

  @Override
  public void close() {
    jvm.close();
  }
}
