package io.jsplice.bootstrap;

/** What a {@link UpdateHook} is told about the update it belongs to. */
public interface HookContext {
  /** The update's id. */
  String updateId();

  /** The class loader the hook runs in: the patched library's. */
  ClassLoader loader();

  /** Writes a line to the agent's log (never to the application's output). */
  void log(String message);
}
