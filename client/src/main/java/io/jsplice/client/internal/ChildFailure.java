package io.jsplice.client.internal;

import io.jsplice.client.AgentUnavailableException;
import io.jsplice.client.BadRequestException;
import io.jsplice.client.ClientException;
import io.jsplice.client.TargetNotFoundException;

/** Turns the attach helper's reported failure back into the exception it was. */
final class ChildFailure {
  private ChildFailure() {}

  static ClientException of(AttachOutcome outcome) {
    return switch (outcome.failure()) {
      case TARGET_NOT_FOUND -> new TargetNotFoundException(outcome.message());
      case BAD_REQUEST -> new BadRequestException(outcome.message());
      default -> new AgentUnavailableException(outcome.message());
    };
  }
}
