package io.jsplice.protocol.message;

/** Asks for the agent's {@link ShowReply}. */
public record ShowRequest() implements Request<ShowReply> {
  @Override
  public Op op() {
    return Op.SHOW;
  }
}
