package io.jsplice.protocol.message;

import io.jsplice.model.InForce;
import java.util.List;

/**
 * An update applied: in force, or (accepted by the caller) only partly.
 *
 * @param applied the update's id
 * @param description may be null
 * @param switched the loaded classes switched, each with its loader and origin
 * @param pending classes of the update not loaded yet; patched as they load
 * @param forcedFrames frames left running old code because the apply was forced
 * @param warnings what could not be done fully (state not merged)
 * @param checkMillis the checks before the switch
 * @param switchMillis the switch itself
 * @param record what became of the service's record
 * @param inForce whether the fix is in force for all the state the program holds
 * @param notInForce what may keep the old behaviour, one line each; empty when fully in force
 * @param leftOut the classes of the fixed release the update leaves out ({@code
 *     io.jsplice.model.Update#leftOut()}): they keep their old code until a restart on the fixed
 *     release; empty for a whole release. Null when the agent does not say: one from before this
 *     field ({@link io.jsplice.protocol.ControlProtocol#decodeReply}), whose caller must read the
 *     update itself to know. A newer agent always writes it, empty or not, so that its absence
 *     means an older agent; an older client ignores it.
 */
public record ApplyReply(
    String applied,
    String description,
    List<String> switched,
    List<String> pending,
    List<String> forcedFrames,
    List<String> warnings,
    long checkMillis,
    long switchMillis,
    RecordChange record,
    InForce inForce,
    List<String> notInForce,
    List<String> leftOut) {

  /** This reply with {@code leftOut} in place of its own. */
  public ApplyReply withLeftOut(List<String> leftOut) {
    return new ApplyReply(
        applied,
        description,
        switched,
        pending,
        forcedFrames,
        warnings,
        checkMillis,
        switchMillis,
        record,
        inForce,
        notInForce,
        leftOut);
  }
}
