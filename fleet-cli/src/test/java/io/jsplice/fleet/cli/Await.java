package io.jsplice.fleet.cli;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Waits for a condition the test can observe (a JVM's answer, the server's view, a daemon's
 * status), checking it again and again. The timeout only keeps a broken build from hanging; no test
 * asserts how long anything took.
 */
final class Await {
  static final Duration LONG = Duration.ofMinutes(5);

  private Await() {}

  static void until(String what, Supplier<Boolean> condition, Supplier<String> diagnosis) {
    long deadline = System.nanoTime() + LONG.toNanos();
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (Boolean.TRUE.equals(condition.get())) {
          return;
        }
        last = null;
      } catch (RuntimeException e) {
        last = e;
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting until " + what, e);
      }
    }
    AssertionError failure =
        new AssertionError("still not " + what + " after " + LONG + "\n" + diagnosis.get());
    if (last != null) {
      failure.initCause(last);
    }
    throw failure;
  }
}
