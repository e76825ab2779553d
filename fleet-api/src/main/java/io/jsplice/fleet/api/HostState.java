package io.jsplice.fleet.api;

/**
 * Whether a host gets updates. As Ksplice Uptrack's machine authorization: a new host is {@link
 * #ACTIVE} at once or {@link #PENDING} until an admin activates it, by the server's policy; an
 * admin can deactivate a host and activate it again.
 */
public enum HostState {
  /** Enrolled; waiting for an admin to activate it. It may report, and gets no update. */
  PENDING,
  /** Gets the updates that apply to what its JVMs loaded. */
  ACTIVE,
  /** An admin turned it off: it may report, and gets no update list and no package. */
  DEACTIVATED
}
