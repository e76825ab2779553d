package io.jsplice.agent.control;

import io.jsplice.model.json.JsonObject;
import java.util.Map;

/**
 * Serves one control operation ({@code "op"}), registered in {@link ControlOps}.
 *
 * <p>Runs on the agent's single control thread, so requests are serialized: no two handlers ever
 * run at the same time, and a slow handler delays the requests behind it.
 */
@FunctionalInterface
public interface ControlHandler {
  /**
   * Serves {@code request}.
   *
   * @param request the whole request, {@code "op"} included; never null. Its accessors throw {@link
   *     io.jsplice.model.json.JsonException} for a missing or mistyped field, which the server
   *     answers as {@code BAD_REQUEST}.
   * @return the reply's fields, JSON-writable values ({@link io.jsplice.model.json.Json}); never
   *     null. The server adds {@code "ok": true}.
   * @throws ControlException to fail with a named cause; any other exception is answered as {@code
   *     INTERNAL} and logged with its stack trace
   */
  Map<String, Object> handle(JsonObject request) throws ControlException;
}
