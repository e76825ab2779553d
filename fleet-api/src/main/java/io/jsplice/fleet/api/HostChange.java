package io.jsplice.fleet.api;

/**
 * An admin's change to a host. Each action reads the fields it needs.
 *
 * @param reason why (deactivate); may be null
 * @param group the group to move it to (group); may be null
 * @param ring the rollout ring (ring); null clears it
 */
public record HostChange(String reason, String group, String ring) {
  public static HostChange because(String reason) {
    return new HostChange(reason, null, null);
  }

  public static HostChange toGroup(String group) {
    return new HostChange(null, group, null);
  }
}
