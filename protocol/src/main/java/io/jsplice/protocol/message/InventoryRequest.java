package io.jsplice.protocol.message;

/** Asks for the agent's {@link InventoryReply}. */
public record InventoryRequest() implements Request<InventoryReply> {
  @Override
  public Op op() {
    return Op.INVENTORY;
  }
}
