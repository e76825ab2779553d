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
    List<String> notInForce) {}
