package io.jsplice.fleet.api;

import java.time.Instant;

/**
 * One host, as the admin's host list shows it.
 *
 * @param id the server's id for it
 * @param name its unique name
 * @param state whether it gets updates
 * @param reason why an admin deactivated it; null otherwise
 * @param group its group
 * @param ring its rollout ring within the group; null when it has none (staged rollouts)
 * @param hostname what the machine calls itself; may be null
 * @param machineId the machine's id; may be null
 * @param enrolledAt when it enrolled
 * @param lastSeen when it last polled or reported; null if never
 * @param lastReport when its last report arrived; null if never
 * @param jvms how many JVMs it reported
 * @param jvmsPatched how many of them run an update the fleet published
 * @param jvmsVulnerable how many of them loaded a release some published update targets and do not
 *     run that update
 */
public record HostSummary(
    String id,
    String name,
    HostState state,
    String reason,
    String group,
    String ring,
    String hostname,
    String machineId,
    Instant enrolledAt,
    Instant lastSeen,
    Instant lastReport,
    int jvms,
    int jvmsPatched,
    int jvmsVulnerable) {}
