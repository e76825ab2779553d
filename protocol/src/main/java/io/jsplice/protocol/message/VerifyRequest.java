package io.jsplice.protocol.message;

/**
 * Asks whether a restart would run the same effective code ({@link VerifyReply}).
 *
 * @param updates whether to judge the applied and recorded updates too; {@code jsplice stale} needs
 *     only the loaded code
 */
public record VerifyRequest(boolean updates) implements Request<VerifyReply> {
  @Override
  public Op op() {
    return Op.VERIFY;
  }
}
