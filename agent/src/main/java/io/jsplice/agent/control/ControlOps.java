package io.jsplice.agent.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The operations the control channel serves, by {@code "op"} name. Thread-safe: ops may be
 * registered at any time, also after the channel opened; a request for an op not registered (yet)
 * is answered {@code BAD_REQUEST}.
 */
public final class ControlOps {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");

  private final Map<String, ControlHandler> handlers = new ConcurrentHashMap<>();

  /**
   * Registers {@code handler} for {@code op}.
   *
   * @throws IllegalArgumentException if {@code op} is registered already or is not a lower-case
   *     word
   */
  public void register(String op, ControlHandler handler) {
    Objects.requireNonNull(handler, "handler");
    if (!NAME.matcher(op).matches()) {
      throw new IllegalArgumentException("op name '" + op + "' must match " + NAME);
    }
    if (handlers.putIfAbsent(op, handler) != null) {
      throw new IllegalArgumentException("op '" + op + "' is registered already");
    }
  }

  /** The registered op names, sorted. */
  public List<String> names() {
    List<String> names = new ArrayList<>(handlers.keySet());
    names.sort(null);
    return names;
  }

  /** May return null. */
  ControlHandler find(String op) {
    return handlers.get(op);
  }
}
