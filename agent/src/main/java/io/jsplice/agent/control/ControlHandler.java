package io.jsplice.agent.control;

import io.jsplice.model.control.FailureException;
import io.jsplice.protocol.message.Request;

/**
 * Serves one control operation, registered in {@link ControlOps}.
 *
 * <p>Runs on the agent's single control thread, so requests are serialized: no two handlers ever
 * run at the same time, and a slow handler delays the requests behind it.
 *
 * @param <Q> the op's request type
 * @param <R> the op's reply type
 */
@FunctionalInterface
public interface ControlHandler<Q extends Request<R>, R extends Record> {
  /**
   * Serves one request.
   *
   * @return the reply; never null. The server writes it with {@code "ok": true}.
   * @throws FailureException to fail with a named cause; any other exception is answered as {@code
   *     INTERNAL} and logged with its stack trace
   */
  R handle(ControlCall<Q> call) throws FailureException;
}
