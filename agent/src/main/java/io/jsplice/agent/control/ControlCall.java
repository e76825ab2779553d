package io.jsplice.agent.control;

import java.util.Objects;

/**
 * One request as a {@link ControlHandler} receives it.
 *
 * @param request the decoded request; never null
 * @param peerUser the user who sent it, as the kernel named the peer ({@code SO_PEERCRED}); never
 *     null, {@code unknown} in tests that dispatch without a socket
 * @param payload the message's payload (an apply's update file), empty for other ops; never null.
 *     Shared, not copied: do not modify.
 */
public record ControlCall<Q>(Q request, String peerUser, byte[] payload) {
  public ControlCall {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(peerUser, "peerUser");
    Objects.requireNonNull(payload, "payload");
  }
}
