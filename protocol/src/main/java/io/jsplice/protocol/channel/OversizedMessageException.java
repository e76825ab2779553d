package io.jsplice.protocol.channel;

import java.io.IOException;

/** A control message's header or payload is larger than the channel accepts. */
public final class OversizedMessageException extends IOException {
  private static final long serialVersionUID = 1L;

  public OversizedMessageException(String message) {
    super(message);
  }
}
