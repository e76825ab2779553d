package io.jsplice.protocol.message;

/**
 * A request to the agent. Its JSON form is {@code {"op": WORD, ...its components}} ({@link
 * io.jsplice.protocol.ControlProtocol}).
 *
 * @param <R> the type of the agent's reply when it succeeds
 */
public sealed interface Request<R extends Record>
    permits StatusRequest,
        ApplyRequest,
        UndoRequest,
        ShowRequest,
        VerifyRequest,
        InventoryRequest,
        ReadingsRequest,
        TripwiresRequest {
  /** The operation; never null. */
  Op op();
}
