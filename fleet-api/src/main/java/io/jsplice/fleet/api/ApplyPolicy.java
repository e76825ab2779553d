package io.jsplice.fleet.api;

/** How the hosts of a group take a published update. */
public enum ApplyPolicy {
  /** As soon as it is published (Uptrack's {@code autoinstall = yes}). */
  AUTOMATIC,
  /** Only after an admin approves the update for the group. */
  APPROVAL
}
