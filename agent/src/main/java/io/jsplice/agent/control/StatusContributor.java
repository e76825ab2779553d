package io.jsplice.agent.control;

import java.util.Map;

/**
 * A part of the {@code status} reply, registered under a name of its own (the update engine
 * registers what is applied). Called on the control thread for each status request: keep it quick
 * and never block on a lock an apply holds for long.
 */
@FunctionalInterface
public interface StatusContributor {
  /**
   * Returns this part of the status: JSON-writable values ({@link io.jsplice.model.json.Json});
   * never null. An exception is logged and reported in the reply as this part's {@code "error"}.
   */
  Map<String, Object> status();
}
