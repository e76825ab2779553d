package io.jsplice.fleet.api;

import java.time.Instant;
import java.util.List;

/**
 * An update the server serves, as an admin sees it.
 *
 * @param id its id
 * @param description one line
 * @param cves the CVE ids it fixes
 * @param targets the libraries it applies to
 * @param requires updates that must be applied first
 * @param sha256 hex SHA-256 of the signed file, served unchanged
 * @param size the file's length
 * @param signer the signing certificate's subject
 * @param signerKey SHA-256 fingerprint of the signing key
 * @param publishedAt when it was published
 * @param publishedBy who published it
 * @param approvedGroups the groups under {@link ApplyPolicy#APPROVAL} that approved it
 * @param jvmsApplied JVMs (in the latest reports) that run it
 * @param jvmsFailed JVMs where a daemon reported that applying it failed
 * @param leftOutAccepted where an admin accepted the classes this update leaves out of the fixed
 *     release (a live subset), for this update only ({@link LeftOutAcceptance}): group names, or
 *     {@value LeftOutAcceptance#EVERY_GROUP} for every group; empty when nobody did
 */
public record PublishedUpdate(
    String id,
    String description,
    List<String> cves,
    List<UpdateTarget> targets,
    List<String> requires,
    String sha256,
    long size,
    String signer,
    String signerKey,
    Instant publishedAt,
    String publishedBy,
    List<String> approvedGroups,
    int jvmsApplied,
    int jvmsFailed,
    List<String> leftOutAccepted) {

  public PublishedUpdate {
    cves = Lists.copy(cves);
    targets = Lists.copy(targets);
    requires = Lists.copy(requires);
    approvedGroups = Lists.copy(approvedGroups);
    leftOutAccepted = Lists.copy(leftOutAccepted);
  }
}
