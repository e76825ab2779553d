package io.jsplice.fleet.cli;

import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a test started (servers, daemons, JVMs), stopped after it in the reverse order, whatever
 * happened, each stopped even if an earlier one failed to stop. Register it with
 * {@code @RegisterExtension final Started started = new Started();}.
 */
final class Started implements AfterEachCallback {
  private final Deque<AutoCloseable> running = new ArrayDeque<>();

  /** Keeps {@code resource} to be closed after the test, before everything kept earlier. */
  <T extends AutoCloseable> T keep(T resource) {
    running.push(resource);
    return resource;
  }

  /** Forgets {@code resource}: the test stopped it itself. */
  void forget(AutoCloseable resource) {
    running.remove(resource);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    while (!running.isEmpty()) {
      try {
        running.pop().close();
      } catch (Exception ignored) {
        // stop the rest
      }
    }
  }
}
