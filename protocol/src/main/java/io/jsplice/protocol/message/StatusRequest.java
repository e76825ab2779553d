package io.jsplice.protocol.message;

/** Asks for the agent's {@link StatusReply}. */
public record StatusRequest() implements Request<StatusReply> {
  @Override
  public Op op() {
    return Op.STATUS;
  }
}
