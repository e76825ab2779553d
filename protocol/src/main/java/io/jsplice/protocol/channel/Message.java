package io.jsplice.protocol.channel;

import java.util.Objects;

/**
 * One message of the control channel: a JSON header and a binary payload.
 *
 * @param header UTF-8 JSON text; never null
 * @param payload raw bytes, empty for every message but an apply request; never null. Shared, not
 *     copied: do not modify.
 */
public record Message(String header, byte[] payload) {
  private static final byte[] NONE = new byte[0];

  public Message {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(payload, "payload");
  }

  /** A message without payload. */
  public static Message of(String header) {
    return new Message(header, NONE);
  }
}
