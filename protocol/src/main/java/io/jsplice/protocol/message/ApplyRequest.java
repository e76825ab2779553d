package io.jsplice.protocol.message;

import java.util.List;
import java.util.Objects;

/**
 * Applies the update whose signed file travels as the message's payload: the bytes the client read
 * and verified, so the agent never opens a path its caller chose (a file the target's user could
 * swap between the client's check and the agent's read).
 *
 * @param file the caller's name for the update file, for messages and the log only; never opened
 * @param updateBytes the payload's length
 * @param updateSha256 the payload's SHA-256, hex; the agent refuses a payload that does not match
 * @param trust the caller's trusted keys; when not empty, the only keys this request's update may
 *     be signed by (the agent's own {@code trust=} then does not apply to it); when empty, the
 *     agent's own {@code trust=} applies
 * @param quiescence how to wait for busy threads
 * @param acceptPartial apply even when the fix would be only partly in force (state the program
 *     built before the update keeps the old behaviour); without it such an apply fails with {@link
 *     io.jsplice.model.control.FailureCause#PARTLY_IN_FORCE} and changes nothing
 * @param acceptLeftOut apply an update that leaves out classes of the fixed release (a live subset:
 *     {@link ApplyReply#leftOut} names them), but not one whose fix state built before it would
 *     keep from being in force (a fleet group's policy; {@code acceptPartial} accepts both). An
 *     agent from before this field ignores it and refuses such an update ({@link Failure#leftOut}),
 *     which fails closed.
 * @param verifiedByCaller the client verified these very bytes (the SHA-256 above) against {@code
 *     trust} before it sent them, as the agent would; the agent then does not verify them again (on
 *     JDK 25 a first signature check costs the target some 200 ms of elliptic-curve tables).
 *     Honoured only when {@code trust} is not empty: those keys are then the only trust of the
 *     request, and the caller chose them (it could sign any bytes with a key of its own), so the
 *     agent's check would add nothing against it; the bytes are still read as strictly as a
 *     verified update, every entry covered by the signed manifest. Ignored when {@code trust} is
 *     empty (the agent's own {@code trust=} decides, and only the agent can check it) and by an
 *     agent from before this field, which verifies, as always.
 */
public record ApplyRequest(
    String file,
    long updateBytes,
    String updateSha256,
    List<TrustedKey> trust,
    Quiescence quiescence,
    boolean acceptPartial,
    boolean acceptLeftOut,
    boolean verifiedByCaller)
    implements Request<ApplyReply> {
  public ApplyRequest {
    Objects.requireNonNull(updateSha256, "updateSha256");
    trust = List.copyOf(trust);
    quiescence = quiescence == null ? Quiescence.DEFAULT : quiescence;
  }

  public ApplyRequest(
      String file,
      long updateBytes,
      String updateSha256,
      List<TrustedKey> trust,
      Quiescence quiescence,
      boolean acceptPartial) {
    this(file, updateBytes, updateSha256, trust, quiescence, acceptPartial, false, false);
  }

  public ApplyRequest(
      String file,
      long updateBytes,
      String updateSha256,
      List<TrustedKey> trust,
      Quiescence quiescence,
      boolean acceptPartial,
      boolean acceptLeftOut) {
    this(file, updateBytes, updateSha256, trust, quiescence, acceptPartial, acceptLeftOut, false);
  }

  @Override
  public Op op() {
    return Op.APPLY;
  }
}
