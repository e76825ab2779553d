package io.jsplice.fleet.api;

/** {@code jsplice stale} for one JVM: does it run what is on disk now? */
public enum StaleVerdict {
  /** Every loaded class matches its jar or directory. */
  CURRENT,
  /** Some loaded class differs from disk: a library was upgraded underneath the JVM. */
  STALE,
  /** Without the agent: a class path file changed after the JVM started. */
  POSSIBLY_STALE,
  /** Not checked. */
  UNKNOWN
}
