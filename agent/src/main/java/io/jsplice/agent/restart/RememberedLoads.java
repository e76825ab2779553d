package io.jsplice.agent.restart;

/**
 * What earlier starts of a service found when a class that a recorded update patches loaded: that
 * the class's bytes, handed over exactly as now, resolved to that update and that the update's code
 * passed the check at load. A start that meets the same bytes again installs the same code without
 * redoing that work (reading the class with ASM, its fingerprint, the bytecode check), which in a
 * JVM that has just started costs more in compiling ASM than in running it.
 *
 * <p>The key is the caller's digest of everything the decision rested on: the exact bytes handed
 * over, the content of every update on the class's stack, where the class came from, and the
 * agent's version; a key that differs in any of them is a different key, so changed bytes always
 * get the full check. Thread-safe.
 */
public interface RememberedLoads {
  /** Remembers nothing: an agent without a service, or one attached to a running JVM. */
  RememberedLoads NONE =
      new RememberedLoads() {
        @Override
        public String updateFor(String key) {
          return null;
        }

        @Override
        public void remember(String key, String updateId) {}
      };

  /**
   * The id of the update whose code an earlier start installed, after the full check, for a load
   * with this key; null when none is remembered (or the memory cannot be believed).
   */
  String updateFor(String key);

  /** Notes that a load with this key installed {@code updateId}'s code after the full check. */
  void remember(String key, String updateId);

  /**
   * Notes that the engine checked a load of {@code className} from {@code origin}, handed {@code
   * handed}, and installed {@code installed}, {@code updateId}'s code for it, exactly: a later
   * start may serve the same load from its reapplication cache. By default nothing happens.
   */
  default void patchedAtLoad(
      String className, String origin, byte[] handed, String updateId, byte[] installed) {}

  /**
   * Whether the loaded {@code type} runs exactly {@code installed}, served from the reapplication
   * cache before the engine started. By default no class is.
   */
  default boolean servedFromCache(Class<?> type, byte[] installed) {
    return false;
  }
}
