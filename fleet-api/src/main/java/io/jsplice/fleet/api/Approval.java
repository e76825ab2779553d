package io.jsplice.fleet.api;

/**
 * An admin's approval of an update for a group under {@link ApplyPolicy#APPROVAL}.
 *
 * @param group the group
 */
public record Approval(String group) {}
