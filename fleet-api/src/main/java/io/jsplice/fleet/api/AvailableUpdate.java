package io.jsplice.fleet.api;

import java.time.Instant;
import java.util.List;

/**
 * An update as a host sees it in its {@link UpdateList}.
 *
 * @param id the update's id ({@code jsplice undo PID ID})
 * @param description one line
 * @param cves the CVE ids it fixes
 * @param targets the libraries it applies to
 * @param requires ids of updates that must be applied first
 * @param sha256 hex SHA-256 of the signed update file, which the daemon checks after download (and
 *     then checks the signature against its own trusted keys)
 * @param size the file's length in bytes
 * @param approved whether the host's group may apply it now: always under {@link
 *     ApplyPolicy#AUTOMATIC}, after an admin's approval under {@link ApplyPolicy#APPROVAL}
 * @param publishedAt when it was published
 * @param withdrawn whether its rollout in the host's group was rolled back: the daemon undoes it
 *     wherever it is in force, and applies it nowhere
 * @param acceptLeftOut whether the host applies it though it leaves out classes of the fixed
 *     release (a live subset): an admin accepted that for this update in the host's group or in
 *     every group ({@link LeftOutAcceptance}), or the group's policy accepts it for every update
 *     ({@link Group#acceptLeftOut}); false from a server before the setting. Never accepts state
 *     built before the update that keeps the fix from being in force.
 */
public record AvailableUpdate(
    String id,
    String description,
    List<String> cves,
    List<UpdateTarget> targets,
    List<String> requires,
    String sha256,
    long size,
    boolean approved,
    Instant publishedAt,
    boolean withdrawn,
    boolean acceptLeftOut) {

  public AvailableUpdate {
    cves = Lists.copy(cves);
    targets = Lists.copy(targets);
    requires = Lists.copy(requires);
  }
}
