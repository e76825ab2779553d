package io.jsplice.fleet.api;

/**
 * One ring of a rollout and how far the update got in it.
 *
 * @param ring the ring's name
 * @param reached whether the rollout released the update to this ring
 * @param hosts the group's hosts in this ring
 * @param jvmsInForce JVMs of those hosts that run the update
 * @param jvmsMissing JVMs that loaded the release it targets and do not run it
 * @param jvmsHealthy JVMs whose health gate passed after the update
 * @param jvmsUnhealthy JVMs whose health gate failed after the update, or that died soon after it
 */
public record RingProgress(
    String ring,
    boolean reached,
    int hosts,
    int jvmsInForce,
    int jvmsMissing,
    int jvmsHealthy,
    int jvmsUnhealthy) {}
