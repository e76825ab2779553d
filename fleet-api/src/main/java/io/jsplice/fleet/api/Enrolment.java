package io.jsplice.fleet.api;

/**
 * A daemon's request to join the fleet, sent once with the fleet's enrolment key.
 *
 * @param name the host's name in the fleet, unique; letters, digits, {@code . _ -}
 * @param machineId {@code /etc/machine-id} or another stable id of the machine; may be null. Two
 *     hosts with the same machine id are flagged: a cloned image carries its id along.
 * @param hostname what the machine calls itself; may be null
 * @param group the group to join; null for the server's default group
 */
public record Enrolment(String name, String machineId, String hostname, String group) {}
