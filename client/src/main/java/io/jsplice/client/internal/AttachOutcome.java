package io.jsplice.client.internal;

import io.jsplice.model.control.FailureCause;
import java.util.Map;

/**
 * What an {@link AttachChild} reports to the process that started it, as one JSON line.
 *
 * @param failure null when it succeeded
 * @param message one line; null when it succeeded
 * @param properties the target's system properties, for a {@code properties} run; else empty
 */
record AttachOutcome(FailureCause failure, String message, Map<String, String> properties) {
  /** The line's prefix, which tells it from anything else the child JVM might print. */
  static final String PREFIX = "jsplice-attach-outcome ";
}
