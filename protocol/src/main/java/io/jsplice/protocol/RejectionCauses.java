package io.jsplice.protocol;

import io.jsplice.model.control.FailureCause;
import io.jsplice.model.signing.CorruptUpdateException;
import io.jsplice.model.signing.TamperedUpdateException;
import io.jsplice.model.signing.UnsignedUpdateException;
import io.jsplice.model.signing.UntrustedSignerException;
import io.jsplice.model.signing.UpdateRejectedException;

/** The failure cause of a refused update file, the same on both ends of the channel. */
public final class RejectionCauses {
  private RejectionCauses() {}

  public static FailureCause of(UpdateRejectedException e) {
    if (e instanceof UnsignedUpdateException) {
      return FailureCause.NOT_SIGNED;
    }
    if (e instanceof TamperedUpdateException) {
      return FailureCause.SIGNATURE_MISMATCH;
    }
    if (e instanceof UntrustedSignerException) {
      return FailureCause.UNTRUSTED_SIGNER;
    }
    if (e instanceof CorruptUpdateException) {
      return FailureCause.CORRUPT_UPDATE;
    }
    return FailureCause.INTERNAL;
  }
}
