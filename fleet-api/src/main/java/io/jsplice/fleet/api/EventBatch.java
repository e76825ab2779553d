package io.jsplice.fleet.api;

import java.util.List;

/**
 * The body {@code jsplice server --events-webhook URL} POSTs: events oldest first, at most 100.
 * With {@code --events-webhook-secret-file}, the request carries {@value #SIGNATURE_HEADER}: {@code
 * sha256=} and the lower-case hex HMAC-SHA256 of the body's exact bytes, keyed with the file's
 * first line (UTF-8).
 *
 * @param events oldest first
 */
public record EventBatch(List<ForwardedEvent> events) {
  /** The header that carries the body's HMAC-SHA256 signature. */
  public static final String SIGNATURE_HEADER = "X-Jsplice-Signature";

  public EventBatch {
    events = Lists.copy(events);
  }
}
