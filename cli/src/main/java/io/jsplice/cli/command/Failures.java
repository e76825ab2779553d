package io.jsplice.cli.command;

import io.jsplice.cli.CliException;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.signing.CorruptUpdateException;
import io.jsplice.model.signing.TamperedUpdateException;
import io.jsplice.model.signing.UnsignedUpdateException;
import io.jsplice.model.signing.UntrustedSignerException;
import io.jsplice.model.signing.UpdateRejectedException;

/** Maps library exceptions to the CLI's named failure causes. */
final class Failures {
  private Failures() {}

  static CliException of(UpdateRejectedException e) {
    FailureCause cause;
    if (e instanceof UnsignedUpdateException) {
      cause = FailureCause.NOT_SIGNED;
    } else if (e instanceof TamperedUpdateException) {
      cause = FailureCause.SIGNATURE_MISMATCH;
    } else if (e instanceof UntrustedSignerException) {
      cause = FailureCause.UNTRUSTED_SIGNER;
    } else if (e instanceof CorruptUpdateException) {
      cause = FailureCause.CORRUPT_UPDATE;
    } else {
      cause = FailureCause.INTERNAL;
    }
    return new CliException(cause, e.getMessage(), e);
  }
}
