package io.jsplice.fleet.api;

/**
 * A group of hosts with one apply policy.
 *
 * @param name unique
 * @param policy how its hosts take published updates
 * @param hosts how many hosts are in it
 */
public record Group(String name, ApplyPolicy policy, int hosts) {}
