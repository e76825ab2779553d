package io.jsplice.fleet.api;

/** Where an update the automatic feed built stands. */
public enum FeedState {
  /** The feed is building it now. */
  BUILDING,
  /**
   * Published: its own analysis says it applies live with its whole fix in force, or an admin
   * approved it.
   */
  PUBLISHED,
  /** Built and signed, not published: its analysis needs a person (see the reason). */
  NEEDS_REVIEW,
  /** The feed could not build it (see the reason); it tries again after the release changes. */
  FAILED,
  /** An admin decided against it; the feed leaves this pair of releases alone. */
  DISMISSED
}
