package io.jsplice.bootstrap;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The jsplice agent runtime running in this JVM, if any: the marker that keeps the agent single.
 *
 * <p>The agent jar can be loaded more than once into one JVM ({@code -javaagent} and later an
 * attach, or two attaches). Each load's launcher calls {@link #startOrReload}; because this class
 * is loaded by the system class loader (the JVM puts the agent jar on the system class path in both
 * modes) there is one copy of its state per JVM, whichever class loader or jar copy the launcher
 * came from. The first load starts the runtime; later loads hand it their options.
 *
 * <p>Thread-safe: loads are serialized on this class's monitor.
 */
public final class RunningAgent {
  /** Accepts the options of each later load. Null until a runtime started. Guarded by the class. */
  private static Consumer<String> running;

  private RunningAgent() {}

  /**
   * Starts the runtime with {@code start} unless one runs already, in which case it hands {@code
   * options} to that runtime instead.
   *
   * @param options the options of this load; may be null
   * @param start starts a runtime and returns what accepts the options of later loads, or null if
   *     no runtime started (a later load then tries again)
   * @return true if this call started the runtime, false if it handed options to a running one or
   *     {@code start} returned null
   */
  public static synchronized boolean startOrReload(
      String options, Function<String, Consumer<String>> start) {
    if (running != null) {
      running.accept(options);
      return false;
    }
    running = start.apply(options);
    return running != null;
  }

  /** Whether a runtime runs in this JVM. */
  public static synchronized boolean isRunning() {
    return running != null;
  }
}
