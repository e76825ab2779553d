package io.jsplice.fleet.server.store;

import io.jsplice.fleet.api.HostState;

/**
 * An enrolled host as its credential identified it, with the revisions its update list's ETag is
 * made of: {@code "HOSTREVISION.FLEETREVISION"}. Both come from the database, so every server
 * sharing it computes the same tag.
 *
 * @param id the server's id
 * @param name the unique name
 * @param state whether it gets updates
 * @param reason why it was deactivated; may be null
 * @param group its group
 * @param revision changes with anything host-specific its update list depends on
 * @param fleetRevision changes with anything fleet-wide its update list depends on
 */
public record HostIdentity(
    String id,
    String name,
    HostState state,
    String reason,
    String group,
    long revision,
    long fleetRevision) {

  /** The update list's entity tag, quoted as HTTP wants it. */
  public String etag() {
    return "\"" + revision + "." + fleetRevision + "\"";
  }
}
