package io.jsplice.agent.monitor;

import io.jsplice.agent.control.ControlCall;
import io.jsplice.agent.control.ControlHandler;
import io.jsplice.bootstrap.Tripwires;
import io.jsplice.protocol.message.TripwiresReply;
import io.jsplice.protocol.message.TripwiresRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The exploit attempts blocked since a sequence number, from the one buffer patched code records
 * into ({@link Tripwires}, on the system class path).
 */
final class TripwiresOp implements ControlHandler<TripwiresRequest, TripwiresReply> {
  @Override
  public TripwiresReply handle(ControlCall<TripwiresRequest> call) {
    long after = Math.max(0, call.request().after());
    List<TripwiresReply.Hit> hits = new ArrayList<>();
    long next = after;
    for (Tripwires.Hit hit : Tripwires.since(after)) {
      hits.add(
          new TripwiresReply.Hit(
              hit.seq(),
              Instant.ofEpochMilli(hit.atMillis()).toString(),
              hit.updateId(),
              hit.cve(),
              hit.site(),
              hit.detail(),
              hit.thread()));
      next = hit.seq();
    }
    return new TripwiresReply(
        hits, Math.max(next, Math.min(after, Tripwires.last())), Tripwires.suppressed());
  }
}
