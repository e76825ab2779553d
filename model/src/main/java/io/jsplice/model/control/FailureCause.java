package io.jsplice.model.control;

/**
 * Every named reason an operation on a running JVM can fail, with the CLI exit code it maps to.
 * Agent replies carry the cause's name; the CLI turns it into a one-line message and this exit
 * code, so scripts can act on the reason without parsing text.
 *
 * <p>Exit codes 40 to 42 are verdicts, not failures, and are not listed here: 40 and 41 are {@link
 * io.jsplice.model.restart.RestartVerdict}s of {@code jsplice verify}, 42 is {@code jsplice stale}
 * finding a JVM whose loaded classes differ from the disk. 0 is success; the CLI's help lists all.
 */
public enum FailureCause {
  /** The update file carries no signature. */
  NOT_SIGNED(10),
  /** The update's content does not match its signature. */
  SIGNATURE_MISMATCH(11),
  /** Signed by a key the JVM does not trust. */
  UNTRUSTED_SIGNER(12),
  /** Not a readable update file. */
  CORRUPT_UPDATE(13),
  /** No JVM with that pid, or not one jsplice can attach to. */
  TARGET_NOT_FOUND(20),
  /** The agent could not be loaded into or reached in the target JVM. */
  AGENT_UNAVAILABLE(21),
  /** The running code is not what the update was built against. */
  RUN_PRE_MISMATCH(30),
  /** A thread is executing code the update replaces. */
  CODE_BUSY(31),
  /** The JVM refused a change that cannot be applied live. */
  UNSUPPORTED_CHANGE(32),
  /** The JVM's verifier rejected the new code. */
  VERIFY_ERROR(33),
  /** Undo refused: a later update depends on this one. */
  DEPENDENCY(34),
  /** An update hook threw; nothing was changed. */
  HOOK_FAILED(35),
  /** After the switch, the JVM does not run the update's code. */
  NOT_IN_EFFECT(36),
  /** The update (by id) is already applied, or not applied when undoing. */
  WRONG_STATE(37),
  /**
   * The fix would be only partly in force: state the program built before the update may keep the
   * old behaviour (the message names it). Nothing was changed; the operator may accept this
   * explicitly ({@code jsplice apply --accept-partial}).
   */
  PARTLY_IN_FORCE(38),
  /** The fleet server did not answer (down, unreachable, wrong URL). */
  SERVER_UNREACHABLE(50),
  /** The fleet server refused the credentials: missing, unknown, or not allowed to do this. */
  NOT_AUTHORIZED(51),
  /** The fleet server refused the request: invalid, too large, or in conflict with its state. */
  SERVER_REFUSED(52),
  /** The fleet server has no such host, update or group. */
  NOT_FOUND(53),
  /** A malformed request or argument. */
  BAD_REQUEST(2),
  /** A fault in jsplice itself; the message says what happened. */
  INTERNAL(1);

  private final int exitCode;

  FailureCause(int exitCode) {
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
