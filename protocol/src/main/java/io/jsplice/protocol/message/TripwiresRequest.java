package io.jsplice.protocol.message;

/**
 * Asks for the exploit attempts the tripwires of applied updates recorded.
 *
 * @param after only those with a sequence number above this (0 for all the agent still holds)
 */
public record TripwiresRequest(long after) implements Request<TripwiresReply> {
  @Override
  public Op op() {
    return Op.TRIPWIRES;
  }
}
