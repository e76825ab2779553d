package io.jsplice.cli.command;

import io.jsplice.cli.CliException;
import io.jsplice.model.signing.UpdateRejectedException;
import io.jsplice.protocol.RejectionCauses;

/** Maps library exceptions to the CLI's named failure causes. */
final class Failures {
  private Failures() {}

  static CliException of(UpdateRejectedException e) {
    return new CliException(RejectionCauses.of(e), e.getMessage(), e);
  }
}
