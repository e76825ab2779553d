package io.jsplice.fleet.cli;

import io.jsplice.fleet.api.client.FleetException;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.control.FailureException;

/** A failed call to the fleet server as the CLI reports it: one line, the cause's exit code. */
final class FleetFailures {
  private FleetFailures() {}

  static FailureException of(FleetException e) {
    return new FailureException(causeOf(e), e.getMessage(), e);
  }

  static FailureCause causeOf(FleetException e) {
    return switch (e.kind()) {
      case UNREACHABLE, SERVER_ERROR -> FailureCause.SERVER_UNREACHABLE;
      case UNAUTHENTICATED, FORBIDDEN -> FailureCause.NOT_AUTHORIZED;
      case NOT_FOUND -> FailureCause.NOT_FOUND;
      case REFUSED -> refusal(e);
    };
  }

  /** A refused update keeps the cause an agent would refuse it with (10 to 13). */
  private static FailureCause refusal(FleetException e) {
    if (e.error() != null && e.error().cause() != null) {
      try {
        return FailureCause.valueOf(e.error().cause());
      } catch (IllegalArgumentException newerServer) {
        // a cause this jsplice does not know: a plain refusal
      }
    }
    return FailureCause.SERVER_REFUSED;
  }
}
