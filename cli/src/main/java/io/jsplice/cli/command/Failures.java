package io.jsplice.cli.command;

import io.jsplice.model.control.FailureException;
import io.jsplice.model.signing.UpdateRejectedException;
import io.jsplice.protocol.RejectionCauses;

/** Maps library exceptions to the CLI's named failure causes. */
final class Failures {
  private Failures() {}

  static FailureException of(UpdateRejectedException e) {
    return new FailureException(RejectionCauses.of(e), e.getMessage(), e);
  }
}
