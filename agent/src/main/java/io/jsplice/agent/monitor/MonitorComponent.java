package io.jsplice.agent.monitor;

import io.jsplice.agent.runtime.AgentComponent;
import io.jsplice.agent.runtime.AgentContext;
import io.jsplice.protocol.message.Op;
import io.jsplice.protocol.message.ReadingsRequest;
import io.jsplice.protocol.message.TripwiresRequest;

/**
 * What a fleet daemon watches in a JVM after an update: JMX readings for its health gate ({@code
 * readings}) and the exploit attempts the updates' tripwires blocked ({@code tripwires}). Both are
 * read only when asked, on the control channel's thread; nothing runs in the background.
 */
public final class MonitorComponent implements AgentComponent {
  @Override
  public String name() {
    return "monitor";
  }

  /** Its ops serve requests only: it may wait for the first, as without recorded updates. */
  @Override
  public boolean mayWait() {
    return true;
  }

  @Override
  public void start(AgentContext context) {
    context.controlOps().register(Op.READINGS, ReadingsRequest.class, new ReadingsOp());
    context.controlOps().register(Op.TRIPWIRES, TripwiresRequest.class, new TripwiresOp());
  }
}
