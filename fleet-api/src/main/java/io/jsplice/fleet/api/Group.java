package io.jsplice.fleet.api;

/**
 * A group of hosts with one apply policy.
 *
 * @param name unique
 * @param policy how its hosts take published updates
 * @param hosts how many hosts are in it
 * @param acceptLeftOut whether its hosts apply an update that leaves out classes of the fixed
 *     release (a live subset, {@code jsplice create --live-subset}): jsplice cannot tell whether
 *     the fix is among them, so this is off unless an admin turns it on ({@code jsplice fleet group
 *     NAME --accept-left-out true}). Off, such an update is refused in every JVM, once, and
 *     reported ({@link HostEvent#CLASSES_LEFT_OUT}). It never accepts state built before an update
 *     that keeps the fix from being in force.
 */
public record Group(String name, ApplyPolicy policy, int hosts, boolean acceptLeftOut) {}
