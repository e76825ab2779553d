package io.jsplice.fleet.api;

import java.time.Instant;

/**
 * The fleet at a glance ({@code jsplice fleet status}).
 *
 * @param hostsActive active hosts
 * @param hostsPending hosts waiting for activation
 * @param hostsDeactivated deactivated hosts
 * @param hostsSilent active hosts not seen for three poll intervals
 * @param jvms JVMs in the latest reports
 * @param jvmsPatched JVMs that run a published update
 * @param jvmsVulnerable JVMs that loaded a release a published update targets, without it
 * @param jvmsStale JVMs that run code older than their disk
 * @param updates published updates
 * @param applied apply results reported as successful, ever
 * @param failed apply results reported as failed, ever
 * @param at when this was computed
 */
public record FleetStatus(
    int hostsActive,
    int hostsPending,
    int hostsDeactivated,
    int hostsSilent,
    int jvms,
    int jvmsPatched,
    int jvmsVulnerable,
    int jvmsStale,
    int updates,
    long applied,
    long failed,
    Instant at) {}
