package io.jsplice.bootstrap;

import java.util.List;

/** What a {@link UpdateHook} is told about the update it belongs to. */
public interface HookContext {
  /** The update's id. */
  String updateId();

  /** The class loader the hook runs in: the patched library's. */
  ClassLoader loader();

  /** Writes a line to the agent's log (never to the application's output). */
  void log(String message);

  /**
   * The objects of {@code type} and its subclasses that this JVM holds now, found by one scan of
   * the heap (application threads pause while it runs, about a tenth of a full GC): the objects the
   * program built and holds where no hook can name them. Garbage not yet collected may be among
   * them, so a hook does to them only what does no harm to an object nobody reaches.
   *
   * @throws IllegalStateException when this JVM's heap cannot be walked; the message says why
   */
  <T> List<T> objectsOf(Class<T> type);
}
