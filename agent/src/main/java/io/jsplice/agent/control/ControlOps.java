package io.jsplice.agent.control;

import io.jsplice.protocol.message.Op;
import io.jsplice.protocol.message.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operations the control channel serves. Thread-safe: ops may be registered at any time, also
 * after the channel opened; a request for an op not registered (yet) first runs the {@linkplain
 * #whenMissing starter} of the parts that register it, and is answered {@code BAD_REQUEST} if the
 * op is still missing.
 */
public final class ControlOps {
  private final Map<Op, ControlHandler<?, ?>> handlers = new ConcurrentHashMap<>();
  private volatile Runnable starter = new NoStarter();

  /** Not a lambda: premain makes it, and a JVM's first lambda costs it milliseconds of CPU. */
  private static final class NoStarter implements Runnable {
    @Override
    public void run() {}
  }

  /**
   * Registers {@code handler} for {@code op}.
   *
   * @param requestType the handler's request type, which must be the op's
   * @throws IllegalArgumentException if {@code op} is registered already or its request type is not
   *     {@code requestType}
   */
  public <Q extends Request<R>, R extends Record> void register(
      Op op, Class<Q> requestType, ControlHandler<Q, R> handler) {
    Objects.requireNonNull(handler, "handler");
    if (op.requestType() != requestType) {
      throw new IllegalArgumentException(
          "op '"
              + op.word()
              + "' takes "
              + op.requestType().getSimpleName()
              + ", not "
              + requestType);
    }
    if (handlers.putIfAbsent(op, handler) != null) {
      throw new IllegalArgumentException("op '" + op.word() + "' is registered already");
    }
  }

  /** The registered ops' words, sorted. */
  public List<String> names() {
    List<String> names = new ArrayList<>();
    handlers.keySet().forEach(op -> names.add(op.word()));
    names.sort(null);
    return names;
  }

  /**
   * What to run when a request names an op that is not registered: starts the parts of the agent
   * that register the remaining ops. It runs on the control thread, before the request is decoded,
   * and must be idempotent.
   */
  public void whenMissing(Runnable starter) {
    this.starter = Objects.requireNonNull(starter, "starter");
  }

  /** May return null. */
  ControlHandler<?, ?> find(Op op) {
    ControlHandler<?, ?> handler = handlers.get(op);
    if (handler == null) {
      starter.run();
      handler = handlers.get(op);
    }
    return handler;
  }
}
