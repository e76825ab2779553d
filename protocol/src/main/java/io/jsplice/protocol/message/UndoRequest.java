package io.jsplice.protocol.message;

import java.util.Objects;

/**
 * Undoes the applied update {@code id}.
 *
 * @param quiescence how to wait for busy threads
 */
public record UndoRequest(String id, Quiescence quiescence) implements Request<UndoReply> {
  public UndoRequest {
    Objects.requireNonNull(id, "id");
    quiescence = quiescence == null ? Quiescence.DEFAULT : quiescence;
  }

  @Override
  public Op op() {
    return Op.UNDO;
  }
}
